import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { saveArticles } from '../src/articles/articles.service.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { DataDirLockedError } from '../src/db/db-lock.js';
import type { AppDeps } from '../src/deps.js';
import { createLogger, openMigratedDatabase } from '../src/main.js';
import { DAY_MS, batches } from './generate-articles.js';
import { cloneArticles, progress, type PoolArticle } from './generate-clones.js';
import { longTailComments } from './generate-tail.js';

/**
 * Fills a database with generated articles, and optionally comments, for the benchmarks:
 * `node dist/bench/generate.js --articles N [--comments M] [--seed S] [--database-url URL |
 * --data-dir DIR]`. Up to BULK_ABOVE articles every batch goes through saveArticles in its own
 * transaction, so the real write path (sections, people, tags, bylines, translations, NOTIFY) is
 * what fills it. Above it (or with --bulk) a pool of --pool articles goes that way and the rest
 * are cloned from it in SQL (generate-clones.ts). --comments adds a long tail of comments over
 * every published article (generate-tail.ts). Articles are made a batch at a time from (seed,
 * index) alone, so memory stays flat and the same seed gives the same articles, dated relative
 * to the day of the run.
 */

const PROGRESS_EVERY_MS = 1_000;
/** Above this many articles, bulk mode is the default: a pool saved, the rest cloned in SQL. */
const BULK_ABOVE = 20_000;
const DEFAULT_POOL = 2_000;
/** Readers per comment when --readers is not given: a reader writes 30 comments on average. */
const COMMENTS_PER_READER = 30;

type Options = {
  articles: number;
  /** Articles saved through saveArticles; the rest (articles - pool) are cloned. */
  pool: number;
  comments: number;
  readers: number;
  seed: number;
  databaseUrl: string | undefined;
  dataDir: string | undefined;
};

const USAGE = `Usage: node dist/bench/generate.js [--articles 2000] [--seed 1] [--database-url URL | --data-dir DIR]
                                   [--bulk | --no-bulk] [--pool 2000] [--comments 0] [--readers M/30]

Fills the database with generated articles, half English and half Korean. Without
--database-url or --data-dir, the database is the app's own (DATABASE_URL, else BYLINE_DATA_DIR).
On PGlite the data folder must not be in use: stop \`byline serve\` first.

Above ${BULK_ABOVE} articles (or with --bulk) only --pool articles are saved through saveArticles;
the others are cloned from them in SQL, with headlines, slugs and dates of their own.
--comments M adds M comments with a long tail over every published article (the top three
stories get 0.5 %, 0.3 % and 0.2 % of them), by --readers new readers.`;

class UsageError extends Error {
  override name = 'UsageError';
}

function parseOptions(args: string[]): Options | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    allowNegative: true,
    options: {
      articles: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      bulk: { type: 'boolean' },
      pool: { type: 'string', default: String(DEFAULT_POOL) },
      comments: { type: 'string', default: '0' },
      readers: { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  if (values['database-url'] !== undefined && values['data-dir'] !== undefined)
    throw new UsageError('give --database-url or --data-dir, not both');
  const articles = wholeNumber('--articles', values.articles, 0, Number.MAX_SAFE_INTEGER);
  const comments = wholeNumber('--comments', values.comments, 0, 2 ** 31 - 1);
  const bulk = values.bulk ?? articles > BULK_ABOVE;
  // An even pool keeps the clones' languages alternating as the saved articles' do.
  const pool = bulk
    ? 2 * Math.ceil(wholeNumber('--pool', values.pool, 2, 1_000_000) / 2)
    : articles;
  const readers =
    values.readers === undefined
      ? Math.max(300, Math.round(comments / COMMENTS_PER_READER))
      : wholeNumber('--readers', values.readers, 1, 100_000_000);
  if (articles === 0 && comments === 0) throw new UsageError('nothing to do: --articles 0');
  return {
    articles,
    pool: Math.min(pool, articles),
    comments,
    readers,
    seed: wholeNumber('--seed', values.seed, 0, 2 ** 32 - 1),
    databaseUrl: values['database-url'],
    dataDir: values['data-dir'],
  };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

/** The app's configuration, pointed at the database the flags name. */
function configFor(options: Options): Config {
  const env = { ...process.env };
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  if (options.dataDir !== undefined) {
    // A DATABASE_URL in the shell would win over the folder asked for.
    delete env.DATABASE_URL;
    env.BYLINE_DATA_DIR = options.dataDir;
  }
  return loadConfig(env);
}

function describe(database: Config['database']): string {
  if (database.kind === 'pglite') return `PGlite in ${database.dataDir}`;
  // Never the password: only where the database is.
  const url = new URL(database.url);
  return `PostgreSQL at ${url.host}${url.pathname}`;
}

/**
 * Saves the first `total` articles batch by batch, or those before a stop; answers what was
 * saved, with what the bulk mode needs to clone each.
 */
async function saveAll(
  deps: AppDeps,
  options: { seed: number; total: number; day: number },
  stop: AbortSignal,
): Promise<PoolArticle[]> {
  const { total } = options;
  const started = performance.now();
  const saved: PoolArticle[] = [];
  let reported = started;
  for (const batch of batches(options.seed, total, options.day)) {
    // PGlite answers in promise callbacks alone, never letting the event loop reach its I/O
    // phase, where signals are heard: without this turn a Ctrl+C would wait for the last batch.
    await nextTurn();
    if (stop.aborted) break;
    await saveArticles(
      deps,
      batch.map((planned) => planned.input),
    );
    for (const { input, plan } of batch)
      saved.push({
        language: input.language,
        slug: input.slug,
        topic: plan.section.topic,
        place: plan.place,
      });
    const now = performance.now();
    if (now - reported >= PROGRESS_EVERY_MS || saved.length === total) {
      reported = now;
      const rate = Math.round(saved.length / ((now - started) / 1000));
      progress(`${saved.length} / ${total} articles (${rate}/s)`);
    }
  }
  return saved;
}

/** What the run wrote, for its last line. */
type Written = { saved: number; cloned: number; comments: number };

async function generate(deps: AppDeps, options: Options, stop: AbortSignal): Promise<Written> {
  const day = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const written: Written = { saved: 0, cloned: 0, comments: 0 };
  if (options.articles > 0) {
    const through =
      options.pool < options.articles ? ` (a pool of ${options.pool} saved, the rest cloned)` : '';
    progress(`generating ${options.articles} articles${through}`);
    const pool = await saveAll(deps, { seed: options.seed, total: options.pool, day }, stop);
    written.saved = pool.length;
    if (pool.length < options.pool) return written;
    if (options.articles > pool.length)
      written.cloned = await cloneArticles(deps, {
        seed: options.seed,
        pool,
        total: options.articles,
        day,
        stop,
      });
  }
  if (options.comments > 0 && !stop.aborted)
    written.comments = await longTailComments(deps, {
      comments: options.comments,
      readers: options.readers,
      seed: options.seed,
      stop,
    });
  if (written.cloned > 0 || written.comments > 0) {
    // Fresh statistics and visibility maps for the planner, and no autovacuum catching up on
    // millions of new rows in the middle of the next benchmark.
    const started = performance.now();
    progress('vacuum (analyze)…');
    await deps.db.connection().execute(async (connection) => {
      // Outside a transaction (VACUUM's rule), so the session's settings, reset after.
      await sql`set statement_timeout = 0`.execute(connection);
      await sql`set maintenance_work_mem = '256MB'`.execute(connection);
      await sql`vacuum (analyze)`.execute(connection);
      await sql`reset all`.execute(connection);
    });
    progress(`vacuum (analyze) done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return written;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = configFor(options);
  const log = createLogger(config);
  const handle = await openMigratedDatabase(config, log, 'bench generate');
  // A signal stops the run between batches: what was committed stays, PGlite is closed cleanly.
  const stopping = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    stopping.abort();
    progress(`${signal}: stopping after the current batch…`);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const deps: AppDeps = {
    db: handle.db,
    config,
    log,
    clock: () => new Date(),
    contentChanged: () => undefined,
  };
  progress(`seed ${options.seed}, into ${describe(config.database)}`);
  const started = performance.now();
  let written: Written;
  try {
    written = await generate(deps, options, stopping.signal);
  } finally {
    await handle.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const what =
    `${written.saved} articles saved` +
    (written.cloned > 0 ? `, ${written.cloned} cloned` : '') +
    (written.comments > 0 ? `, ${written.comments} comments` : '');
  if (!stopping.signal.aborted) {
    progress(`${what} in ${seconds} s`);
    return 0;
  }
  progress(`stopped: ${what} in ${seconds} s`);
  // The shell's status for a run cut short by a signal.
  return 130;
}
/** Mistakes a person can fix are said plainly; anything else is a bug and shows its stack. */
function report(error: unknown): number {
  if (error instanceof DataDirLockedError) {
    process.stderr.write(`generate: refusing to write: ${error.message}\n`);
    return 1;
  }
  const badArgs =
    error instanceof TypeError &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS');
  if (error instanceof ConfigError || error instanceof UsageError || badArgs) {
    process.stderr.write(`generate: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`generate failed: ${text}\n`);
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
