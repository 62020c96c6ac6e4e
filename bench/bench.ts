import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  fetchPage,
  findBenchmarkArticle,
  startApp,
  startBareServer,
  type AppOptions,
  type Page,
  type RunningApp,
  type RunningServer,
} from './bench-app.js';
import { measureLoad, type LoadResult, type LoadSettings } from './bench-load.js';
import {
  makeTempFolder,
  readMemory,
  runBenchmark,
  stopChild,
  watchOtherCpu,
} from './bench-process.js';
import { markdownTable, round, writeResults } from './bench-report.js';

/**
 * Reader throughput of one article page, cached and uncached, as a ratio to a bare node:http
 * server that sends the same bytes, measured side by side on the same machine (README.md).
 * Ratios, not absolute figures, are what compare across machines; nothing here passes or fails
 * on speed. A run with errors or non-2xx answers exits with status 1: its figures mean nothing.
 */

type Scenario = 'article-cached' | 'article-uncached';
type Database = 'pglite' | 'postgres';

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

type Options = LoadSettings & { databaseUrl: string | undefined };

const USAGE = `Usage: node dist/bench/bench.js [--connections 50] [--duration 10] [--warmup 2] [--database-url postgres://…]

Without --database-url (or DATABASE_URL) the app runs on PGlite in a temporary folder.`;

function parseOptions(args: string[]): Options | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
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
  };
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
  bare: RunningServer,
  app: RunningApp,
  articleUrl: string,
  options: Options,
): Promise<{ result: ScenarioResult; clean: boolean }> {
  const { pathname } = new URL(articleUrl);
  const ours = [process.pid, bare.child.pid, app.child.pid];
  const bareRun = await measureRun(
    `${scenario}, bare node:http`,
    `${bare.url}${pathname}`,
    ours,
    options,
  );
  const appRun = await measureRun(`${scenario}, app`, `${app.url}${pathname}`, ours, options);
  // VmHWM is the peak since the process started, so it covers the run that just ended.
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

/** The uncached app must send the very bytes the bare server sends, or the ratio compares two pages. */
async function checkSamePage(app: RunningApp, article: Page): Promise<void> {
  const again = await fetchPage(new URL(new URL(article.url).pathname, app.url).href);
  if (again.status !== 200 || !again.body.equals(article.body)) {
    process.stderr.write(
      `\n!!! the restarted app answers ${again.status} with ${again.body.length} bytes, not the ${article.body.length} measured first.\n\n`,
    );
  }
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
  const appOptions = { dataDir: path.join(temp, 'data'), databaseUrl: options.databaseUrl };
  const cached = await startPrepared(appOptions);
  const { article, bare } = await startBareWith(cached, temp);
  const runs = [await measureScenario('article-cached', bare, cached, article.url, options)];
  // One process per PGlite folder: the first must be gone before the second opens it.
  await stopChild(cached.child);
  progress('restarting byline serve (page cache off)…');
  const uncached = await startApp({ ...appOptions, pageCache: false });
  await checkSamePage(uncached, article);
  runs.push(await measureScenario('article-uncached', bare, uncached, article.url, options));
  await Promise.all([stopChild(uncached.child), stopChild(bare.child)]);
  return report(runs, options);
}

/**
 * Creates the database and its demo articles in a first start that is not measured, then starts
 * the app that is. VmHWM counts from process start: without this, creating the database would
 * be the cached run's peak memory.
 */
async function startPrepared(appOptions: Omit<AppOptions, 'pageCache'>): Promise<RunningApp> {
  progress('creating the database (a first start, not measured)…');
  await stopChild((await startApp({ ...appOptions, pageCache: true })).child);
  progress('starting byline serve (page cache on)…');
  return startApp({ ...appOptions, pageCache: true });
}

/** Picks the article, and starts a bare server that sends its exact bytes. */
async function startBareWith(
  app: RunningApp,
  temp: string,
): Promise<{ article: Page; bare: RunningServer }> {
  const article = await findBenchmarkArticle(app.url);
  progress(`article: ${article.url} (${article.body.length} bytes, ${article.contentType})`);
  const bodyFile = path.join(temp, 'article.html');
  fs.writeFileSync(bodyFile, article.body);
  return { article, bare: await startBareServer(bodyFile, article.contentType) };
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
