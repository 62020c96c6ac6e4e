import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  generateArticles,
  generateComments,
  generateNewsroom,
  startApp,
  type AppOptions,
} from './bench-app.js';
import {
  LIVE,
  Posters,
  measureComments,
  readSeeded,
  type CommentScenario,
} from './bench-comments.js';
import type { LoadSettings } from './bench-load.js';
import {
  measureScenario,
  progress,
  type MeasureOptions,
  type Measured,
  type ScenarioResult,
} from './bench-measure.js';
import { SAVE_EDITORS, measureStorySave, readSeededNewsroom } from './bench-newsroom.js';
import { createTargets, type PageName } from './bench-pages.js';
import { createRunDatabase } from './bench-postgres.js';
import { makeTempFolder, runBenchmark, stopChild } from './bench-process.js';
import { RESULTS_DIR, markdownTable, round, writeResults } from './bench-report.js';
import type { SeededComments } from './generate-comments.js';
import type { SeededNewsroom } from './generate-newsroom.js';

/**
 * Reader throughput of an article page, the home page and a section page, with the page cache on
 * and off, and of comments: a thread's first page, posting, and the live stream. Each throughput
 * is a ratio to a bare node:http server that sends the same bytes, measured side by side on the
 * same machine (README.md); and the newsroom's autosave, a save's round trip under several editors. Ratios, not absolute figures, are what compare across machines;
 * nothing here passes or fails on speed. A run with errors or non-2xx answers exits with status
 * 1: its figures mean nothing.
 */

/**
 * One app process per run, in this order: page cache on, off, then comments and the newsroom
 * (cache on, as readers' pages have it while staff save).
 */
type AppRun = 'cached' | 'uncached' | 'comments' | 'newsroom';

type ScenarioSpec =
  | { name: string; run: 'cached' | 'uncached'; page: PageName }
  | { name: string; run: 'comments'; comments: CommentScenario }
  | { name: string; run: 'newsroom'; editors: number };

const SCENARIOS: readonly ScenarioSpec[] = [
  { name: 'article-cached', run: 'cached', page: 'article' },
  { name: 'home-cached', run: 'cached', page: 'home' },
  { name: 'article-uncached', run: 'uncached', page: 'article' },
  { name: 'home-uncached', run: 'uncached', page: 'home' },
  { name: 'section-uncached', run: 'uncached', page: 'section' },
  { name: 'comments-first-page', run: 'comments', comments: 'first-page' },
  { name: 'comments-first-page-10', run: 'comments', comments: 'first-page-10' },
  { name: 'comment-post', run: 'comments', comments: 'post' },
  { name: 'comment-live', run: 'comments', comments: 'live' },
  { name: 'story-save', run: 'newsroom', editors: SAVE_EDITORS },
  { name: 'story-save-1', run: 'newsroom', editors: 1 },
];

const RUNS: readonly { run: AppRun; pageCache: boolean }[] = [
  { run: 'cached', pageCache: true },
  { run: 'uncached', pageCache: false },
  { run: 'comments', pageCache: true },
  { run: 'newsroom', pageCache: true },
];

/**
 * Posting readers made per second of posting load: a bound far above what two cores post, so
 * that no reader posts twice in a run and the default limits never refuse one.
 */
const POSTERS_PER_SECOND = 1_000;

type Options = LoadSettings & {
  databaseUrl: string | undefined;
  /** A PostgreSQL server on which to create the run's own database, dropped at the end. */
  postgres: string | undefined;
  /** Generated articles added to the demo ones before the first measured start. */
  articles: number;
  scenarios: readonly ScenarioSpec[];
  /** The file of bench/results/ the figures are merged into. */
  results: string;
};

const USAGE = `Usage: node dist/bench/bench.js [--connections 50] [--duration 10] [--warmup 2] [--articles 2000]
                                [--scenarios a,b] [--database-url postgres://… | --postgres postgres://…]
                                [--results latest.json]

Without --database-url (or DATABASE_URL) or --postgres the app runs on PGlite in a temporary folder.
--database-url uses that database as it is; --postgres creates a database of the run's own on that
server and drops it at the end.
Scenarios (all by default): ${SCENARIOS.map((s) => s.name).join(', ')}.
--articles 0 measures over the demo articles alone.
--results names the file of bench/results/ the figures are merged into (scale.json for runs
on the scale database, so that latest.json keeps the default runs).`;

function parseOptions(args: string[]): Options | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      articles: { type: 'string', default: '2000' },
      scenarios: { type: 'string' },
      'database-url': { type: 'string' },
      results: { type: 'string', default: 'latest.json' },
      postgres: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  if (values['database-url'] !== undefined && values.postgres !== undefined)
    throw new Error('give --database-url or --postgres, not both');
  // The shell's DATABASE_URL counts, as it would for the app itself; an empty one does not.
  const databaseUrl =
    values['database-url'] ??
    (values.postgres === undefined ? process.env.DATABASE_URL || undefined : undefined);
  return {
    connections: wholeNumber('--connections', values.connections, 1),
    duration: wholeNumber('--duration', values.duration, 1),
    warmup: wholeNumber('--warmup', values.warmup, 0),
    databaseUrl,
    postgres: values.postgres,
    articles: wholeNumber('--articles', values.articles, 0),
    results: resultsFile(values.results),
    scenarios: values.scenarios === undefined ? SCENARIOS : pickScenarios(values.scenarios),
  };
}

/** The named scenarios, in their usual order whatever the order given. */
function pickScenarios(list: string): ScenarioSpec[] {
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0)
    throw new Error(
      `--scenarios: unknown ${unknown.join(', ')}; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  return SCENARIOS.filter((s) => names.includes(s.name));
}

/** A file name of bench/results/, nothing else: a run never writes outside it. */
function resultsFile(name: string): string {
  if (!/^[\w.-]+\.json$/.test(name) || name.startsWith('.'))
    throw new Error(`--results must be a file name ending in .json, not "${name}"`);
  return name;
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${flag} must be a whole number ≥ ${min}, not "${text}"`);
  return value;
}

function printResults(results: readonly ScenarioResult[], options: Options): void {
  const headers = [
    'scenario',
    'db',
    'req/s',
    'bare req/s',
    'ratio',
    'p50 ms',
    'p99 ms',
    'peak RSS MB',
    'non-2xx',
    'errors',
    'other cores',
  ];
  const rows = results.map((r) =>
    [
      r.scenario,
      r.db,
      r.rps ?? '—',
      r.bare_rps ?? '—',
      r.ratio?.toFixed(3) ?? '—',
      r.p50_ms,
      r.p99_ms,
      r.rss_mb,
      r.non2xx,
      r.errors,
      r.other_cores,
    ].map(String),
  );
  process.stdout.write(
    `\n${options.connections} connections, ${options.duration} s measured after ${options.warmup} s of warm-up, pipelining 1` +
      `; comment-live: ${LIVE.listeners} listeners, ${LIVE.comments} comments one after another\n\n`,
  );
  process.stdout.write(`${markdownTable(headers, rows)}\n\n`);
  for (const save of results.filter((r) => r.editors !== undefined))
    process.stdout.write(
      `${save.scenario}: ${String(save.editors)} editor(s), each saving one story after another (${String(save.request_bytes)} bytes a save); ` +
        `round trip p50 / p99 / mean ${save.p50_ms} / ${save.p99_ms} / ${String(save.mean_ms)} ms, ` +
        `bare node:http ${String(save.bare_p50_ms)} / ${String(save.bare_p99_ms)} / ${String(save.bare_mean_ms)} ms\n\n`,
    );
  const many = results.find((r) => r.scenario === 'comments-first-page')?.rps;
  const few = results.find((r) => r.scenario === 'comments-first-page-10')?.rps;
  if (many && few)
    process.stdout.write(
      `first page of comments: 10 comments ${few} req/s, 10,000 comments ${many} req/s (${round(few / many, 2)}×)\n\n`,
    );
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const startedAt = new Date();
  const temp = makeTempFolder('byline-bench-');
  const databaseUrl =
    options.postgres === undefined
      ? options.databaseUrl
      : await createRunDatabase(options.postgres);
  const database = { dataDir: path.join(temp, 'data'), databaseUrl };
  const measure: MeasureOptions = {
    ...options,
    database: databaseUrl === undefined ? 'pglite' : 'postgres',
  };
  const { comments: seeded, newsroom } = await prepareDatabase(database, options, temp);
  const targets = createTargets(temp);
  const runs: Measured[] = [];
  let savedStories = 0;
  for (const { run, pageCache } of RUNS) {
    const scenarios = options.scenarios.filter((s) => s.run === run);
    if (scenarios.length === 0) continue;
    progress(`starting byline serve (page cache ${pageCache ? 'on' : 'off'})…`);
    const app = await startApp({ ...database, pageCache });
    const posters = seeded && new Posters(seeded.tokens);
    for (const scenario of scenarios) {
      if ('page' in scenario) {
        const { page, bare } = await targets.forPage(scenario.page, app);
        const load = { path: new URL(page.url).pathname, bare };
        runs.push(await measureScenario(scenario.name, load, app, measure));
      } else if ('editors' in scenario) {
        if (newsroom) {
          // Each scenario saves stories of its own: a story's next base is its latest answer.
          const stories = newsroom.stories.slice(savedStories, savedStories + scenario.editors);
          savedStories += scenario.editors;
          runs.push(await measureStorySave(scenario.name, stories, app, temp, measure));
        }
      } else if (seeded && posters) {
        runs.push(
          await measureComments(scenario, { app, seeded, posters, targets, temp, measure }),
        );
      }
    }
    // One process per PGlite folder: this one must be gone before the next opens it.
    await stopChild(app.child);
  }
  await targets.stopAll();
  return report(runs, options, startedAt);
}

/**
 * Creates the database and its demo articles in a first start that is not measured, then adds
 * the generated articles, the comments' threads and readers when a comment scenario runs, and
 * the editors, sessions and stories when story-save runs: all before a measured app opens the
 * database (PGlite: one process per data folder).
 * VmHWM counts from process start: without this start of its own, creating the database would
 * be the first measured app's peak memory.
 */
async function prepareDatabase(
  database: Omit<AppOptions, 'pageCache'>,
  options: Options,
  temp: string,
): Promise<{ comments?: SeededComments; newsroom?: SeededNewsroom }> {
  progress('creating the database (a first start, not measured)…');
  await stopChild((await startApp({ ...database, pageCache: true })).child);
  if (options.articles > 0) {
    progress(`generating ${options.articles} articles (not measured)…`);
    await generateArticles(database, options.articles);
  }
  const editors = options.scenarios.reduce((sum, s) => sum + ('editors' in s ? s.editors : 0), 0);
  const comments = await prepareComments(database, options, temp);
  const newsroom = editors > 0 ? await prepareNewsroom(database, editors, temp) : undefined;
  return { ...(comments ? { comments } : {}), ...(newsroom ? { newsroom } : {}) };
}

async function prepareNewsroom(
  database: Omit<AppOptions, 'pageCache'>,
  stories: number,
  temp: string,
): Promise<SeededNewsroom> {
  progress('generating editors, staff sessions and stories (not measured)…');
  const out = path.join(temp, 'newsroom.json');
  await generateNewsroom(database, { out, stories });
  return readSeededNewsroom(out);
}

async function prepareComments(
  database: Omit<AppOptions, 'pageCache'>,
  options: Options,
  temp: string,
): Promise<SeededComments | undefined> {
  if (!options.scenarios.some((s) => s.run === 'comments')) return undefined;
  progress('generating comments, readers and sessions (not measured)…');
  const out = path.join(temp, 'comments.json');
  const seconds = options.warmup + options.duration;
  // Posting: a sample post, then warm-up and measured runs; live: one reader a comment.
  const posters = POSTERS_PER_SECOND * seconds + LIVE.comments + 2;
  await generateComments(database, { out, posters });
  return readSeeded(out);
}

/**
 * latest.json (or the --results file) holds the latest figures of each scenario on each database: this run's results
 * replace those of the same scenario and database and keep the others, so a PGlite run and a
 * PostgreSQL run, or a run of a few scenarios, sit beside the rest. PGlite first, then in the
 * scenarios' order.
 */
function mergeWithEarlier(results: readonly ScenarioResult[], fileName: string): ScenarioResult[] {
  const file = path.join(RESULTS_DIR, fileName);
  const earlier = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ScenarioResult[])
    : [];
  const replaced = (e: ScenarioResult) =>
    results.some((r) => r.db === e.db && r.scenario === e.scenario);
  const rank = (r: ScenarioResult) =>
    (r.db === 'pglite' ? 0 : SCENARIOS.length) + SCENARIOS.findIndex((s) => s.name === r.scenario);
  return [...earlier.filter((e) => !replaced(e)), ...results].sort((a, b) => rank(a) - rank(b));
}

function report(runs: readonly Measured[], options: Options, startedAt: Date): number {
  const measuredAt = `${startedAt.toISOString().slice(0, 16)}Z`;
  const results = runs.map((run) => ({ ...run.result, measured_at: measuredAt }));
  printResults(results, options);
  process.stdout.write(
    `written to ${writeResults(options.results, mergeWithEarlier(results, options.results))}\n`,
  );
  if (runs.every((run) => run.clean)) return 0;
  process.stderr.write('!!! Some runs had errors or non-2xx answers (see above): exit status 1.\n');
  return 1;
}

runBenchmark(main);
