import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { testDatabaseUrl } from '../../src/config.js';
import { projectRoot } from '../../src/lib/project-root.js';
import { runCli, startServer, type RunningServer } from './cli-process.js';

/**
 * R7 (the battery of docs/SECURITY.md) through the real command line: a newsroom on the embedded
 * database, with a reader's comment posted over HTTP, an imported article and a staff account, is
 * backed up with `byline backup`, restored with `byline restore` into a new folder (and into a new
 * PostgreSQL database when TEST_DATABASE_URL is set), and the restored site serves the same page
 * bytes. Times are reported, never asserted.
 */

const FIXTURE = path.join(projectRoot(), 'test', 'fixtures', 'north-denies.md');
const FIXTURE_PATH =
  '/2023/01/29/national/north-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors';

type TableFigures = { name: string; rows: number; hash: string };

/** The archive's header: each table's row count and hash, as written by `byline backup`. */
function headerOf(file: string): { tables: TableFigures[] } {
  const text = gunzipSync(fs.readFileSync(file)).toString('utf8');
  return JSON.parse(text.slice(0, text.indexOf('\n'))) as { tables: TableFigures[] };
}

function figures(file: string): Record<string, string> {
  return Object.fromEntries(
    headerOf(file).tables.map((t) => [t.name, `${String(t.rows)}:${t.hash}`]),
  );
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, Math.round(performance.now() - started)];
}

/** Signs a reader in by e-mailed code and posts a comment on the article at `articlePath`. */
async function postAsReader(server: RunningServer, dataDir: string, articlePath: string) {
  const jar = new Map<string, string>();
  const call = async (target: string, form?: Record<string, string>) => {
    const res = await fetch(`${server.url}${target}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form
          ? { 'content-type': 'application/x-www-form-urlencoded', origin: server.url }
          : {}),
      },
      ...(form
        ? { body: new URLSearchParams({ _csrf: jar.get('byline_csrf') ?? '', ...form }) }
        : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [key = '', value = ''] = pair.split('=');
      if (value === '') jar.delete(key);
      else jar.set(key, value);
    }
    return res;
  };
  await call('/login');
  assert.equal((await call('/login/email', { email: 'reader@example.com' })).status, 303);
  const outbox = path.join(dataDir, 'outbox');
  const message = fs
    .readdirSync(outbox)
    .map((file) => fs.readFileSync(path.join(outbox, file), 'utf8'))
    .find((m) => m.includes('To: reader@example.com'));
  const code = /login code is (\d{6})/.exec(message ?? '')?.[1] ?? '';
  assert.equal((await call('/login/email/code', { code })).status, 303);
  const page = await (await call(articlePath)).text();
  const action = /action="((?:\/ko)?\/articles\/\d+\/comments)"/.exec(page)?.[1];
  assert.ok(action, 'the article page has a comment form');
  const posted = await call(action, {
    body: '백업 전에 남긴 댓글입니다. "따옴표" 😀',
    acceptPolicy: '1',
  });
  assert.equal(posted.status, 303, await posted.text());
}

describe('byline backup and byline restore (R7)', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-e2e-backup-'));
  const original = path.join(work, 'original');
  const restored = path.join(work, 'restored');
  const archive = path.join(work, 'newsroom.jsonl.gz');
  const env = (dataDir: string) => ({
    BYLINE_DATA_DIR: dataDir,
    BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
  });
  const servers: RunningServer[] = [];
  let commentedPath = '';
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('fills a newsroom through the server and the command line', async () => {
    const server = await startServer(env(original));
    servers.push(server);
    const home = await fetch(`${server.url}/`).then((r) => r.text());
    commentedPath = /<a href="(\/\d{4}\/\d{2}\/\d{2}\/[^"]+)">/.exec(home)?.[1] ?? '';
    assert.ok(commentedPath, 'the home page links a demo article');
    await postAsReader(server, original, commentedPath);

    // PGlite is single-process: a backup while the server runs is refused at once, naming it.
    const locked = await runCli(['backup', archive], env(original));
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, new RegExp(`pid ${String(server.child.pid)}`));
    assert.match(locked.stderr, /stop the server/);
    assert.match(locked.stderr, /PostgreSQL deployment \(DATABASE_URL\) can back up while it runs/);
    assert.equal(fs.existsSync(archive), false);

    assert.equal(await server.stop(), 0);
    servers.pop();
    const imported = await runCli(['import', FIXTURE], env(original));
    assert.equal(imported.code, 0, imported.stderr);
    const added = await runCli(
      ['user', 'add', '--email', 'ed@example.com', '--role', 'editor', '--name', '편집자'],
      env(original),
    );
    assert.equal(added.code, 0, added.stderr);
  });

  it('backs up, restores into a new folder with identical row hashes, and serves the same pages', async (t) => {
    const [backup, backupMs] = await timed(() => runCli(['backup', archive], env(original)));
    assert.equal(backup.code, 0, backup.stderr);
    const [restore, restoreMs] = await timed(() => runCli(['restore', archive], env(restored)));
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, /row hashes identical/);

    // Backed up again, the restored database hashes table for table as the original did.
    const again = path.join(work, 'restored.jsonl.gz');
    assert.equal((await runCli(['backup', again], env(restored))).code, 0);
    assert.deepEqual(figures(again), figures(archive));
    const tables = headerOf(archive).tables;
    const rows = tables.reduce((n, table) => n + table.rows, 0);
    t.diagnostic(
      `PGlite → PGlite: ${String(tables.length)} tables, ${String(rows)} rows, ` +
        `${String(fs.statSync(archive).size)} bytes; byline backup ${String(backupMs)} ms, ` +
        `byline restore ${String(restoreMs)} ms (RTO, process start included); row hashes equal`,
    );
    assert.ok(
      tables.some((table) => table.name === 'comments' && table.rows === 1),
      'the comment is in the archive',
    );

    const [a, b] = [await startServer(env(original)), await startServer(env(restored))];
    servers.push(a, b);
    for (const page of [commentedPath, FIXTURE_PATH]) {
      const [fromA, fromB] = await Promise.all([
        fetch(`${a.url}${page}`).then((r) => r.text()),
        fetch(`${b.url}${page}`).then((r) => r.text()),
      ]);
      assert.equal(fromB, fromA, page);
    }
    assert.match(
      await fetch(`${b.url}${commentedPath}`).then((r) => r.text()),
      /백업 전에 남긴 댓글입니다/,
    );
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('refuses to restore into a database that holds rows, and a damaged archive, with exit code 2', async () => {
    const again = await runCli(['restore', archive], env(restored));
    assert.equal(again.code, 2);
    assert.match(again.stderr, /not empty/);

    const damaged = path.join(work, 'damaged.jsonl.gz');
    const bytes = fs.readFileSync(archive);
    fs.writeFileSync(damaged, bytes.subarray(0, bytes.length - 40));
    const fresh = path.join(work, 'never-created');
    const refused = await runCli(['restore', damaged], env(fresh));
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Nothing was restored/);
    assert.equal(fs.existsSync(fresh), false, 'no data folder was created');
  });

  const serverUrl = testDatabaseUrl();
  if (serverUrl) {
    describe('onto a PostgreSQL server', () => {
      const name = `byline_e2e_restore_${randomBytes(4).toString('hex')}`;
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const pgEnv = {
        DATABASE_URL: url.toString(),
        BYLINE_DATA_DIR: path.join(work, 'pg-data'),
      };
      let admin: pg.Client;
      before(async () => {
        admin = new pg.Client({ connectionString: serverUrl });
        await admin.connect();
        await admin.query(
          `create database ${pg.escapeIdentifier(name)} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
        );
      });
      after(async () => {
        await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
        await admin.end();
      });

      it('restores the PGlite archive into PostgreSQL with identical row hashes and pages', async (t) => {
        const [restore, restoreMs] = await timed(() => runCli(['restore', archive], pgEnv));
        assert.equal(restore.code, 0, restore.stderr);
        assert.match(restore.stdout, /row hashes identical/);
        const fromServer = path.join(work, 'postgres.jsonl.gz');
        const [backup, backupMs] = await timed(() => runCli(['backup', fromServer], pgEnv));
        assert.equal(backup.code, 0, backup.stderr);
        assert.deepEqual(figures(fromServer), figures(archive));
        t.diagnostic(
          `PGlite → PostgreSQL: byline restore ${String(restoreMs)} ms (RTO), byline backup of ` +
            `the server ${String(backupMs)} ms; row hashes equal`,
        );

        const [a, b] = [await startServer(env(original)), await startServer(pgEnv)];
        servers.push(a, b);
        for (const page of [commentedPath, FIXTURE_PATH]) {
          const [fromA, fromB] = await Promise.all([
            fetch(`${a.url}${page}`).then((r) => r.text()),
            fetch(`${b.url}${page}`).then((r) => r.text()),
          ]);
          assert.equal(fromB, fromA, page);
        }
        // A PostgreSQL deployment backs up while it serves.
        const live = await runCli(['backup', path.join(work, 'live.jsonl.gz')], pgEnv);
        assert.equal(live.code, 0, live.stderr);
        await Promise.all(servers.splice(0).map((s) => s.stop()));
      });
    });
  }
});
