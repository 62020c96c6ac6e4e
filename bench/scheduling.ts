import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/db.js';
import { migrateToLatest } from '../src/db/db-migrate.js';
import type { AppDeps } from '../src/deps.js';
import { createStory, scheduleStory } from '../src/newsroom/newsroom.service.js';
import type { StoryActor } from '../src/newsroom/story.js';
import { startApp, type RunningApp } from './bench-app.js';
import { createRunDatabase } from './bench-postgres.js';
import { makeTempFolder, runBenchmark, stopChild } from './bench-process.js';
import { markdownTable, round, writeResults } from './bench-report.js';

/**
 * Scheduling lateness with two `byline serve` processes on one PostgreSQL (docs/decisions/0015):
 * 100 stories scheduled over the next two whole minutes, half at each, on the real clock; then,
 * from `article_publications`, how late each went live (published_at − due_at) and which
 * process published it. Needs DATABASE_URL or TEST_DATABASE_URL (a server; the run makes a
 * database of its own there and drops it). Reports, asserts nothing but "each once".
 *
 * npm run bench:scheduling
 */

const STORIES = 100;
const MINUTES = 2;
/** Time to create and schedule the stories before the first minute comes. */
const LEAD_MS = 20_000;
/** A hang guard, not a measurement. */
const GIVE_UP_AFTER_LAST_MINUTE_MS = 120_000;

function percentile(sorted: readonly number[], p: number): number {
  // Nearest rank: p99 of 100 values is the 99th.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

async function main(): Promise<number> {
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    process.stderr.write(
      'bench:scheduling needs a PostgreSQL server: set DATABASE_URL or TEST_DATABASE_URL.\n',
    );
    return 2;
  }
  const databaseUrl = await createRunDatabase(serverUrl);
  const log = pino({ level: 'silent' });
  const handle = await openDatabase(
    { kind: 'postgres', url: databaseUrl },
    {
      log,
      purpose: 'bench:scheduling',
    },
  );
  const apps: RunningApp[] = [];
  try {
    await migrateToLatest(handle.db);
    const deps: AppDeps = {
      db: handle.db,
      config: loadConfig({ DATABASE_URL: databaseUrl }),
      log,
      clock: () => new Date(),
      contentChanged: () => undefined,
    };
    // Setup rows a newsroom would already have: one section, one editor.
    await handle.db
      .insertInto('sections')
      .values({ slug: 'national', name_en: 'National', name_ko: '사회', position: 1 })
      .execute();
    const account = await handle.db
      .insertInto('accounts')
      .values({ display_name: '박지호', role: 'editor', staff_email: 'editor@example.com' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const editor: StoryActor = { accountId: account.id, role: 'editor' };

    for (const name of ['A', 'B']) {
      apps.push(
        await startApp({
          dataDir: makeTempFolder(`byline-sched-${name}`),
          pageCache: true,
          databaseUrl,
        }),
      );
    }
    const first = Math.ceil((Date.now() + LEAD_MS) / 60_000) * 60_000;
    const ids: string[] = [];
    for (let i = 0; i < STORIES; i += 1) {
      const at = new Date(first + (i % MINUTES) * 60_000);
      const { id } = await createStory(deps, editor, {
        language: 'ko',
        slug: `scheduled-${i}`,
        headline: `예약 기사 ${i}번: 지하철 요금 인상`,
        summary: '서울시가 지하철 기본요금을 150원 올린다.',
        body: {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: '서울시는 3월부터…' }] }],
        },
        section: 'national',
        tags: ['교통'],
        bylines: [{ name: '김민지', email: null }],
        credit: '',
        translationId: null,
        image: null,
      });
      await scheduleStory(deps, editor, id, at);
      ids.push(id);
    }
    if (Date.now() >= first)
      throw new Error('scheduling took past the first minute: raise LEAD_MS');
    process.stdout.write(
      `${STORIES} stories scheduled for ${new Date(first).toISOString()} and the next minute\n`,
    );

    const giveUp = first + (MINUTES - 1) * 60_000 + GIVE_UP_AFTER_LAST_MINUTE_MS;
    for (;;) {
      const { count } = await handle.db
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('status', '=', 'published')
        .executeTakeFirstOrThrow();
      if (Number(count) >= STORIES) break;
      if (Date.now() > giveUp) throw new Error(`only ${count} of ${STORIES} published`);
      await sleep(500);
    }

    const rows = await handle.db
      .selectFrom('article_publications')
      .select(['article_id', 'due_at', 'published_at', 'process'])
      .execute();
    const once = new Set(rows.map((row) => row.article_id)).size === rows.length;
    if (!once || rows.length !== STORIES) {
      throw new Error(`${rows.length} publications of ${STORIES} stories: not each once`);
    }
    const lateness = rows
      .map((row) => (row.published_at.getTime() - (row.due_at?.getTime() ?? Number.NaN)) / 1000)
      .sort((a, b) => a - b);
    const byProcess = new Map<string, number>();
    for (const row of rows) byProcess.set(row.process, (byProcess.get(row.process) ?? 0) + 1);
    const pids = apps.map((app) => app.child.pid);
    const perProcess = [...byProcess].map(([label, count]) => {
      const pid = Number(label.split(':').pop());
      const index = pids.indexOf(pid);
      return {
        process: index >= 0 ? `${'AB'[index] ?? '?'} (pid ${pid})` : label,
        published: count,
      };
    });
    const summary = {
      stories: STORIES,
      processes: apps.length,
      lateness_seconds: {
        p50: round(percentile(lateness, 50), 3),
        p99: round(percentile(lateness, 99), 3),
        max: round(lateness.at(-1) ?? Number.NaN, 3),
      },
      per_process: perProcess,
    };
    process.stdout.write(
      `\n${markdownTable(
        ['lateness p50 (s)', 'p99 (s)', 'max (s)'],
        [
          [
            String(summary.lateness_seconds.p50),
            String(summary.lateness_seconds.p99),
            String(summary.lateness_seconds.max),
          ],
        ],
      )}\n\n${markdownTable(
        ['process', 'published'],
        perProcess.map((p) => [p.process, String(p.published)]),
      )}\n`,
    );
    process.stdout.write(`\n${writeResults('scheduling.json', summary)}\n`);
    return 0;
  } finally {
    for (const app of apps) await stopChild(app.child);
    await handle.close();
  }
}

runBenchmark(main);
