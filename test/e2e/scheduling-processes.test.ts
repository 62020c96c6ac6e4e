import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { testDatabaseUrl } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/db.js';
import { migrateToLatest } from '../../src/db/db-migrate.js';
import { silentLog, testDeps } from '../../src/db/db-test.js';
import type { AppDeps } from '../../src/deps.js';
import { createStory, scheduleStory } from '../../src/newsroom/newsroom.service.js';
import { ensureSections, staffAccount, storyContent } from '../../src/newsroom/newsroom.testing.js';
import type { StoryActor } from '../../src/newsroom/story.js';
import { startServer, type RunningServer } from './cli-process.js';
import { postgresBackend } from './e2e-databases.js';

/**
 * Scheduling across real `byline serve` processes on one PostgreSQL database, on the real
 * clock: each runs the scheduler, and each story goes live once (docs/decisions/0015). Then
 * the restart: a minute passes with no process running, and the first to start catches up.
 * The waits are bounded only so that a broken scheduler fails the test instead of hanging it.
 */

/** The first whole minute at least `aheadMs` from now. */
function nextMinute(aheadMs: number): Date {
  return new Date(Math.ceil((Date.now() + aheadMs) / 60_000) * 60_000);
}

const serverUrl = testDatabaseUrl();
if (serverUrl) {
  describe('scheduled stories with two app processes on one PostgreSQL database', () => {
    const backend = postgresBackend(serverUrl, 'byline-e2e-scheduling');
    const env = { ...backend.env, BYLINE_DEMO_CONTENT: 'false' };
    let handle: DatabaseHandle;
    let deps: AppDeps;
    let editor: StoryActor;
    const servers: RunningServer[] = [];

    async function schedule(count: number, at: Date): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const { id } = await createStory(
          deps,
          editor,
          storyContent({ headline: `예약 기사 ${i}` }),
        );
        await scheduleStory(deps, editor, id, at);
        ids.push(id);
      }
      return ids;
    }

    async function publishedCount(ids: readonly string[]): Promise<number> {
      const rows = await handle.db
        .selectFrom('articles')
        .select('id')
        .where('id', 'in', ids)
        .where('status', '=', 'published')
        .execute();
      return rows.length;
    }

    /** Polls the database until every story is published, or `deadline` says it never will. */
    async function untilPublished(ids: readonly string[], deadline: Date): Promise<void> {
      while ((await publishedCount(ids)) < ids.length) {
        if (Date.now() > deadline.getTime()) {
          assert.fail(
            `${await publishedCount(ids)} of ${ids.length} published by ${deadline.toISOString()}`,
          );
        }
        await sleep(250);
      }
    }

    async function publications(ids: readonly string[]) {
      return handle.db
        .selectFrom('article_publications')
        .select(['article_id', 'due_at', 'published_at', 'process'])
        .where('article_id', 'in', ids)
        .execute();
    }

    before(async () => {
      await backend.setUp();
      handle = await openDatabase(backend.target, { log: silentLog, purpose: 'scheduling e2e' });
      await migrateToLatest(handle.db);
      // The real clock: the servers decide "due" by theirs.
      deps = testDeps(handle, { clock: () => new Date() });
      await ensureSections(handle);
      editor = {
        accountId: (await staffAccount(handle, 'editor', '박지호')).id,
        role: 'editor',
      };
    });

    after(async () => {
      await Promise.all(servers.map((server) => server.kill()));
      await handle.close();
      await backend.tearDown();
    });

    it('publishes twenty stories at their minute, each once, with both processes running', async () => {
      servers.push(await startServer(env), await startServer(env));
      const at = nextMinute(5_000);
      const ids = await schedule(20, at);
      await untilPublished(ids, new Date(at.getTime() + 60_000));
      const rows = await publications(ids);
      assert.deepEqual(rows.map((row) => row.article_id).sort(), [...ids].sort());
      assert.ok(
        rows.every((row) => row.due_at?.getTime() === at.getTime() && row.published_at >= at),
        'each went live at or after its minute, recorded as due then',
      );
    });

    it('catches up after a restart: a story due while no process ran goes live once, late', async () => {
      const codes = await Promise.all(servers.splice(0).map((server) => server.stop()));
      assert.deepEqual(codes, [0, 0]);
      const at = nextMinute(2_000);
      const [id] = await schedule(1, at);
      assert.ok(id !== undefined);
      // The minute passes with no process running.
      await sleep(at.getTime() - Date.now() + 1_000);
      servers.push(await startServer(env));
      // The first minute the restarted process wakes at: publishing before it is the catch-up.
      const firstTick = nextMinute(0);
      await untilPublished([id], new Date(Date.now() + 90_000));
      const rows = await publications([id]);
      assert.equal(rows.length, 1);
      const row = rows[0];
      assert.ok(row?.due_at, 'the publication records the minute it was due');
      assert.equal(row.due_at.getTime(), at.getTime());
      // Late, since no process ran at its minute; by the run at start, not by the next minute's.
      assert.ok(row.published_at.getTime() > at.getTime());
      assert.ok(row.published_at < firstTick, `published at ${row.published_at.toISOString()}`);
    });
  });
}
