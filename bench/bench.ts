import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateArticles, startApp, type AppOptions, type RunningApp } from './bench-app.js';
import { measureLoad, type LoadResult, type LoadSettings } from './bench-load.js';
import { createTargets, type PageName, type Target } from './bench-pages.js';
import {
  makeTempFolder,
  readMemory,
  runBenchmark,
  stopChild,
  watchOtherCpu,
} from './bench-process.js';
import { markdownTable, round, writeResults } from './bench-report.js';

/**
 * Reader throughput of an article page, the home page and a section page, with the page cache on
 * and off, each as a ratio to a bare node:http server that sends that page's bytes, measured side
 * by side on the same machine (README.md). The database holds the demo articles and --articles
 * generated ones, so that listing pages read a realistic number of rows. Ratios, not absolute
 * figures, are what compare across machines; nothing here passes or fails on speed. A run with
 * errors or non-2xx answers exits with status 1: its figures mean nothing.
 */

type Scenario =
  'article-cached' | 'home-cached' | 'article-uncached' | 'home-uncached' | 'section-uncached';
type Database = 'pglite' | 'postgres';

type ScenarioSpec = { name: Scenario; page: PageName; pageCache: boolean };

/** In the order they run: the cached ones on one app process, then the uncached ones on another. */
const SCENARIOS: readonly ScenarioSpec[] = [
  { name: 'article-cached', page: 'article', pageCache: true },
  { name: 'home-cached', page: 'home', pageCache: true },
  { name: 'article-uncached', page: 'article', pageCache: false },
  { name: 'home-uncached', page: 'home', pageCache: false },
  { name: 'section-uncached', page: 'section', pageCache: false },
];

type ScenarioResult = {
  scenario: Scenario;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  bare_rps: number;
  ratio: number;
  rss_mb: number;
  db: Database;
  non2xx: number;
  errors: number;
  /**
   * Cores other programs used during the noisier of the two runs (see watchOtherCpu); with
   * PostgreSQL on this machine, its server's work is counted here too.
   */
  other_cores: number;
};

type Options = LoadSettings & {
  databaseUrl: string | undefined;
  /** Generated articles added to the demo ones before the first measured start. */
  articles: number;
  scenarios: readonly ScenarioSpec[];
};

const USAGE = `Usage: node dist/bench/bench.js [--connections 50] [--duration 10] [--warmup 2] [--articles 2000]
                                [--scenarios a,b] [--database-url postgres://…]

Without --database-url (or DATABASE_URL) the app runs on PGlite in a temporary folder.
Scenarios (all by default): ${SCENARIOS.map((s) => s.name).join(', ')}.
--articles 0 measures over the demo articles alone.`;

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
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  // The shell's DATABASE_URL counts, as it would for the app itself; an empty one does not.
  const databaseUrl = values['database-url'] ?? (process.env.DATABASE_URL || undefined);
  return {
    connections: wholeNumber('--connections', values.connections, 1),
    duration: wholeNumber('--duration', values.duration, 1),
    warmup: wholeNumber('--warmup', values.warmup, 0),
    databaseUrl,
    articles: wholeNumber('--articles', values.articles, 0),
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

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${flag} must be a whole number ≥ ${min}, not "${text}"`);
  return value;
}

/** Above this many cores used by other programs during a run, its figures are called noisy. */
const NOISY_OTHER_CORES = 0.25;

type Run = { load: LoadResult; otherCores: number; clean: boolean };

/** The bare server, then the app, with the same settings; a run's problems are printed loudly. */
async function measureScenario(
  scenario: Scenario,
  { page, bare }: Target,
  app: RunningApp,
  options: Options,
): Promise<{ result: ScenarioResult; clean: boolean }> {
  const { pathname } = new URL(page.url);
  const ours = [process.pid, bare.child.pid, app.child.pid];
  const bareRun = await measureRun(
    `${scenario}, bare node:http`,
    `${bare.url}${pathname}`,
    ours,
    options,
  );
  const appRun = await measureRun(`${scenario}, app`, `${app.url}${pathname}`, ours, options);
  // VmHWM is the peak since the process started: it covers this run and the app's earlier ones.
  const { hwmMb } = readMemory(app.child.pid);
  return {
    result: {
      scenario,
      rps: Math.round(appRun.load.rps),
      p50_ms: appRun.load.p50Ms,
      p99_ms: appRun.load.p99Ms,
      bare_rps: Math.round(bareRun.load.rps),
      ratio: round(appRun.load.rps / bareRun.load.rps, 3),
      rss_mb: hwmMb,
      db: options.databaseUrl === undefined ? 'pglite' : 'postgres',
      non2xx: appRun.load.non2xx,
      errors: appRun.load.errors,
      other_cores: Math.max(bareRun.otherCores, appRun.otherCores),
    },
    clean: bareRun.clean && appRun.clean,
  };
}

async function measureRun(
  what: string,
  url: string,
  ours: readonly number[],
  options: Options,
): Promise<Run> {
  progress(`${what}…`);
  const watch = watchOtherCpu(ours);
  const load = await measureLoad(url, options);
  const otherCores = watch.otherCores();
  if (otherCores > NOISY_OTHER_CORES) {
    // A PostgreSQL server on this machine is not one of our processes: its work counts here.
    const postgres = options.databaseUrl === undefined ? '' : ' (PostgreSQL included)';
    process.stderr.write(
      `!!! ${what}: other programs${postgres} used ${otherCores} cores meanwhile: a noisy run.\n`,
    );
  }
  return { load, otherCores, clean: warnIfFailed(what, load) };
}

/** Says so loudly when a run had failures, and answers whether it was clean. */
function warnIfFailed(what: string, load: LoadResult): boolean {
  if (load.non2xx === 0 && load.errors === 0) return true;
  const codes = JSON.stringify(load.statusCodes);
  process.stderr.write(
    `\n!!! ${what}: ${load.non2xx} non-2xx answers and ${load.errors} errors (status codes ${codes}).\n` +
      '!!! These figures do not measure the page: do not quote them.\n\n',
  );
  return false;
}

function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
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
      r.rps,
      r.bare_rps,
      r.ratio.toFixed(3),
      r.p50_ms,
      r.p99_ms,
      r.rss_mb,
      r.non2xx,
      r.errors,
      r.other_cores,
    ].map(String),
  );
  process.stdout.write(
    `\n${options.connections} connections, ${options.duration} s measured after ${options.warmup} s of warm-up, pipelining 1\n\n`,
  );
  process.stdout.write(`${markdownTable(headers, rows)}\n\n`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const temp = makeTempFolder('byline-bench-');
  const database = { dataDir: path.join(temp, 'data'), databaseUrl: options.databaseUrl };
  await prepareDatabase(database, options.articles);
  const targets = createTargets(temp);
  const runs: { result: ScenarioResult; clean: boolean }[] = [];
  for (const pageCache of [true, false]) {
    const scenarios = options.scenarios.filter((s) => s.pageCache === pageCache);
    if (scenarios.length === 0) continue;
    progress(`starting byline serve (page cache ${pageCache ? 'on' : 'off'})…`);
    const app = await startApp({ ...database, pageCache });
    for (const scenario of scenarios) {
      const target = await targets.forPage(scenario.page, app);
      runs.push(await measureScenario(scenario.name, target, app, options));
    }
    // One process per PGlite folder: this one must be gone before the next opens it.
    await stopChild(app.child);
  }
  await targets.stopAll();
  return report(runs, options);
}

/**
 * Creates the database and its demo articles in a first start that is not measured, then adds
 * the generated articles. VmHWM counts from process start: without this start of its own,
 * creating the database would be the first measured app's peak memory.
 */
async function prepareDatabase(
  database: Omit<AppOptions, 'pageCache'>,
  articles: number,
): Promise<void> {
  progress('creating the database (a first start, not measured)…');
  await stopChild((await startApp({ ...database, pageCache: true })).child);
  if (articles === 0) return;
  progress(`generating ${articles} articles (not measured)…`);
  await generateArticles(database, articles);
}

function report(
  runs: readonly { result: ScenarioResult; clean: boolean }[],
  options: Options,
): number {
  const results = runs.map((run) => run.result);
  printResults(results, options);
  process.stdout.write(`written to ${writeResults('latest.json', results)}\n`);
  if (runs.every((run) => run.clean)) return 0;
  process.stderr.write('!!! Some runs had errors or non-2xx answers (see above): exit status 1.\n');
  return 1;
}

runBenchmark(main);
