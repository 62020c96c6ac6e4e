import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createSession } from '../../src/accounts/sessions.js';
import { addStaffAccount } from '../../src/accounts/staff.service.js';
import { postComment as postThroughService } from '../../src/comments/comments.service.js';
import { setThreadSettings } from '../../src/comments/comments.settings.js';
import { publishedArticle, testReader } from '../../src/comments/comments.testing.js';
import { testDatabaseUrl } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/db.js';
import { silentLog, testConfig, testDeps } from '../../src/db/db-test.js';
import type { AppDeps } from '../../src/deps.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * Comments across two real app processes on one PostgreSQL database: what a reader sees when the
 * load balancer sends their requests to either. Every process LISTENs on the comments channel,
 * so a comment posted through A reaches a live stream held by B; the reader's limits are rows in
 * the database, so they hold whichever process is asked. Counts and contents, never timings.
 */

/** What a browser holds: the session token the services made, and its own CSRF token. */
type Reader = { accountId: string; cookie: string; csrf: string };

type LiveEvent = { event: string; id: string; data: string };

/**
 * An open server-sent-events stream, read as a browser's EventSource would. `next` waits for
 * the next event of a kind; the bound is the server answering at all, not a speed.
 */
type LiveStream = { next(event: string): Promise<LiveEvent>; close(): void };

async function openLive(url: string, cookie: string): Promise<LiveStream> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.ok(response.body, 'the stream has a body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const parse = (block: string): LiveEvent => {
    const event: LiveEvent = { event: 'message', id: '', data: '' };
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue; // A comment line (keep-alive) or a blank one.
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'data') event.data += value;
    }
    return event;
  };
  return {
    async next(kind) {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const event = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event.event === kind) return event;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) assert.fail(`the stream ended before an "${kind}" event`);
        buffer += value;
      }
    },
    close() {
      abort.abort();
    },
  };
}

/** Gives up waiting on a stream only when something is broken, not when a machine is slow. */
function patiently<T>(what: string, promise: Promise<T>, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A moderator's browser: a staff session made on the shared database, and its CSRF token. */
type Moderator = { name: string; accountId: string; cookie: string; csrf: string };

/** Posts a desk form as a moderator's browser does: cookies, the token echoed, fetch metadata. */
function deskPost(
  base: string,
  moderator: Moderator,
  url: string,
  form: Record<string, string>,
  accept = 'text/html',
): Promise<Response> {
  return fetch(`${base}${url}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: moderator.cookie,
      accept,
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({ _csrf: moderator.csrf, ...form }),
  });
}

/** The moderation revision a comment's case page offers its decision form. */
async function revOnCasePage(base: string, moderator: Moderator, id: string): Promise<string> {
  const page = await fetch(`${base}/moderation/comments/${id}`, {
    redirect: 'manual',
    headers: { cookie: moderator.cookie },
  });
  assert.equal(page.status, 200, `${base}/moderation/comments/${id}`);
  const rev = /name="rev" value="(\d+)"/.exec(await page.text())?.[1];
  assert.ok(rev !== undefined, 'the case page has a decision form');
  return rev;
}

/** What one moderator did working through the pending queue: each answer's status, in order. */
type Shift = { claimed: string[]; approved: string[]; refused: string[]; statuses: number[] };

/**
 * Works through the pending queue as a moderator at one desk does: take the next item, read its
 * page, approve it; until the desk says nothing is left. A refusal is recorded, not thrown, so
 * the test can say what went wrong with the whole run; `rounds` stops a loop that never ends.
 */
async function workThroughPending(base: string, moderator: Moderator, rounds: number) {
  const shift: Shift = { claimed: [], approved: [], refused: [], statuses: [] };
  for (let round = 0; round < rounds; round += 1) {
    const next = await deskPost(base, moderator, '/moderation/queue/pending/next', {});
    shift.statuses.push(next.status);
    await next.arrayBuffer();
    assert.equal(next.status, 303, `${moderator.name}: next`);
    const location = next.headers.get('location') ?? '';
    if (location === '/moderation/queue/pending?nothing=1') return shift;
    const id = /^\/moderation\/comments\/(\d+)$/.exec(location)?.[1];
    assert.ok(id !== undefined, `${moderator.name}: a comment page, not ${location}`);
    shift.claimed.push(id);
    const rev = await revOnCasePage(base, moderator, id);
    const decided = await deskPost(
      base,
      moderator,
      `/moderation/comments/${id}/decide`,
      { rev, decision: 'approve' },
      'application/json',
    );
    shift.statuses.push(decided.status);
    await decided.arrayBuffer();
    (decided.status === 303 ? shift.approved : shift.refused).push(id);
  }
  assert.fail(`${moderator.name}: the queue was not empty after ${rounds} rounds`);
}

/** Posts a comment as the reader's browser does, with its cookies, token and fetch metadata. */
function postComment(
  base: string,
  articleId: string,
  reader: Reader,
  form: Record<string, string>,
  accept = 'application/json',
): Promise<Response> {
  return fetch(`${base}/articles/${articleId}/comments`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: reader.cookie,
      accept,
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({ _csrf: reader.csrf, ...form }),
  });
}

/** The count in the heading of an article page's comments: `<span data-comment-count…>3</span>`. */
function shownCount(html: string): number {
  const count = /<span data-comment-count[^>]*>(\d+)<\/span>/.exec(html)?.[1];
  assert.ok(count !== undefined, 'the page shows a comment count');
  return Number(count);
}

const serverUrl = testDatabaseUrl();
if (serverUrl) {
  describe('comments across two app processes on one PostgreSQL database', () => {
    const name = `byline_comments_${randomBytes(4).toString('hex')}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-e2e-comments-'));
    const env = {
      DATABASE_URL: url.toString(),
      BYLINE_DEMO_CONTENT: 'false',
      BYLINE_DATA_DIR: dataDir,
      // Ten minutes between a reader's comments: "immediately after" holds on any machine.
      BYLINE_COMMENT_MIN_GAP_SECONDS: '600',
    };
    let admin: pg.Client;
    let handle: DatabaseHandle | undefined;
    let a: RunningServer | undefined;
    let b: RunningServer | undefined;
    let deps: AppDeps;
    let article: { id: string; path: string };
    let reader: Reader;
    let live: LiveStream | undefined;

    before(async () => {
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(
        `create database ${pg.escapeIdentifier(name)} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
      );
      // A migrates the new database; B and this test open it once it has.
      a = await startServer(env);
      [b, handle] = await Promise.all([
        startServer(env),
        openDatabase(
          { kind: 'postgres', url: url.toString() },
          { log: silentLog, purpose: 'test' },
        ),
      ]);
      // The services on the same database, with the real clock the servers use for sessions.
      deps = testDeps(handle, { clock: () => new Date() });
      article = await publishedArticle(deps);
      const accountId = await testReader(deps, '김독자');
      const { token } = await createSession(deps, {
        accountId,
        kind: 'reader',
        method: 'email',
        userAgent: 'comments-processes.test',
        ip: '127.0.0.1',
      });
      const csrf = randomBytes(32).toString('base64url');
      reader = { accountId, csrf, cookie: `byline_session=${token}; byline_csrf=${csrf}` };
    });

    after(async () => {
      live?.close();
      await Promise.all([a?.stop(), b?.stop()]);
      await handle?.close();
      await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("knows the reader's session on both processes", async () => {
      for (const server of [a, b]) {
        assert.ok(server);
        const res = await fetch(`${server.url}/account`, {
          redirect: 'manual',
          headers: { cookie: reader.cookie },
        });
        assert.equal(res.status, 200, `${server.url}/account`);
        await res.arrayBuffer();
      }
    });

    it('delivers a comment posted through A to a live stream on B, with the new count', async () => {
      assert.ok(a && b);
      // B's page cache keeps the article with no comments; only a notification can drop it.
      for (let i = 0; i < 2; i += 1)
        assert.equal(shownCount(await fetch(`${b.url}${article.path}`).then((r) => r.text())), 0);
      // The stream is subscribed before its headers are sent: from here on, B hears everything.
      live = await openLive(`${b.url}/articles/${article.id}/comments/live`, reader.cookie);

      const posted = await postComment(a.url, article.id, reader, {
        body: '프로세스 A에서 쓴 댓글입니다. Posted through A.',
      });
      assert.equal(posted.status, 201);
      const answer = (await posted.json()) as {
        comment: { id: string; parentId: string | null; status: string };
        count: number;
      };
      assert.equal(answer.comment.status, 'published');
      assert.equal(answer.count, 1);

      const event = await patiently('the live stream on B', live.next('comment'));
      assert.equal(event.id, answer.comment.id);
      const data = JSON.parse(event.data) as {
        id: string;
        parentId: string | null;
        count: number;
        html: string;
      };
      assert.equal(data.id, answer.comment.id);
      assert.equal(data.parentId, null);
      assert.equal(data.count, 1);
      assert.match(data.html, /프로세스 A에서 쓴 댓글입니다\. Posted through A\./);
      assert.match(data.html, new RegExp(`id="comment-${answer.comment.id}"`));
    });

    it("drops B's cached article page when A posts, so B shows the new count", async () => {
      assert.ok(b);
      // The stream's event above came after B heard the NOTIFY and dropped the page: no polling.
      const html = await fetch(`${b.url}${article.path}`).then((r) => r.text());
      assert.equal(shownCount(html), 1);
      assert.match(html, /프로세스 A에서 쓴 댓글입니다/);
    });

    it("holds the reader's minimum gap across processes: 429 with Retry-After on B", async () => {
      assert.ok(b);
      // The form without JavaScript: the reader sees why, and their text again.
      const form = await postComment(
        b.url,
        article.id,
        reader,
        { body: '곧바로 B에서 다시 씁니다.' },
        'text/html',
      );
      assert.equal(form.status, 429);
      assert.ok(Number(form.headers.get('retry-after')) > 0, 'Retry-After is a wait in seconds');
      assert.match(await form.text(), /곧바로 B에서 다시 씁니다\./);

      const json = await postComment(b.url, article.id, reader, { body: '또 B에서 씁니다.' });
      assert.equal(json.status, 429);
      const body = (await json.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'COMMENT_TOO_SOON');
      assert.ok(Number(json.headers.get('retry-after')) > 0, 'and so does the enhanced form');

      const count = await deps.db
        .selectFrom('comments')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('article_id', '=', article.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1, 'the refused comments wrote nothing');
    });

    let moderators = 0;

    /** A moderator and a staff session for them, made directly in the shared database. */
    async function moderator(name: string): Promise<Moderator> {
      moderators += 1;
      const { accountId } = await addStaffAccount(deps, {
        email: `desk${String(moderators)}-${String(process.pid)}@example.com`,
        role: 'moderator',
        displayName: name,
      });
      const { token } = await createSession(deps, {
        accountId,
        kind: 'staff',
        method: 'password+totp',
        userAgent: 'comments-processes.test',
        ip: '127.0.0.1',
      });
      const csrf = randomBytes(32).toString('base64url');
      return { name, accountId, csrf, cookie: `byline_session=${token}; byline_csrf=${csrf}` };
    }

    /** A pre-moderated article with `count` comments held on it for the desk, oldest first. */
    async function heldComments(count: number, by: string): Promise<string[]> {
      const held = await publishedArticle(deps);
      await setThreadSettings(deps, {
        scope: 'article',
        id: held.id,
        overrides: { state: null, closeAfterHours: null, premoderated: true },
        by,
      });
      // One reader writes them all: the posting limits are not what this test is about.
      const posting = {
        ...deps,
        config: testConfig({
          BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
          BYLINE_COMMENT_DUPLICATE_HOURS: '0',
          BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '1000',
        }),
      };
      const authorId = await testReader(deps, '박보류');
      const ids: string[] = [];
      for (let i = 1; i <= count; i += 1) {
        const posted = await postThroughService(posting, {
          articleId: held.id,
          authorId,
          body: `검토를 기다리는 댓글 ${String(i)}번입니다.`,
        });
        ids.push(posted.id);
      }
      return ids;
    }

    async function statusesOf(ids: readonly string[]): Promise<string[]> {
      const rows = await deps.db
        .selectFrom('comments')
        .select(['id', 'status'])
        .where('id', 'in', ids)
        .execute();
      const status = new Map(rows.map((r) => [r.id, r.status as string]));
      return ids.map((id) => status.get(id) ?? 'missing');
    }

    /** How many `comment_approved` entries the moderation log holds for each comment. */
    async function approvalsOf(ids: readonly string[]): Promise<Map<string, number>> {
      const rows = await deps.db
        .selectFrom('moderation_log')
        .select((eb) => ['comment_id', eb.fn.countAll<string>().as('n')])
        .where('action', '=', 'comment_approved')
        .where('comment_id', 'in', ids)
        .groupBy('comment_id')
        .execute();
      return new Map(rows.map((r) => [r.comment_id ?? '', Number(r.n)]));
    }

    it('lets two moderators on A and B work through 30 held comments: each claimed and approved once, none left', async (t) => {
      assert.ok(a && b);
      const [onA, onB] = await Promise.all([moderator('최위원'), moderator('정위원')]);
      const held = await heldComments(30, onA.accountId);
      assert.deepEqual(
        await statusesOf(held),
        held.map(() => 'pending'),
      );

      // Both desks at once, each through its own process; neither waits for the other.
      const rounds = held.length + 5;
      const [shiftA, shiftB] = await Promise.all([
        workThroughPending(a.url, onA, rounds),
        workThroughPending(b.url, onB, rounds),
      ]);
      const approvals = await approvalsOf(held);
      const twice = held.filter((id) => (approvals.get(id) ?? 0) > 1);
      t.diagnostic(
        `claims: ${String(shiftA.claimed.length)} through A, ${String(shiftB.claimed.length)} through B; ` +
          `refused ${String(shiftA.refused.length + shiftB.refused.length)}; double-processed ${String(twice.length)}`,
      );

      const statuses = [...shiftA.statuses, ...shiftB.statuses];
      assert.deepEqual(
        statuses.filter((s) => s >= 500),
        [],
        'no server errors',
      );
      assert.deepEqual([...shiftA.refused, ...shiftB.refused], [], 'every decision went through');
      const claimed = [...shiftA.claimed, ...shiftB.claimed];
      assert.equal(new Set(claimed).size, claimed.length, 'no comment was claimed twice');
      assert.deepEqual([...claimed].sort(), [...held].sort(), 'every held comment was claimed');
      assert.ok(shiftA.claimed.length > 0, 'the moderator on A took some');
      assert.ok(shiftB.claimed.length > 0, 'the moderator on B took some');
      assert.deepEqual(twice, [], 'no comment approved twice');
      assert.deepEqual(
        held.filter((id) => approvals.get(id) !== 1),
        [],
        'every comment approved exactly once',
      );
      assert.deepEqual(
        await statusesOf(held),
        held.map(() => 'published'),
        'nothing is left pending',
      );
    });

    it('lets one of two moderators deciding the same comment at once through A and B win; the other gets 409', async (t) => {
      assert.ok(a && b);
      const [onA, onB] = await Promise.all([moderator('한위원'), moderator('윤위원')]);
      const held = await heldComments(8, onA.accountId);
      const codes: string[] = [];
      for (const [i, id] of held.entries()) {
        // Every other comment, A's moderator took it from the queue first: a claim B must respect.
        if (i % 2 === 1) {
          const next = await deskPost(a.url, onA, '/moderation/queue/pending/next', {});
          await next.arrayBuffer();
          assert.equal(next.headers.get('location'), `/moderation/comments/${id}`);
        }
        const [revA, revB] = await Promise.all([
          revOnCasePage(a.url, onA, id),
          revOnCasePage(b.url, onB, id),
        ]);
        const decide = (base: string, member: Moderator, rev: string): Promise<Response> =>
          deskPost(
            base,
            member,
            `/moderation/comments/${id}/decide`,
            { rev, decision: 'approve' },
            'application/json',
          );
        const answers: Response[] = await Promise.all([
          decide(a.url, onA, revA),
          decide(b.url, onB, revB),
        ]);
        const statuses = answers.map((r) => r.status);
        assert.deepEqual([...statuses].sort(), [303, 409], `comment ${id}: ${statuses.join(', ')}`);
        for (const answer of answers) {
          if (answer.status !== 409) {
            await answer.arrayBuffer();
            continue;
          }
          const { error } = (await answer.json()) as { error: { code: string } };
          assert.ok(
            error.code === 'MODERATION_STALE' || error.code === 'MODERATION_CLAIMED',
            error.code,
          );
          codes.push(error.code);
        }
      }
      t.diagnostic(`refusals: ${codes.join(', ')}`);
      const approvals = await approvalsOf(held);
      assert.deepEqual(
        held.map((id) => approvals.get(id) ?? 0),
        held.map(() => 1),
        'each comment approved exactly once',
      );
    });
  });
}
