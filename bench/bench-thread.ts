import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { encodeCursor } from '../src/comments/comment.js';
import { startApp } from './bench-app.js';
import { measureScenario, progress, type Measured, type ScenarioResult } from './bench-measure.js';
import { createTargets } from './bench-pages.js';
import { makeTempFolder, runBenchmark, stopChild } from './bench-process.js';
import { RESULTS_DIR, markdownTable, writeResults } from './bench-report.js';

/**
 * The thread pages of the most-commented story of a database as it is (generate.js --comments
 * fills one): `node dist/bench/bench-thread.js --database-url URL [--depth 0.6] [--results
 * scale.json]`. Two scenarios, measured like bench.js's pages (a bare server with the same bytes,
 * then the app, page cache on): `thread-big-first-page`, the HTML thread page newest first with
 * no session, and `thread-big-deep-page`, the page after the top-level comment that --depth of
 * them come before (a cursor, as the page's "more" link makes it). Merged into the results file.
 */

const SCENARIOS = ['thread-big-first-page', 'thread-big-deep-page'] as const;

type Options = {
  databaseUrl: string;
  depth: number;
  results: string;
  connections: number;
  duration: number;
  warmup: number;
};

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'database-url': { type: 'string' },
      depth: { type: 'string', default: '0.6' },
      results: { type: 'string', default: 'scale.json' },
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
    },
  });
  const databaseUrl = values['database-url'] ?? (process.env.DATABASE_URL || undefined);
  if (databaseUrl === undefined) throw new Error('--database-url (or DATABASE_URL) is required');
  const depth = Number(values.depth);
  if (!(depth >= 0 && depth < 1)) throw new Error(`--depth must be in [0, 1), not ${values.depth}`);
  if (!/^[\w.-]+\.json$/.test(values.results) || values.results.startsWith('.'))
    throw new Error(`--results must be a file name ending in .json, not "${values.results}"`);
  const whole = (flag: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${flag} must be a whole number ≥ ${min}, not "${text}"`);
    return value;
  };
  return {
    databaseUrl,
    depth,
    results: values.results,
    connections: whole('--connections', values.connections, 1),
    duration: whole('--duration', values.duration, 1),
    warmup: whole('--warmup', values.warmup, 0),
  };
}

/** The most-commented article and the cursor `depth` of the way down its top-level comments. */
async function findThread(databaseUrl: string, depth: number) {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'byline-bench' });
  await client.connect();
  try {
    const big = await client.query<{ article_id: string; published: number }>(
      'select article_id, published from comment_counts order by published desc limit 1',
    );
    const article = big.rows[0];
    if (!article) throw new Error('no comments in this database: run generate.js --comments M');
    const roots = await client.query<{ n: string }>(
      `select count(*) as n from comments
       where article_id = $1 and parent_id is null and status = 'published'`,
      [article.article_id],
    );
    const skip = Math.floor(Number(roots.rows[0]?.n ?? 0) * depth);
    const at = await client.query<{ created_at: Date; id: string }>(
      `select created_at, id from comments
       where article_id = $1 and parent_id is null and status = 'published'
       order by created_at desc, id desc offset $2 limit 1`,
      [article.article_id, Math.max(0, skip - 1)],
    );
    const row = at.rows[0];
    if (!row) throw new Error(`article ${article.article_id} has no top-level comments`);
    const cursor = encodeCursor({ sort: 'newest', key: row.created_at.toISOString(), id: row.id });
    return { id: article.article_id, published: article.published, skip, cursor };
  } finally {
    await client.end();
  }
}

function merge(fileName: string, results: readonly ScenarioResult[]): ScenarioResult[] {
  const file = path.join(RESULTS_DIR, fileName);
  const earlier = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ScenarioResult[])
    : [];
  const replaced = (e: ScenarioResult) =>
    results.some((r) => r.db === e.db && r.scenario === e.scenario);
  return [...earlier.filter((e) => !replaced(e)), ...results];
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const temp = makeTempFolder('byline-bench-thread-');
  const thread = await findThread(options.databaseUrl, options.depth);
  progress(
    `article ${thread.id}: ${thread.published} published comments; deep page after ${thread.skip} top-level ones`,
  );
  const app = await startApp({
    dataDir: path.join(temp, 'data'),
    databaseUrl: options.databaseUrl,
    pageCache: true,
  });
  const targets = createTargets(temp);
  const base = `/articles/${thread.id}/comments`;
  const paths = [base, `${base}?sort=newest&after=${thread.cursor}`];
  const runs: Measured[] = [];
  try {
    for (const [k, name] of SCENARIOS.entries()) {
      const pathname = paths[k] ?? base;
      const { bare } = await targets.forPath(name, pathname, app);
      runs.push(
        await measureScenario(name, { path: pathname, bare }, app, {
          ...options,
          database: 'postgres',
        }),
      );
    }
  } finally {
    await targets.stopAll();
    await stopChild(app.child);
  }
  const measuredAt = `${startedAt.toISOString().slice(0, 16)}Z`;
  const results = runs.map((run) => ({
    ...run.result,
    measured_at: measuredAt,
    article_comments: thread.published,
  }));
  const headers = ['scenario', 'req/s', 'bare req/s', 'ratio', 'p50 ms', 'p99 ms', 'peak RSS MB'];
  const rows = results.map((r) =>
    [r.scenario, r.rps, r.bare_rps, r.ratio, r.p50_ms, r.p99_ms, r.rss_mb, r.other_cores].map(
      String,
    ),
  );
  process.stdout.write(`\n${markdownTable([...headers, 'other cores'], rows)}\n\n`);
  process.stdout.write(
    `written to ${writeResults(options.results, merge(options.results, results))}\n`,
  );
  return runs.every((run) => run.clean) ? 0 : 1;
}

runBenchmark(main);
