import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { testDatabaseUrl } from '../../src/config.js';
import { openDatabase, type DatabaseTarget } from '../../src/db/db.js';
import { silentLog } from '../../src/db/db-test.js';
import { startServer, type RunningServer } from './cli-process.js';
import {
  articleWithReaders,
  pgliteBackend,
  postgresBackend,
  type Reader,
} from './e2e-databases.js';

/**
 * The reliability battery of docs/SECURITY.md, R4: the app is killed (SIGKILL, no shutdown of any
 * kind) while readers post comments, and started again on the same database. A comment answered
 * with 201 was promised to its reader, so every one must be there after the restart, with its text,
 * and the article's published count must agree with its rows. Counts and contents, never timings.
 */

/** Writers in flight at once: each is a reader of its own, as the service locks a reader's row. */
const WRITERS = 8;
/** Acknowledged comments before the kill. */
const KILL_AFTER = 100;

type Stored = { rows: Map<string, { body: string; status: string }>; counter: number };

/** Reads back the article's comments and its counter, with the server stopped. */
async function stored(target: DatabaseTarget, articleId: string): Promise<Stored> {
  const handle = await openDatabase(target, { log: silentLog, purpose: 'reliability-writes.test' });
  try {
    const rows = await handle.db
      .selectFrom('comments')
      .select(['id', 'body', 'status'])
      .where('article_id', '=', articleId)
      .execute();
    const counter = await handle.db
      .selectFrom('comment_counts')
      .select('published')
      .where('article_id', '=', articleId)
      .executeTakeFirst();
    return {
      rows: new Map(rows.map((r) => [r.id, { body: r.body, status: r.status }])),
      counter: counter?.published ?? 0,
    };
  } finally {
    await handle.close();
  }
}

/** Posts a comment as the reader's enhanced form does, with its cookies, token and fetch metadata. */
function postComment(base: string, articleId: string, reader: Reader, body: string) {
  return fetch(`${base}/articles/${articleId}/comments`, {
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
}

type Outcome = {
  acknowledged: Map<string, string>;
  /** Posts that got no answer, or no complete one: the kill cut them off. */
  cutOff: number;
  /** Answers other than 201 before the kill: none is expected. */
  refused: string[];
};

/**
 * Each writer posts until the kill. The writer whose 201 makes KILL_AFTER sends SIGKILL at once,
 * while the others' posts are still in flight; after that nobody starts a new one.
 */
async function postUntilKilled(
  server: RunningServer,
  articleId: string,
  readers: Reader[],
): Promise<Outcome> {
  const outcome: Outcome = { acknowledged: new Map(), cutOff: 0, refused: [] };
  const run = randomBytes(3).toString('hex');
  let sent = 0;
  let killed: Promise<void> | undefined;
  const writer = async (reader: Reader) => {
    while (!killed) {
      sent += 1;
      const body = `죽기 직전의 댓글 ${sent} (${run}) — comment ${sent} before the kill`;
      try {
        const res = await postComment(server.url, articleId, reader, body);
        const text = await res.text();
        if (res.status !== 201) {
          // Not what this test is about, and asking again would only repeat it: stop writing.
          outcome.refused.push(`${res.status} ${text.slice(0, 200)}`);
          return;
        }
        const answer = JSON.parse(text) as { comment: { id: string } };
        outcome.acknowledged.set(answer.comment.id, body);
        if (outcome.acknowledged.size >= KILL_AFTER) killed ??= server.kill();
      } catch (error) {
        // Before the kill, a failure is the server's own (it crashed?): report it and stop.
        if (!killed) {
          outcome.refused.push(String(error));
          return;
        }
        // A reset connection or a body cut short by the kill: no promise was made.
        outcome.cutOff += 1;
      }
    }
  };
  await Promise.all(readers.map(writer));
  await killed;
  return outcome;
}

/** The count in the heading of an article page's comments: `<span data-comment-count…>3</span>`. */
function shownCount(html: string): number {
  const count = /<span data-comment-count[^>]*>(\d+)<\/span>/.exec(html)?.[1];
  assert.ok(count !== undefined, 'the page shows a comment count');
  return Number(count);
}

const serverUrl = testDatabaseUrl();
const backends = [
  pgliteBackend('byline-r4'),
  ...(serverUrl ? [postgresBackend(serverUrl, 'byline-r4')] : []),
];

for (const backend of backends) {
  describe(`kill -9 while readers post comments, on ${backend.name} (R4)`, () => {
    const env = {
      ...backend.env,
      BYLINE_DEMO_CONTENT: 'false',
      BYLINE_PAGE_CACHE: 'false',
      // Many comments from few readers, fast: the limits are not what this test is about.
      BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
      BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '10000',
      BYLINE_COMMENT_DUPLICATE_HOURS: '0',
    };
    let server: RunningServer | undefined;

    after(async () => {
      await server?.kill();
      await backend.tearDown();
    });

    it('keeps every acknowledged comment and a true count after a restart', async (t) => {
      await backend.setUp();
      const { articleId, articlePath, readers } = await articleWithReaders(backend.target, {
        count: WRITERS,
        name: '독자',
        purpose: 'reliability-writes.test',
      });
      server = await startServer(env);
      // Left set until the restart: should the writers stop before the kill, after() ends it.
      const outcome = await postUntilKilled(server, articleId, readers);
      assert.deepEqual(outcome.refused, [], 'every answer before the kill was 201');
      assert.ok(outcome.acknowledged.size >= KILL_AFTER);

      // The restart finds what the dead process left: a PGlite folder and its stale lock, or
      // a PostgreSQL database that saw its connections drop mid-transaction.
      const restarting = performance.now();
      server = await startServer(env);
      const restartMs = Math.round(performance.now() - restarting);
      const page = await fetch(`${server.url}${articlePath}`);
      const html = await page.text();
      await server.stop();
      server = undefined;

      const { rows, counter } = await stored(backend.target, articleId);
      const lost = [...outcome.acknowledged].filter(([id, body]) => rows.get(id)?.body !== body);
      const published = [...rows.values()].filter((r) => r.status === 'published').length;
      const diagnostics = `acknowledged ${outcome.acknowledged.size}, cut off ${outcome.cutOff}, stored ${rows.size}, lost ${lost.length}, restarted in ${restartMs} ms (reported, not asserted)`;
      t.diagnostic(diagnostics);
      assert.deepEqual(lost, [], diagnostics);
      assert.equal(counter, published, `the counter agrees with the rows: ${diagnostics}`);
      assert.equal(page.status, 200);
      assert.equal(shownCount(html), published, 'the restarted server shows the true count');
    });
  });
}
