import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { testClock } from '../accounts/accounts.testing.js';
import { testDatabaseUrl } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/db.js';
import { silentLog, testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import {
  createStory,
  getStory,
  listStories,
  publishDue,
  publishNow,
  saveStory,
  scheduleStory,
  type Publication,
} from './newsroom.service.js';
import { ensureSections, staffAccount, storyContent } from './newsroom.testing.js';
import { msToNextMinute, startScheduler, type SchedulerTimers } from './scheduler.js';
import type { StoryActor } from './story.js';

type LogLine = { level: number; msg: string; story?: string; lateSeconds?: number };

/** A logger whose lines the test reads back, as an operator would read them. */
function capturedLog() {
  const lines: LogLine[] = [];
  const log = pino(
    { level: 'info' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  return { log, lines };
}

/**
 * Timers the test fires itself: the scheduler's next wake-up is recorded, not waited for.
 * `nextWake()` resolves when the scheduler asks for one, that is when a run has finished.
 */
function manualTimers() {
  const waiting: { run: () => void; ms: number }[] = [];
  let asked: (() => void) | undefined;
  const timers: SchedulerTimers = {
    setTimeout(run, ms) {
      const wake = { run, ms };
      waiting.push(wake);
      asked?.();
      return wake;
    },
    clearTimeout(handle) {
      const index = waiting.indexOf(handle as { run: () => void; ms: number });
      if (index >= 0) waiting.splice(index, 1);
    },
  };
  return {
    timers,
    waiting,
    nextWake(): Promise<{ run: () => void; ms: number }> {
      return new Promise((resolve) => {
        const check = () => {
          const wake = waiting.shift();
          if (wake) resolve(wake);
          else asked = check;
        };
        check();
      });
    },
  };
}

/** The publication records of these stories, with their lateness in seconds. */
async function publicationsOf(handle: DatabaseHandle, ids: readonly string[]) {
  const rows = await handle.db
    .selectFrom('article_publications')
    .select(['article_id', 'due_at', 'published_at', 'process'])
    .where('article_id', 'in', ids)
    .orderBy('due_at')
    .execute();
  return rows.map((row) => ({
    id: row.article_id,
    process: row.process,
    due: row.due_at?.toISOString() ?? null,
    lateSeconds: row.due_at ? (row.published_at.getTime() - row.due_at.getTime()) / 1000 : null,
  }));
}

const minute = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);

for (const backend of testBackends()) {
  describe(`the scheduler (${backend.name})`, () => {
    let handle: DatabaseHandle;
    let deps: AppDeps;
    // One clock for the whole file, only ever moved forward: a story left due by one test is
    // published (or fails) in the next one's runs, so each test counts its own stories only.
    const clock = testClock(new Date('2026-12-07T09:00:00Z'));
    let editor: StoryActor;

    before(async () => {
      handle = await backend.open();
      deps = testDeps(handle, { clock: clock.clock });
      await ensureSections(handle);
      editor = {
        accountId: (await staffAccount(handle, 'editor', '박지호')).id,
        role: 'editor',
      };
    });
    after(() => handle.close());

    async function scheduled(at: Date, overrides = {}): Promise<string> {
      const { id } = await createStory(deps, editor, storyContent(overrides));
      await scheduleStory(deps, editor, id, at);
      return id;
    }

    it('catches up at once on the minutes missed while no process ran, warning of each', async () => {
      const start = clock.now;
      const ids = [
        await scheduled(minute(start, 1), { headline: '지하철 요금 인상' }),
        await scheduled(minute(start, 2)),
        await scheduled(minute(start, 3)),
      ];
      // Down from 09:00:00 to 09:05:30.
      clock.advance(5 * 60 + 30);
      const { log, lines } = capturedLog();
      const manual = manualTimers();
      const scheduler = startScheduler({ ...deps, log }, { timers: manual.timers, process: 'a' });
      const wake = await manual.nextWake();
      await scheduler.stop();

      const rows = await publicationsOf(handle, ids);
      assert.deepEqual(
        rows.map((row) => [row.id, row.due, row.process, row.lateSeconds]),
        ids.map((id, i) => [id, minute(start, i + 1).toISOString(), 'a', [270, 210, 150][i]]),
      );
      const warned = lines.filter(
        (line) => line.level === 40 && line.story !== undefined && ids.includes(line.story),
      );
      assert.deepEqual(
        warned.map((line) => [line.story, line.lateSeconds]),
        [
          [ids[0], 270],
          [ids[1], 210],
          [ids[2], 150],
        ],
      );
      // The run over, it sleeps until 09:06:00 and a little: the next whole minute.
      assert.equal(wake.ms, msToNextMinute(clock.now));
      assert.equal(wake.ms, 30_050);
    });

    it('publishes at the next minute it wakes, and nothing twice', async () => {
      const manual = manualTimers();
      const scheduler = startScheduler(deps, { timers: manual.timers, process: 'b' });
      const first = await manual.nextWake();
      const id = await scheduled(
        minute(new Date(Math.ceil(clock.now.getTime() / 60_000) * 60_000), 0),
      );
      clock.advance(first.ms / 1000);
      first.run();
      const second = await manual.nextWake();
      await scheduler.stop();
      assert.equal(manual.waiting.length, 0, 'stop leaves no wake-up behind');
      // Published by the run at its minute, late only by the wake-up's 50 ms.
      assert.deepEqual(
        (await publicationsOf(handle, [id])).map((row) => [row.process, row.lateSeconds]),
        [['b', 0.05]],
      );
      assert.equal(second.ms, 60_000);
    });

    it('drains a backlog larger than one batch in the first run', async () => {
      const at = minute(new Date(Math.ceil(clock.now.getTime() / 60_000) * 60_000), 1);
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) ids.push(await scheduled(at));
      clock.advance(180);
      const manual = manualTimers();
      const scheduler = startScheduler(deps, { timers: manual.timers, batch: 2 });
      await manual.nextWake();
      await scheduler.stop();
      assert.equal((await publicationsOf(handle, ids)).length, 5);
    });

    it('waits, on stop, for the run in progress', async () => {
      const id = await scheduled(
        minute(new Date(Math.ceil(clock.now.getTime() / 60_000) * 60_000), 1),
      );
      clock.advance(120);
      const manual = manualTimers();
      const scheduler = startScheduler(deps, { timers: manual.timers });
      // The catch-up run started with the scheduler; stop must not resolve before it ends.
      await scheduler.stop();
      assert.equal((await getStory(deps, id))?.status, 'published');
      assert.equal(manual.waiting.length, 0, 'no wake-up after stop');
    });

    it('logs a failed run and tries again at the next minute', async () => {
      // The real database, but every transaction refused, as when its server is unreachable.
      const refusing = new Proxy(deps.db, {
        get(target, property, receiver) {
          if (property === 'transaction') {
            return () => {
              throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
            };
          }
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
      const { log, lines } = capturedLog();
      const manual = manualTimers();
      const scheduler = startScheduler(
        { ...deps, db: refusing, log },
        { timers: manual.timers, process: 'c' },
      );
      const wake = await manual.nextWake();
      await scheduler.stop();
      assert.ok(
        lines.some((line) => line.level === 50 && /the scheduler run failed/.test(line.msg)),
        'the failure is logged',
      );
      assert.ok(wake.ms > 0, 'and the next minute is asked for');
    });

    it('publishes each story once when drains run at the same time', async () => {
      const url = testDatabaseUrl();
      // Two "processes": on PostgreSQL a second pool on the same database; PGlite has one
      // connection in one process, so there the drains race on the one handle.
      let other: DatabaseHandle | undefined;
      if (backend.name === 'postgres' && url) {
        const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(
          handle.db,
        );
        const target = new URL(url);
        target.pathname = `/${rows[0]?.name ?? ''}`;
        other = await openDatabase(
          { kind: 'postgres', url: target.toString() },
          { log: silentLog, purpose: 'scheduler test, second process' },
        );
      }
      const otherDeps = other ? testDeps(other, { clock: clock.clock }) : deps;
      try {
        for (let round = 0; round < 5; round += 1) {
          const at = minute(new Date(Math.ceil(clock.now.getTime() / 60_000) * 60_000), 1);
          const ids: string[] = [];
          for (let i = 0; i < 8; i += 1) ids.push(await scheduled(at));
          clock.advance(120);
          const drains: Promise<Publication[]>[] = [];
          for (let i = 0; i < 3; i += 1) {
            drains.push(publishDue(deps, { process: `a${i}` }));
            drains.push(publishDue(otherDeps, { process: `b${i}` }));
          }
          const returned = (await Promise.all(drains)).flat().filter((p) => ids.includes(p.id));
          assert.deepEqual(returned.map((p) => p.id).sort(), [...ids].sort());
          const rows = await publicationsOf(handle, ids);
          assert.deepEqual(rows.map((row) => row.id).sort(), [...ids].sort());
        }
      } finally {
        await other?.close();
      }
    });

    it('leaves a story whose embargo ends after its minute scheduled and flagged late', async () => {
      const at = minute(new Date(Math.ceil(clock.now.getTime() / 60_000) * 60_000), 1);
      const id = await scheduled(at);
      // The service refuses this state (an embargo past the minute); an older row, or one set
      // by hand, may still hold it, and the scheduler must not go around the embargo.
      const embargo = minute(at, 10);
      await handle.db
        .updateTable('articles')
        .set({ embargo_until: embargo })
        .where('id', '=', id)
        .execute();
      clock.advance(3 * 60);
      const published = await publishDue(deps);
      assert.ok(!published.some((p) => p.id === id));
      assert.equal((await getStory(deps, id))?.status, 'scheduled');
      const view = await listStories(deps, editor, { page: 1 });
      assert.deepEqual(
        view.late.filter((late) => late.id === id).map((late) => late.embargoed),
        [true],
      );
      clock.advance(10 * 60);
      const later = await publishDue(deps);
      assert.deepEqual(
        later.filter((p) => p.id === id).map((p) => p.dueAt.toISOString()),
        [at.toISOString()],
      );
    });

    it('publishes the others when one cannot go live, and keeps that one scheduled', async () => {
      const at = minute(new Date(Math.ceil(clock.now.getTime() / 60_000) * 60_000), 1);
      // Its scheduled revision asks for an address that another story takes in the meantime.
      const { id: stuck } = await createStory(deps, editor, storyContent());
      const wanted = storyContent();
      await saveStory(deps, editor, stuck, 1, { ...wanted, slug: `wanted-${wanted.slug}` });
      await scheduleStory(deps, editor, stuck, at);
      const { id: rival } = await createStory(deps, editor, storyContent());
      await saveStory(deps, editor, rival, 1, { ...wanted, slug: `wanted-${wanted.slug}` });
      await publishNow(deps, editor, rival);
      const earlier = await scheduled(at);
      const later = await scheduled(minute(at, 1));
      clock.advance(3 * 60);
      const { log, lines } = capturedLog();
      const published = await publishDue({ ...deps, log });
      assert.deepEqual(
        published.filter((p) => [earlier, later, stuck].includes(p.id)).map((p) => p.id),
        [earlier, later],
      );
      assert.equal((await getStory(deps, stuck))?.status, 'scheduled');
      assert.ok(
        lines.some((line) => line.level === 50 && line.story === stuck),
        'the failure names the story',
      );
      const view = await listStories(deps, editor, { page: 1 });
      assert.ok(view.late.some((late) => late.id === stuck && !late.embargoed));
    });
  });
}
