import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { isValidSlug, slugify, type ArticleInput } from '../src/articles/article.js';
import { saveArticles } from '../src/articles/articles.service.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { DataDirLockedError } from '../src/db/db-lock.js';
import type { AppDeps } from '../src/deps.js';
import { createLogger, openMigratedDatabase } from '../src/main.js';
import { articleText, createRandom } from './generate-text.js';
import {
  FAMILY_NAMES,
  GIVEN_NAMES,
  PLACES,
  TOPIC_TAGS,
  type Bilingual,
  type Topic,
} from './generate-words.js';

/**
 * Fills a database with generated articles for the benchmarks' listing pages:
 * `node dist/bench/generate.js --articles N [--seed S] [--database-url URL | --data-dir DIR]`.
 * Every batch goes through saveArticles in its own transaction, so the real write path (sections,
 * people, tags, bylines, translations, NOTIFY) is what fills it. Articles are made a batch at a
 * time from (seed, index) alone, so memory stays flat at 100,000 articles and the same seed gives
 * the same articles, dated relative to the day of the run.
 */

/** Articles per transaction: large enough to amortise the commit, small enough to show progress. */
const BATCH_SIZE = 200;
/** One pair in this many is a translation pair; the others are unrelated English and Korean articles. */
const TRANSLATION_EVERY = 10;
const DAY_MS = 86_400_000;
/** Published dates fall between this long before the run's day and a day before it. */
const SPREAD_MS = 3 * 365 * DAY_MS;
const PROGRESS_EVERY_MS = 1_000;

const SECTIONS: readonly { name: string; topic: Topic }[] = [
  { name: 'National', topic: 'national' },
  { name: 'Business', topic: 'business' },
  { name: 'Culture', topic: 'culture' },
  { name: 'Sports', topic: 'sports' },
  { name: 'Opinion', topic: 'opinion' },
];

type Person = { en: string; ko: string; email: string };

function nth<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('nth of an empty list');
  return item;
}

/** 40 reporters: each family name with two given names; one person, a name in each language. */
const PEOPLE: readonly Person[] = FAMILY_NAMES.flatMap((family, f) =>
  [0, 3].map((shift) => {
    const given = nth(GIVEN_NAMES, f + shift);
    const local = `${given.en.replace('-', '')}.${family.en}`.toLowerCase();
    return {
      en: `${family.en} ${given.en}`,
      ko: `${family.ko}${given.ko}`,
      email: `${local}@byline.example`,
    };
  }),
);

type Plan = {
  section: { name: string; topic: Topic };
  place: Bilingual;
  publishedAt: Date;
  updatedAt: Date | undefined;
  authors: Person[];
  /** The place, then 1–4 of the section's tags: 2–5 from the pool of 60. */
  tags: Bilingual[];
};

/** Streams of the PRNG, so that a plan and a text never draw the same numbers. */
const PLAN = 1;
const TEXT = 2;
const SHIFT = 3;

function planArticle(seed: number, index: number, day: number): Plan {
  const r = createRandom(seed, PLAN, index);
  const section = r.pick(SECTIONS);
  const place = r.pick(PLACES);
  const publishedAt = new Date(day - r.int(DAY_MS / 60_000, SPREAD_MS / 60_000) * 60_000);
  const updatedAt = r.chance(0.2)
    ? new Date(publishedAt.getTime() + r.int(30, 600) * 60_000)
    : undefined;
  return {
    section,
    place,
    publishedAt,
    updatedAt,
    authors: r.sample(PEOPLE, r.chance(0.7) ? 1 : 2),
    tags: [place, ...r.sample(TOPIC_TAGS[section.topic], r.int(1, 4))],
  };
}

/**
 * A readable slug from the headline's first words (up to 8, within the app's limit of 80 code
 * points), made unique by the article's serial number.
 */
function slugFor(headline: string, serial: number): string {
  const suffix = `-${serial}`;
  let slug = '';
  for (const word of slugify(headline).split('-').slice(0, 8)) {
    const next = slug ? `${slug}-${word}` : word;
    if (!isValidSlug(next + suffix)) break;
    slug = next;
  }
  return slug + suffix;
}

function input(seed: number, index: number, plan: Plan): ArticleInput {
  const language = index % 2 === 0 ? 'en' : 'ko';
  const text = articleText(language, createRandom(seed, TEXT, index), {
    topic: plan.section.topic,
    place: plan.place,
  });
  return {
    language,
    slug: slugFor(text.headline, index + 1),
    ...text,
    section: plan.section.name,
    tags: plan.tags.map((tag) => tag[language]),
    authors: plan.authors.map((person) => ({ name: person[language], email: person.email })),
    publishedAt: plan.publishedAt,
    ...(plan.updatedAt ? { updatedAt: plan.updatedAt } : {}),
  };
}

/**
 * Articles 2p (English) and 2p + 1 (Korean). A translation pair shares its plan, the Korean one
 * published a few hours after the English; the two name each other and saveArticles links them.
 */
function pairInputs(seed: number, pair: number, total: number, day: number): ArticleInput[] {
  const enIndex = 2 * pair;
  const en = planArticle(seed, enIndex, day);
  if (enIndex + 1 >= total) return [input(seed, enIndex, en)];
  if (pair % TRANSLATION_EVERY !== 0)
    return [
      input(seed, enIndex, en),
      input(seed, enIndex + 1, planArticle(seed, enIndex + 1, day)),
    ];
  const delay = createRandom(seed, SHIFT, pair).int(1, 8) * 3_600_000;
  const later = (date: Date | undefined) => date && new Date(date.getTime() + delay);
  const ko = {
    ...en,
    publishedAt: new Date(en.publishedAt.getTime() + delay),
    updatedAt: later(en.updatedAt),
  };
  const english = input(seed, enIndex, en);
  const korean = input(seed, enIndex + 1, ko);
  return [
    { ...english, translation: korean.slug },
    { ...korean, translation: english.slug },
  ];
}

/** One batch at a time: nothing of an earlier batch is kept once it is saved. */
function* batches(seed: number, total: number, day: number): Generator<ArticleInput[]> {
  for (let start = 0; start < total; start += BATCH_SIZE) {
    const batch: ArticleInput[] = [];
    const end = Math.min(start + BATCH_SIZE, total);
    // BATCH_SIZE is even, so a batch starts on an English article and never splits a pair.
    for (let pair = start / 2; 2 * pair < end; pair += 1)
      batch.push(...pairInputs(seed, pair, total, day));
    yield batch;
  }
}

type Options = {
  articles: number;
  seed: number;
  databaseUrl: string | undefined;
  dataDir: string | undefined;
};

const USAGE = `Usage: node dist/bench/generate.js [--articles 2000] [--seed 1] [--database-url URL | --data-dir DIR]

Fills the database with generated articles, half English and half Korean. Without
--database-url or --data-dir, the database is the app's own (DATABASE_URL, else BYLINE_DATA_DIR).
On PGlite the data folder must not be in use: stop \`byline serve\` first.`;

class UsageError extends Error {
  override name = 'UsageError';
}

function parseOptions(args: string[]): Options | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      articles: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  if (values['database-url'] !== undefined && values['data-dir'] !== undefined)
    throw new UsageError('give --database-url or --data-dir, not both');
  return {
    articles: wholeNumber('--articles', values.articles, 1, Number.MAX_SAFE_INTEGER),
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

function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/** Saves every batch, or those before a stop; answers how many articles were saved. */
async function saveAll(deps: AppDeps, options: Options, stop: AbortSignal): Promise<number> {
  const total = options.articles;
  const started = performance.now();
  const day = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  let saved = 0;
  let reported = started;
  for (const batch of batches(options.seed, total, day)) {
    // PGlite answers in promise callbacks alone, never letting the event loop reach its I/O
    // phase, where signals are heard: without this turn a Ctrl+C would wait for the last batch.
    await nextTurn();
    if (stop.aborted) break;
    await saveArticles(deps, batch);
    saved += batch.length;
    const now = performance.now();
    if (now - reported >= PROGRESS_EVERY_MS || saved === total) {
      reported = now;
      const rate = Math.round(saved / ((now - started) / 1000));
      progress(`${saved} / ${total} articles (${rate}/s)`);
    }
  }
  return saved;
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
  const total = options.articles;
  progress(`generating ${total} articles (seed ${options.seed}) into ${describe(config.database)}`);
  const started = performance.now();
  let saved: number;
  try {
    saved = await saveAll(deps, options, stopping.signal);
  } finally {
    await handle.close();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (saved === total) {
    progress(`${saved} articles saved in ${seconds} s`);
    return 0;
  }
  progress(`stopped: ${saved} of ${total} articles saved in ${seconds} s`);
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
