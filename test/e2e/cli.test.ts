import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { testDatabaseUrl } from '../../src/config.js';
import { projectRoot } from '../../src/lib/project-root.js';
import { runCli, startServer, type RunningServer } from './cli-process.js';

const FIXTURE = path.join(projectRoot(), 'test', 'fixtures', 'north-denies.md');
const FIXTURE_PATH =
  '/2023/01/29/national/north-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors';

function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/** The elements every article page shows (issue: the page we are building). */
function assertArticlePage(html: string, where: string): void {
  const t = text(html);
  assert.match(html, /<h1>[^<]+<\/h1>/, where);
  assert.match(
    t,
    /(Published: \d{2} [A-Z][a-z]{2}\. \d{4}, \d{2}:\d{2})|(입력: \d{4}\.\d{2}\.\d{2} \d{2}:\d{2})/,
    where,
  );
  assert.match(html, /<div class="article-body"><p>/, where);
  assert.match(html, /class="byline"/, where);
  assert.match(html, /href="mailto:[^"]+@[^"]+"/, where);
  assert.match(html, /<p class="credit-line">[^<]+<\/p>/, where);
  assert.match(
    t,
    /(To write comments, please log in to one of the accounts\.)|(댓글을 작성하려면 계정 중 하나로 로그인해 주세요\.)/,
    where,
  );
  assert.match(html, /href="(\/ko)?\/policy"/, where);
  // Logged out there is no text box, so no counter either.
  assert.doesNotMatch(t, /\(0\/250/, where);
}

describe('byline serve on the embedded database', () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-e2e-'));
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty folder with the demo articles, each page complete', async () => {
    const running = await startServer({ BYLINE_DATA_DIR: dataDir });
    server = running;
    // No default password anywhere: the demo admin gets a one-time set-up link instead.
    assert.match(
      running.output(),
      /Demo admin \(admin@example\.com\)[\s\S]*\/staff\/setup\/[A-Za-z0-9_-]{43}/,
    );
    const home = await fetch(`${running.url}/`).then((r) => r.text());
    const links = [...home.matchAll(/<a href="(\/\d{4}\/\d{2}\/\d{2}\/[^"]+)">/g)].map(
      (m) => m[1] ?? '',
    );
    assert.ok(new Set(links).size >= 4, `home lists the English demo articles: ${links.length}`);
    const koHome = await fetch(`${running.url}/ko`).then((r) => r.text());
    const koLinks = [...koHome.matchAll(/<a href="(\/ko\/\d{4}\/[^"]+)">/g)].map((m) => m[1] ?? '');
    assert.ok(new Set(koLinks).size >= 4, 'the Korean edition lists its demo articles');
    for (const link of new Set([...links, ...koLinks])) {
      const res = await fetch(`${running.url}${link}`);
      assert.equal(res.status, 200, link);
      assertArticlePage(await res.text(), link);
    }
  });

  it('refuses a second server and an import on the same folder, naming DATABASE_URL', async () => {
    const second = await runCli(['serve'], { BYLINE_DATA_DIR: dataDir });
    assert.equal(second.code, 1);
    assert.match(second.stderr, /in use by another Byline process/);
    assert.match(second.stderr, /DATABASE_URL/);
    const imported = await runCli(['import', FIXTURE], { BYLINE_DATA_DIR: dataDir });
    assert.equal(imported.code, 1);
    assert.match(imported.stderr, /DATABASE_URL/);
  });

  it('starts again after being killed, keeping its articles and not reloading the demo', async () => {
    const before = await fetch(`${server?.url ?? ''}/`).then((r) => r.text());
    await server?.kill();
    server = await startServer({ BYLINE_DATA_DIR: dataDir });
    const afterRestart = await fetch(`${server.url}/`).then((r) => r.text());
    assert.equal(text(afterRestart), text(before));
  });

  it('imports the model article after a stop, and serves it complete', async () => {
    assert.equal(await server?.stop(), 0);
    server = undefined;
    const imported = await runCli(['import', FIXTURE], { BYLINE_DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /created {2}\/2023\/01\/29\/national\//);
    server = await startServer({ BYLINE_DATA_DIR: dataDir });
    const html = await fetch(`${server.url}${FIXTURE_PATH}`).then((r) => r.text());
    assertArticlePage(html, FIXTURE_PATH);
    const t = text(html);
    assert.match(t, /North denies sending arms to Russia, slams U\.S\. for 'groundless rumors'/);
    assert.match(t, /Published: 29 Jan\. 2023, 17:25/);
    assert.match(t, /BY SARAH KIM \[kim\.sarah@joongang\.co\.kr\]/);
    assert.match(t, /with the Korea JoongAng Daily/);
  });

  it('refuses a bad file naming file, line and field, saving nothing', async () => {
    await server?.stop();
    server = undefined;
    const bad = path.join(dataDir, 'bad.md');
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(FIXTURE, 'utf8')
        .replace('language: en', 'language: fr')
        .replace('slug', 'slug'),
    );
    const good = path.join(dataDir, 'good.md');
    fs.writeFileSync(
      good,
      fs.readFileSync(FIXTURE, 'utf8').replace('title: "North', 'title: "Another'),
    );
    const result = await runCli(['import', good, bad], { BYLINE_DATA_DIR: dataDir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.md:10: language:/);
    assert.match(result.stderr, /Nothing was imported/);
    server = await startServer({ BYLINE_DATA_DIR: dataDir });
    const res = await fetch(
      `${server.url}/2023/01/29/national/another-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors`,
    );
    assert.equal(res.status, 404);
  });

  it('adds a staff account from the command line, printing a one-time set-up link', async () => {
    await server?.stop();
    server = undefined;
    const env = { BYLINE_DATA_DIR: dataDir };
    const added = await runCli(
      ['user', 'add', '--email', 'ed@example.com', '--role', 'editor'],
      env,
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Created editor ed@example\.com/);
    assert.match(added.stdout, /http:\/\/localhost:\d+\/staff\/setup\/[A-Za-z0-9_-]{43}/);
    const again = await runCli(
      ['user', 'add', '--email', 'ED@example.com', '--role', 'editor'],
      env,
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists already/);
    const badRole = await runCli(['user', 'add', '--email', 'x@example.com', '--role', 'god'], env);
    assert.equal(badRole.code, 2);
    const link = await runCli(['user', 'setup-link', '--email', 'ed@example.com'], env);
    assert.equal(link.code, 0, link.stderr);
    assert.match(link.stdout, /\/staff\/setup\//);
  });
});

describe('byline for an operator', () => {
  let dataDir: string;
  let failedDir: string;
  let server: RunningServer | undefined;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-ops-'));
    failedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-ops-failed-'));
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(failedDir, { recursive: true, force: true });
  });

  it('exits naming the variable when the port is taken, freeing the data folder, and warns of a misspelt one', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      // Before, the process logged "unexpected error" and stayed up, deaf, holding the lock:
      // this call would never return.
      const result = await runCli(['serve'], {
        BYLINE_DATA_DIR: failedDir,
        BYLINE_PORT: String(port),
        BYLINE_SHUTDOWN_GRACE: '5',
      });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port}.*BYLINE_PORT`));
      assert.match(result.stderr, /another program uses that port/);
      assert.doesNotMatch(result.stderr, /unexpected error/);
      assert.match(
        result.stderr,
        /warning: BYLINE_SHUTDOWN_GRACE is not a Byline setting.*did you mean BYLINE_SHUTDOWN_GRACE_SECONDS\?/,
      );
      assert.equal(fs.existsSync(path.join(failedDir, 'byline.lock')), false, 'the lock is freed');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('refuses a trusted proxy that is not an address, naming BYLINE_TRUSTED_PROXY', async () => {
    const result = await runCli(['serve'], {
      BYLINE_DATA_DIR: failedDir,
      BYLINE_TRUSTED_PROXY: 'proxy.internal',
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /BYLINE_TRUSTED_PROXY/);
    assert.doesNotMatch(result.stderr, /unexpected error/);
  });

  it('starts production empty and quiet: no demo articles, no demo admin, no set-up link', async () => {
    server = await startServer({ BYLINE_DATA_DIR: dataDir, NODE_ENV: 'production' });
    assert.doesNotMatch(server.output(), /staff\/setup/);
    assert.match(server.output(), /No staff account yet[\s\S]*byline user add --email/);
    const home = await fetch(`${server.url}/`).then((r) => r.text());
    assert.doesNotMatch(home, /<a href="\/\d{4}\/\d{2}\/\d{2}\//, 'no demo articles');
  });

  it('adds staff while the server runs, through the server, with a link to its own address', async () => {
    assert.ok(server, 'the server of the test before is running');
    const port = new URL(server.url).port;
    // The command's own environment says port 0 (cli-process.ts): the link must not follow it.
    const added = await runCli(
      ['user', 'add', '--email', 'chief@example.com', '--role', 'admin', '--name', '편집국장'],
      { BYLINE_DATA_DIR: dataDir, NODE_ENV: 'production' },
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Created admin chief@example\.com/);
    const link = /(http:\/\/localhost:(\d+)\/staff\/setup\/[A-Za-z0-9_-]{43})/.exec(added.stdout);
    assert.equal(link?.[2], port, "the link carries the running server's port");
    const setup = await fetch(`${server.url}${new URL(link[1] ?? '').pathname}`);
    assert.equal(setup.status, 200, 'the link opens the set-up page on the server');
    const taken = await runCli(['user', 'add', '--email', 'chief@example.com', '--role', 'admin'], {
      BYLINE_DATA_DIR: dataDir,
    });
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /STAFF_EMAIL_TAKEN/);
    const demo = await runCli(['user', 'setup-link', '--email', 'admin@example.com'], {
      BYLINE_DATA_DIR: dataDir,
    });
    assert.equal(demo.code, 1, 'production made no demo admin');
    assert.match(demo.stderr, /no staff account for admin@example\.com/);
    // The server keeps serving, and still holds the folder against writers.
    assert.equal((await fetch(`${server.url}/`)).status, 200);
    const imported = await runCli(['import', FIXTURE], { BYLINE_DATA_DIR: dataDir });
    assert.equal(imported.code, 1);
  });

  it("prints the last server's address in a link made while no server runs", async () => {
    assert.ok(server);
    const port = new URL(server.url).port;
    assert.equal(await server.stop(), 0);
    server = undefined;
    const link = await runCli(['user', 'setup-link', '--email', 'chief@example.com'], {
      BYLINE_DATA_DIR: dataDir,
    });
    assert.equal(link.code, 0, link.stderr);
    assert.match(link.stdout, new RegExp(`http://localhost:${port}/staff/setup/`));
    const told = await runCli(['user', 'setup-link', '--email', 'chief@example.com'], {
      BYLINE_DATA_DIR: dataDir,
      BYLINE_PUBLIC_URL: 'https://news.example',
    });
    assert.match(told.stdout, /https:\/\/news\.example\/staff\/setup\//);
  });
});

const serverUrl = testDatabaseUrl();
if (serverUrl) {
  describe('byline on a PostgreSQL server, several processes', () => {
    const name = `byline_e2e_${randomBytes(4).toString('hex')}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const env = {
      DATABASE_URL: url.toString(),
      BYLINE_DEMO_CONTENT: 'false',
      BYLINE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'byline-e2e-pg-')),
    };
    const servers: RunningServer[] = [];
    let admin: pg.Client;
    before(async () => {
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(
        `create database ${pg.escapeIdentifier(name)} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
      );
    });
    after(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await admin.end();
    });

    it('runs two app processes, and an import reaches both caches through NOTIFY', async () => {
      servers.push(await startServer(env), await startServer(env));
      for (const s of servers) assert.equal((await fetch(`${s.url}${FIXTURE_PATH}`)).status, 404);
      // Fill both page caches with the home page before the import.
      for (const s of servers)
        assert.doesNotMatch(await fetch(`${s.url}/`).then((r) => r.text()), /North denies/);
      const imported = await runCli(['import', FIXTURE], env);
      assert.equal(imported.code, 0, imported.stderr);
      for (const s of servers) {
        // The cached home page changes only if this process heard the other's NOTIFY.
        await pollUntil(`${s.url}/`, (body) => /North denies/.test(body));
        const html = await fetch(`${s.url}${FIXTURE_PATH}`).then((r) => r.text());
        assertArticlePage(html, 'postgres');
        assert.match(text(html), /Published: 29 Jan\. 2023, 17:25/);
        assert.match(text(html), /BY SARAH KIM \[kim\.sarah@joongang\.co\.kr\]/);
      }
    });

    it('keeps one session across processes: made on A, used on B, ended on A for both', async () => {
      const [a, b] = servers;
      assert.ok(a && b, 'the servers of the test before are running');
      const jar = new Map<string, string>();
      const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const call = async (base: string, target: string, form?: Record<string, string>) => {
        const res = await fetch(`${base}${target}`, {
          method: form ? 'POST' : 'GET',
          redirect: 'manual',
          headers: {
            cookie: cookieHeader(),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded', origin: base } : {}),
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
      await call(a.url, '/login');
      assert.equal((await call(a.url, '/login/email', { email: 'both@example.com' })).status, 303);
      const outbox = path.join(env.BYLINE_DATA_DIR, 'outbox');
      const message = fs
        .readdirSync(outbox)
        .map((file) => fs.readFileSync(path.join(outbox, file), 'utf8'))
        .find((m) => m.includes('To: both@example.com'));
      const code = /login code is (\d{6})/.exec(message ?? '')?.[1] ?? '';
      assert.equal((await call(a.url, '/login/email/code', { code })).status, 303);
      assert.equal((await call(b.url, '/account')).status, 200, 'B knows the session A made');
      const token = jar.get('byline_session') ?? '';
      assert.equal((await call(a.url, '/logout', {})).status, 303);
      jar.set('byline_session', token);
      assert.equal((await call(b.url, '/account')).status, 303, 'B knows it ended');
    });
  });
}

/**
 * NOTIFY is delivered after commit, asynchronously: ask again until the page shows the change.
 * The bound is a count of attempts, generous, so a slow machine passes and a broken NOTIFY fails.
 */
async function pollUntil(url: string, ok: (body: string) => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (ok(await fetch(url).then((r) => r.text()))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`${url} never showed the change`);
}

describe('byline import and export, refusing what they cannot do safely', () => {
  let dataDir: string;
  let env: Record<string, string>;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-transfer-'));
    env = { BYLINE_DATA_DIR: path.join(dataDir, 'data') };
  });
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a FIFO and a file with a NUL with exit code 2, naming each, importing nothing', async () => {
    const fifo = path.join(dataDir, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    const nul = path.join(dataDir, 'nul.md');
    fs.writeFileSync(nul, `${fs.readFileSync(FIXTURE, 'utf8')}\nDamaged\0 here.\n`);
    const result = await runCli(['import', FIXTURE, fifo, nul], env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /pipe\.md: is not a regular file/);
    assert.match(result.stderr, /nul\.md:\d+: body: contains a NUL/);
    assert.match(result.stderr, /Nothing was imported/);
    assert.doesNotMatch(result.stderr, /unexpected error|\n\s+at /);
  });

  it('replaces an article already there only with --replace, printing title and address', async () => {
    assert.equal((await runCli(['import', FIXTURE], env)).code, 0);
    const moved = path.join(dataDir, 'moved.md');
    fs.writeFileSync(
      moved,
      fs
        .readFileSync(FIXTURE, 'utf8')
        .replace('2023-01-29T17:25', '2023-01-30T09:00')
        .replace('language: en', `language: en\nslug: ${path.basename(FIXTURE_PATH)}`)
        .replace('title: "North denies', 'title: "North again denies'),
    );
    const refused = await runCli(['import', moved], env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /title: {3}"North denies[^\n]*→ "North again denies/);
    assert.match(refused.stderr, /address: \/2023\/01\/29\/national\/\S+ → \/2023\/01\/30\//);
    assert.match(refused.stderr, /--replace/);
    const replaced = await runCli(['import', '--replace', moved], env);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.match(replaced.stdout, /replaced {2}\/2023\/01\/30\/national\//);
    assert.match(replaced.stdout, /address: \/2023\/01\/29\/national\/\S+ → \/2023\/01\/30\//);
  });

  it('refuses to overwrite an earlier export without --force, and never writes through a link', async () => {
    const folder = path.join(dataDir, 'export');
    assert.equal((await runCli(['export', folder], env)).code, 0);
    const again = await runCli(['export', folder], env);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /exists already \(use --force to overwrite\)/);
    assert.equal((await runCli(['export', '--force', folder], env)).code, 0);
    const linked = path.join(dataDir, 'linked');
    const outside = path.join(dataDir, 'outside');
    fs.mkdirSync(linked);
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(linked, 'en'));
    const through = await runCli(['export', '--force', linked], env);
    assert.equal(through.code, 2, through.stderr);
    assert.match(through.stderr, /symbolic link/);
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});
