import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import pg from 'pg';
import { totpCodeAt } from '../../src/accounts/credentials/totp.js';
import { SIGNUP_LIMIT } from '../../src/accounts/accounts.service.js';
import { EMAIL_CODE_LIMITS } from '../../src/accounts/email-login.js';
import { createSession } from '../../src/accounts/sessions.js';
import {
  STAFF_SIGNIN_LIMITS,
  addStaffAccount,
  completeSetup,
  issueSetupLink,
  setupView,
} from '../../src/accounts/staff.service.js';
import { postComment } from '../../src/comments/comments.service.js';
import { publishedArticle, testReader } from '../../src/comments/comments.testing.js';
import { testDatabaseUrl } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/db.js';
import { silentLog, testConfig, testDeps } from '../../src/db/db-test.js';
import type { AppDeps } from '../../src/deps.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * Abuse limits across two real app processes on one PostgreSQL database, with a forged
 * X-Forwarded-For on every request (docs/SECURITY.md, items 25–26, battery S10). Each limit is sent
 * twice its size, alternating between the processes (two at a time, one to each): what gets
 * through is at most the limit, and every refusal is a 429 that says when to retry. Then, with
 * the proxy configured, the forwarded address is the one counted.
 *
 * The servers run on the real clock, so the limits chosen are ones a test exceeds in seconds; a
 * case that happens to straddle the edge of a fixed window is run again in the next one.
 */

const PASSWORD = '기사는 사실로 말하고 댓글은 원칙으로 지킨다';
const COMMENTS_PER_DAY = 3;
const VOTES_PER_DAY = 3;
const STREAMS_PER_CLIENT = 2;

/** A made-up client address, as a forger would put in the header. */
function spoofed(): string {
  return `${randomInt(1, 224)}.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

type Sent = { status: number; retryAfter: number; body: string };

/** Posts a form as this site's page would (CSRF cookie and field, same-origin), plus headers. */
async function postForm(
  base: string,
  url: string,
  form: Record<string, string>,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const csrf = randomBytes(32).toString('base64url');
  const response = await fetch(`${base}${url}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: [`byline_csrf=${csrf}`, options.cookie].filter(Boolean).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      accept: 'application/json',
      ...options.headers,
    },
    body: new URLSearchParams({ _csrf: csrf, ...form }),
  });
  return {
    status: response.status,
    retryAfter: Number(response.headers.get('retry-after') ?? 0),
    body: await response.text(),
  };
}

type Tally = { sent: number; accepted: number; refusals: number[]; wrong: string[] };

/**
 * Sends `count` requests in pairs, one to each process at once, and sorts the answers: `ok` says
 * which status means "got through"; a 429 must carry a positive Retry-After; anything else is
 * wrong.
 */
async function acrossBoth(
  servers: readonly [RunningServer, RunningServer],
  count: number,
  send: (base: string, i: number) => Promise<Sent>,
  ok: (status: number) => boolean,
): Promise<Tally> {
  const tally: Tally = { sent: 0, accepted: 0, refusals: [], wrong: [] };
  for (let i = 0; i < count; i += 2) {
    const answers = await Promise.all(
      servers.map((server, k) => (i + k < count ? send(server.url, i + k) : Promise.resolve(null))),
    );
    for (const answer of answers) {
      if (!answer) continue;
      tally.sent += 1;
      if (ok(answer.status)) tally.accepted += 1;
      else if (answer.status === 429 && answer.retryAfter > 0) tally.refusals.push(answer.status);
      else tally.wrong.push(`${answer.status} retry-after ${answer.retryAfter}: ${answer.body}`);
    }
  }
  return tally;
}

const serverUrl = testDatabaseUrl();
if (serverUrl) {
  describe('abuse limits across two app processes, with forged X-Forwarded-For', () => {
    const name = `byline_limits_${randomBytes(4).toString('hex')}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-e2e-limits-'));
    const env: Record<string, string> = {
      DATABASE_URL: url.toString(),
      BYLINE_DEMO_CONTENT: 'false',
      BYLINE_DATA_DIR: dataDir,
      BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
      BYLINE_COMMENT_DUPLICATE_HOURS: '0',
      BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: String(COMMENTS_PER_DAY),
      BYLINE_COMMENT_VOTES_PER_DAY: String(VOTES_PER_DAY),
      BYLINE_LIVE_STREAMS_PER_CLIENT: String(STREAMS_PER_CLIENT),
    };
    let admin: pg.Client;
    let handle: DatabaseHandle | undefined;
    let servers: [RunningServer, RunningServer] | undefined;
    let deps: AppDeps;

    /** Starts A and B with these settings (A migrates, then B), stopping any running pair. */
    async function startPair(extra: Record<string, string> = {}) {
      if (servers) await Promise.all(servers.map((s) => s.stop()));
      const a = await startServer({ ...env, ...extra });
      const b = await startServer({ ...env, ...extra });
      servers = [a, b];
      return servers;
    }

    /** Every limit starts from a fresh budget: the counters of the case before are dropped. */
    async function freshBudgets() {
      await deps.db.deleteFrom('rate_limits').execute();
    }

    /**
     * Runs a case inside one window of a fixed-window limit: if the wall clock crossed the
     * window's edge meanwhile, the budgets were renewed under it, so it runs once more.
     */
    async function inOneWindow(windowSeconds: number, run: () => Promise<Tally>): Promise<Tally> {
      const windowOf = () => Math.floor(Date.now() / (windowSeconds * 1000));
      for (let tries = 0; ; tries += 1) {
        await freshBudgets();
        const start = windowOf();
        const tally = await run();
        if (windowOf() === start || tries > 0) return tally;
      }
    }

    function report(
      ctx: { diagnostic(message: string): void },
      what: string,
      tally: Tally,
      limit: number,
    ) {
      ctx.diagnostic(
        `${what}: sent ${tally.sent}, accepted ${tally.accepted}, limit ${limit}, ` +
          `refused ${tally.refusals.length} with 429 and Retry-After`,
      );
      assert.deepEqual(tally.wrong, [], `${what}: every refusal is a 429 with Retry-After`);
      assert.equal(tally.accepted, limit, `${what}: accepted over the limit`);
      assert.equal(tally.refusals.length, tally.sent - limit);
    }

    before(async () => {
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(
        `create database ${pg.escapeIdentifier(name)} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
      );
      await startPair();
      handle = await openDatabase(
        { kind: 'postgres', url: url.toString() },
        { log: silentLog, purpose: 'test' },
      );
      deps = testDeps(handle, { clock: () => new Date() });
    });

    after(async () => {
      await Promise.all((servers ?? []).map((s) => s.stop()));
      await handle?.close();
      await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const forged = () => ({ 'x-forwarded-for': spoofed() });

    /** The code in the newest message to `to` in the servers' outbox (no SMTP configured). */
    function mailedCode(to: string): string {
      const dir = path.join(dataDir, 'outbox');
      for (const file of fs.readdirSync(dir).sort().reverse()) {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        if (!text.includes(`To: ${to}`)) continue;
        const code = /^Subject: .*?\b(\d{6})\b/m.exec(text)?.[1];
        assert.ok(code, `a code in the subject of ${file}`);
        return code;
      }
      return assert.fail(`no mail to ${to}`);
    }

    it('holds the e-mailed code limits, per address and per client, across A and B', async (ctx) => {
      assert.ok(servers);
      const pair = servers;
      const { perAddress, perClient, checksPerClient } = EMAIL_CODE_LIMITS;
      const accepted = (status: number) => status === 303;
      const address = await inOneWindow(perAddress.windowSeconds, () =>
        acrossBoth(
          pair,
          2 * perAddress.max,
          (base) =>
            postForm(
              base,
              '/login/email',
              { email: 'one.reader@example.com' },
              { headers: forged() },
            ),
          accepted,
        ),
      );
      report(ctx, 'e-mailed codes per address', address, perAddress.max);
      const client = await inOneWindow(perClient.windowSeconds, () =>
        acrossBoth(
          pair,
          2 * perClient.max,
          (base, i) =>
            postForm(
              base,
              '/login/email',
              { email: `reader${i}@example.com` },
              { headers: forged() },
            ),
          accepted,
        ),
      );
      report(ctx, 'e-mailed codes per client', client, perClient.max);
      // A code check is counted before its flow is looked up: a made-up flow cookie will do.
      const checks = await inOneWindow(checksPerClient.windowSeconds, () =>
        acrossBoth(
          pair,
          2 * checksPerClient.max,
          (base) =>
            postForm(
              base,
              '/login/email/code',
              { code: '123456' },
              { cookie: `byline_flow=${randomBytes(32).toString('base64url')}`, headers: forged() },
            ),
          (status) => status === 400,
        ),
      );
      report(ctx, 'code checks per client', checks, checksPerClient.max);
    });

    it('holds the staff sign-in limits, per client and per account, across A and B', async (ctx) => {
      assert.ok(servers);
      const pair = servers;
      const email = 'limits.staff@example.com';
      const { accountId } = await addStaffAccount(deps, { email, role: 'editor' });
      const token = new URL(await issueSetupLink(deps, accountId, 'http://localhost')).pathname
        .split('/')
        .at(-1);
      assert.ok(token);
      const view = await setupView(deps, token, 'Byline');
      assert.ok(view);
      const secret = decodeBase32IgnorePadding(view.secretText.replaceAll(' ', ''));
      const done = await completeSetup(deps, {
        token,
        password: PASSWORD,
        passwordAgain: PASSWORD,
        code: totpCodeAt(secret, new Date()),
      });
      assert.ok(done.ok);
      const { perAccount, perClient } = STAFF_SIGNIN_LIMITS;
      const checked = (status: number) => status === 400;
      const account = await inOneWindow(perAccount.windowSeconds, () =>
        acrossBoth(
          pair,
          2 * perAccount.max,
          (base, i) =>
            postForm(
              base,
              '/staff/login',
              { email, password: `wrong password ${i}`, code: '123456' },
              { headers: forged() },
            ),
          checked,
        ),
      );
      report(ctx, 'staff sign-in per account', account, perAccount.max);
      const client = await inOneWindow(perClient.windowSeconds, () =>
        acrossBoth(
          pair,
          2 * perClient.max,
          (base, i) =>
            postForm(
              base,
              '/staff/login',
              { email: `nobody${i}@example.com`, password: 'wrong password', code: '123456' },
              { headers: forged() },
            ),
          checked,
        ),
      );
      report(ctx, 'staff sign-in per client', client, perClient.max);
    });

    it("holds one reader's comments per article per day across A and B", async (ctx) => {
      assert.ok(servers);
      const article = await publishedArticle(deps);
      const readerId = await testReader(deps, '한도독자');
      const session = await createSession(deps, {
        accountId: readerId,
        kind: 'reader',
        method: 'email',
        userAgent: 'security-limits.test',
        ip: '127.0.0.1',
      });
      // A sliding day kept in the comments themselves: no window edge to straddle.
      const tally = await acrossBoth(
        servers,
        2 * COMMENTS_PER_DAY,
        (base, i) =>
          postForm(
            base,
            `/articles/${article.id}/comments`,
            { body: `하루 한도 시험 댓글 ${i}`, acceptPolicy: '1' },
            { cookie: `byline_session=${session.token}`, headers: forged() },
          ),
        (status) => status === 201,
      );
      report(ctx, 'comments per article per day, one reader', tally, COMMENTS_PER_DAY);
      const stored = await deps.db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('author_id', '=', readerId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), COMMENTS_PER_DAY);
    });

    it("holds one reader's votes per day across A and B", async (ctx) => {
      assert.ok(servers);
      const article = await publishedArticle(deps);
      const authorId = await testReader(deps, '글쓴이');
      const posting = { ...deps, config: testConfig({ BYLINE_COMMENT_MIN_GAP_SECONDS: '0' }) };
      const comment = await postComment(posting, {
        articleId: article.id,
        authorId,
        body: '공감을 받을 댓글',
      });
      const voterId = await testReader(deps, '투표자');
      const session = await createSession(deps, {
        accountId: voterId,
        kind: 'reader',
        method: 'email',
        userAgent: 'security-limits.test',
        ip: '127.0.0.1',
      });
      // Every cast or change counts against the day, so flipping one vote is the quickest way.
      const tally = await acrossBoth(
        servers,
        2 * VOTES_PER_DAY,
        (base, i) =>
          postForm(
            base,
            `/comments/${comment.id}/vote`,
            { value: i % 2 === 0 ? 'up' : 'down' },
            { cookie: `byline_session=${session.token}`, headers: forged() },
          ),
        (status) => status === 200,
      );
      report(ctx, 'votes per day, one reader', tally, VOTES_PER_DAY);
    });

    it('holds new accounts per client across A and B', async (ctx) => {
      assert.ok(servers);
      const pair = servers;
      const tally = await inOneWindow(SIGNUP_LIMIT.windowSeconds, async () => {
        // Each new reader asks for a code first (within that limit), then types it in.
        const flows: { email: string; cookie: string }[] = [];
        for (let i = 0; i < 2 * SIGNUP_LIMIT.max; i += 1) {
          const email = `new.reader${i}-${randomInt(1e9)}@example.com`;
          const server = pair[i % 2];
          assert.ok(server);
          const response = await fetch(`${server.url}/login/email`, {
            method: 'POST',
            redirect: 'manual',
            headers: {
              cookie: 'byline_csrf=csrf-token-of-this-browser-0123456789',
              'content-type': 'application/x-www-form-urlencoded',
              'sec-fetch-site': 'same-origin',
              ...forged(),
            },
            body: new URLSearchParams({
              _csrf: 'csrf-token-of-this-browser-0123456789',
              email,
            }),
          });
          await response.arrayBuffer();
          assert.equal(response.status, 303);
          const flow = response.headers
            .getSetCookie()
            .find((cookie) => cookie.startsWith('byline_flow='));
          assert.ok(flow);
          flows.push({ email, cookie: flow.split(';')[0] ?? '' });
        }
        return acrossBoth(
          pair,
          flows.length,
          (base, i) => {
            const flow = flows[i];
            assert.ok(flow);
            return postForm(
              base,
              '/login/email/code',
              { code: mailedCode(flow.email) },
              { cookie: flow.cookie, headers: forged() },
            );
          },
          (status) => status === 303,
        );
      });
      report(ctx, 'new accounts per client', tally, SIGNUP_LIMIT.max);
    });

    it('holds live streams per client in each process, whatever the header says', async (ctx) => {
      assert.ok(servers);
      const article = await publishedArticle(deps);
      const open: AbortController[] = [];
      const perProcess = [0, 0];
      const tally: Tally = { sent: 0, accepted: 0, refusals: [], wrong: [] };
      try {
        // Twice the limit to each process: the count is each process's own (config.ts).
        for (let i = 0; i < 4 * STREAMS_PER_CLIENT; i += 1) {
          const k = i % 2;
          const server = servers[k];
          assert.ok(server);
          const abort = new AbortController();
          const response = await fetch(`${server.url}/articles/${article.id}/comments/live`, {
            headers: forged(),
            signal: abort.signal,
          });
          tally.sent += 1;
          if (response.status === 200) {
            open.push(abort);
            tally.accepted += 1;
            perProcess[k] = (perProcess[k] ?? 0) + 1;
          } else {
            const retryAfter = Number(response.headers.get('retry-after') ?? 0);
            const body = await response.text();
            if (response.status === 429 && retryAfter > 0) tally.refusals.push(429);
            else tally.wrong.push(`${response.status} retry-after ${retryAfter}: ${body}`);
          }
        }
      } finally {
        for (const abort of open) abort.abort();
      }
      ctx.diagnostic(
        `live streams per client: sent ${tally.sent} (${2 * STREAMS_PER_CLIENT} to each process), ` +
          `accepted ${perProcess.join(' + ')}, limit ${STREAMS_PER_CLIENT} per process`,
      );
      assert.deepEqual(tally.wrong, []);
      assert.deepEqual(perProcess, [STREAMS_PER_CLIENT, STREAMS_PER_CLIENT]);
    });

    it("behind the configured proxy, counts the forwarded address, and holds a reader's minimum gap", async (ctx) => {
      const pair = await startPair({
        BYLINE_TRUSTED_PROXY: '127.0.0.1',
        BYLINE_COMMENT_MIN_GAP_SECONDS: '600',
      });
      const { perClient } = EMAIL_CODE_LIMITS;
      const send = (client: () => string) => (base: string, i: number) =>
        postForm(
          base,
          '/login/email',
          { email: `proxied${i}-${randomInt(1e9)}@example.com` },
          { headers: { 'x-forwarded-for': client() } },
        );
      const accepted = (status: number) => status === 303;
      // Each request from a different reader behind the proxy: none is over its own limit.
      const many = await inOneWindow(perClient.windowSeconds, () =>
        acrossBoth(pair, 2 * perClient.max, send(spoofed), accepted),
      );
      ctx.diagnostic(
        `behind the proxy, ${many.sent} code requests from ${many.sent} forwarded addresses: ` +
          `accepted ${many.accepted}`,
      );
      assert.deepEqual(many.wrong, []);
      assert.equal(many.accepted, many.sent, 'each forwarded client has its own budget');
      // One reader behind the proxy: their forwarded address is counted, on both processes.
      const reader = spoofed();
      const one = await inOneWindow(perClient.windowSeconds, () =>
        acrossBoth(
          pair,
          2 * perClient.max,
          send(() => reader),
          accepted,
        ),
      );
      report(ctx, 'e-mailed codes per forwarded client', one, perClient.max);

      const article = await publishedArticle(deps);
      const readerId = await testReader(deps, '간격독자');
      const session = await createSession(deps, {
        accountId: readerId,
        kind: 'reader',
        method: 'email',
        userAgent: 'security-limits.test',
        ip: '127.0.0.1',
      });
      const gap = await acrossBoth(
        pair,
        2,
        (base, i) =>
          postForm(
            base,
            `/articles/${article.id}/comments`,
            { body: `간격 시험 댓글 ${i}`, acceptPolicy: '1' },
            { cookie: `byline_session=${session.token}`, headers: forged() },
          ),
        (status) => status === 201,
      );
      report(ctx, 'comments within the minimum gap, one reader', gap, 1);
    });
  });
}
