import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { articleWithReaders, type Reader } from './e2e-databases.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * The reliability battery of docs/SECURITY.md, R3: the PostgreSQL server restarts
 * (`pg_ctl restart -m fast`) under a running app while readers post comments and read the
 * article. The app is not restarted: it must live through it, answer the outage with 503 and
 * Retry-After (never 500, never a dropped connection), serve again once the database is back,
 * with no error after that, and keep every comment it acknowledged with 201. The cluster is the
 * test's own, made here, since restarting the shared one would break every other test using it.
 * Counts; the time from the database's return to the first success is reported, not asserted.
 */

/** The PostgreSQL programs, when installed (CI has them); the test skips without them. */
function postgresBin(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    return fs.existsSync(path.join(dir, 'pg_ctl')) ? dir : undefined;
  } catch {
    // No pg_config on the PATH: no PostgreSQL to restart; the describe below is skipped.
    return undefined;
  }
}

/** PostgreSQL refuses to run as root: as root (CI, this machine), as the postgres user. */
const asRoot = process.getuid?.() === 0;

function pgCommand(bin: string, program: string, args: string[]): [string, string[]] {
  const file = path.join(bin, program);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A throwaway cluster: initdb into a temporary folder, fsync off, on a free port. */
class Cluster {
  readonly work = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-r3-pg-'));
  port = 0;

  constructor(private readonly bin: string) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /**
   * Runs a PostgreSQL program to its end. The server pg_ctl starts inherits its output, so
   * waiting for that to close (as execFile does) would wait for the server to stop: it is ignored.
   */
  private pg(program: string, args: string[]): Promise<void> {
    const [file, argv] = pgCommand(this.bin, program, args);
    return new Promise((resolve, reject) => {
      const child = spawn(file, argv, { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${program} exited with ${code}`)),
      );
    });
  }

  private get log(): string {
    return path.join(this.work, 'server.log');
  }

  async start(): Promise<void> {
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      fs.chownSync(this.work, uid, uid);
    }
    fs.chmodSync(this.work, 0o700);
    this.port = await freePort();
    const data = path.join(this.work, 'data');
    await this.pg('initdb', [
      '-D',
      data,
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--auth=trust',
      '-U',
      'postgres',
    ]);
    const options = `-c listen_addresses=127.0.0.1 -p ${this.port} -k ${this.work} -c fsync=off`;
    await this.pg('pg_ctl', ['-D', data, '-l', this.log, '-o', options, '-w', 'start']);
  }

  /** Stops fast (open connections are cut) and starts again; resolves when it accepts again. */
  restart(): Promise<void> {
    const data = path.join(this.work, 'data');
    return this.pg('pg_ctl', ['-D', data, '-l', this.log, '-m', 'fast', '-w', 'restart']);
  }

  async stop(): Promise<void> {
    try {
      await this.pg('pg_ctl', ['-D', path.join(this.work, 'data'), '-m', 'immediate', 'stop']);
    } catch (error) {
      // Already stopped (a failed start): nothing to stop, but say so.
      console.warn('reliability-restart: pg_ctl stop', error);
    }
    fs.rmSync(this.work, { recursive: true, force: true });
  }
}

/** Writers: each a reader of their own, as the service locks a reader's row while posting. */
const WRITERS = 16;
const READERS = 4;
/** Acknowledged comments before the restart, so that it comes in full flow (about 1 s here). */
const RESTART_AFTER = 60;
/** Answers after the first success that follows the restart: all must be successes. */
const AFTER_RECOVERY = 300;
/** Failures during the outage after which the app is taken not to recover. */
const GIVE_UP_AFTER = 20_000;

type Phase = 'before' | 'outage' | 'recovered';

type Tally = {
  byPhase: Record<Phase, { ok: number; failed: string[] }>;
  /** 503s during the outage without a Retry-After. */
  withoutRetryAfter: number;
  acknowledged: string[];
  restartMs: number;
  upToFirstSuccessMs: number;
};

async function loadThroughRestart(
  server: RunningServer,
  cluster: Cluster,
  articleId: string,
  articlePath: string,
  writers: Reader[],
): Promise<Tally> {
  const tally: Tally = {
    byPhase: {
      before: { ok: 0, failed: [] },
      outage: { ok: 0, failed: [] },
      recovered: { ok: 0, failed: [] },
    },
    withoutRetryAfter: 0,
    acknowledged: [],
    restartMs: 0,
    upToFirstSuccessMs: 0,
  };
  let phase: Phase = 'before';
  let restarted: Promise<void> | undefined;
  let upAt: number | undefined;
  let sent = 0;
  const runId = randomBytes(3).toString('hex');
  // Bounded by counts: enough answers after recovery, or an app that died or never recovers.
  const done = () =>
    tally.byPhase.recovered.ok + tally.byPhase.recovered.failed.length >= AFTER_RECOVERY ||
    tally.byPhase.outage.failed.length >= GIVE_UP_AFTER ||
    server.child.exitCode !== null;

  const record = (ok: boolean, what: string, sentIn: Phase) => {
    // A request answered after the database came back and after a first success is "recovered".
    if (ok && phase === 'outage' && upAt !== undefined) {
      tally.upToFirstSuccessMs = Math.round(performance.now() - upAt);
      phase = 'recovered';
    }
    // A request sent during the outage and refused belongs to the outage, even when a faster
    // one answered first after the database came back.
    const counted = !ok && sentIn === 'outage' ? 'outage' : phase;
    if (ok) tally.byPhase[phase].ok += 1;
    else tally.byPhase[counted].failed.push(what);
  };

  const restart = () => {
    phase = 'outage';
    const started = performance.now();
    restarted = cluster.restart().then(() => {
      upAt = performance.now();
      tally.restartMs = Math.round(upAt - started);
    });
  };

  const writer = async (reader: Reader) => {
    while (!done()) {
      sent += 1;
      const sentIn = phase;
      const body = `재시작 중의 댓글 ${sent} (${runId}) — comment ${sent} through a restart`;
      try {
        const res = await fetch(`${server.url}/articles/${articleId}/comments`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            cookie: reader.cookie,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            'sec-fetch-site': 'same-origin',
          },
          body: new URLSearchParams({ _csrf: reader.csrf, body }),
        });
        const text = await res.text();
        if (res.status === 201) {
          tally.acknowledged.push((JSON.parse(text) as { comment: { id: string } }).comment.id);
          record(true, '', sentIn);
          if (!restarted && tally.acknowledged.length >= RESTART_AFTER) restart();
        } else {
          if (res.status === 503 && !(Number(res.headers.get('retry-after')) > 0))
            tally.withoutRetryAfter += 1;
          record(false, `POST ${res.status} ${text.slice(0, 160)}`, sentIn);
        }
      } catch (error) {
        record(false, `POST ${String(error)}`, sentIn);
      }
      // A refused writer waits a little, as a reader would, rather than spin on the outage.
      if (phase === 'outage') await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const reader = async () => {
    while (!done()) {
      const sentIn = phase;
      try {
        const res = await fetch(`${server.url}${articlePath}`);
        const text = await res.text();
        if (res.status === 503 && !(Number(res.headers.get('retry-after')) > 0))
          tally.withoutRetryAfter += 1;
        record(
          res.status === 200,
          `GET ${res.status} ${res.status === 200 ? '' : text.slice(0, 160)}`,
          sentIn,
        );
      } catch (error) {
        record(false, `GET ${String(error)}`, sentIn);
      }
      if (phase === 'outage') await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await Promise.all([
    ...writers.map((w) => writer(w)),
    ...Array.from({ length: READERS }, () => reader()),
  ]);
  await restarted;
  return tally;
}

const bin = postgresBin();

describe(
  'a database restart under load (R3)',
  { skip: bin ? false : 'no PostgreSQL programs (pg_config)' },
  () => {
    const cluster = new Cluster(bin ?? '');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-r3-'));
    let server: RunningServer | undefined;

    after(async () => {
      if (server?.child.exitCode === null) await server.kill();
      await cluster.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('lives through it, answers 503 meanwhile, then serves without error and loses nothing', async (t) => {
      await cluster.start();
      const {
        articleId,
        articlePath,
        readers: writers,
      } = await articleWithReaders(
        { kind: 'postgres', url: cluster.url },
        { count: WRITERS, name: '필자', purpose: 'reliability-restart.test' },
      );
      server = await startServer({
        DATABASE_URL: cluster.url,
        BYLINE_DATA_DIR: dataDir,
        BYLINE_DEMO_CONTENT: 'false',
        BYLINE_PAGE_CACHE: 'false',
        BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
        BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '10000',
        BYLINE_COMMENT_DUPLICATE_HOURS: '0',
      });
      const tally = await loadThroughRestart(server, cluster, articleId, articlePath, writers);
      const survived = server.child.exitCode === null;

      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query<{ id: string }>(
        'select id::text as id from comments where article_id = $1',
        [articleId],
      );
      await client.end();
      const stored = new Set(rows.map((r) => r.id));
      const lost = tally.acknowledged.filter((id) => !stored.has(id));

      const { before, outage, recovered } = tally.byPhase;
      const statuses = new Map<string, number>();
      for (const failure of outage.failed) {
        const key = failure.split(' ').slice(0, 2).join(' ');
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
      const summary = [
        `before: ${before.ok} ok, ${before.failed.length} failed`,
        `outage: ${outage.ok} ok, ${outage.failed.length} failed (${[...statuses].map(([k, n]) => `${k}×${n}`).join(', ')})`,
        `503 without Retry-After ${tally.withoutRetryAfter}`,
        `errors after recovery ${recovered.failed.length} of ${recovered.ok + recovered.failed.length}`,
        `database up to first success ${tally.upToFirstSuccessMs} ms, restart took ${tally.restartMs} ms (reported, not asserted)`,
        `acknowledged ${tally.acknowledged.length}, lost ${lost.length}`,
        `app survived ${survived}`,
      ].join('; ');
      t.diagnostic(summary);
      const detail = `${summary}\n${[...outage.failed, ...recovered.failed].slice(0, 10).join('\n')}\n${server.output().slice(-4000)}`;
      assert.ok(survived, `the app process lived through the restart: ${detail}`);
      assert.deepEqual(before.failed, [], detail);
      assert.deepEqual(
        outage.failed.filter((f) => !/^(GET|POST) 503 /.test(f)),
        [],
        `every failure during the outage is a 503: ${detail}`,
      );
      assert.equal(tally.withoutRetryAfter, 0, detail);
      assert.deepEqual(recovered.failed, [], `no error once it served again: ${detail}`);
      assert.deepEqual(lost, [], 'every acknowledged comment is stored');
    });
  },
);
