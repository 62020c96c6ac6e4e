import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { spawnNode, waitForOutput, type Child } from './bench-process.js';

/**
 * Starting the servers under test as child processes, each with its own event loop: `byline
 * serve` as a reader would run it, and the bare node:http server the app is compared with.
 */

/** This file runs from dist/bench/, beside the compiled bare server; the CLI is in dist/src/. */
const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '..', 'src', 'cli.js');
const BARE_SERVER = path.join(here, 'bare-server.js');
const GENERATOR = path.join(here, 'generate.js');
const COMMENT_GENERATOR = path.join(here, 'generate-comments.js');
const NEWSROOM_GENERATOR = path.join(here, 'generate-newsroom.js');

/** A hang guard, not a measurement: a first start on an empty PGlite folder takes 5–15 s. */
const START_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 10;

export type AppOptions = { dataDir: string; pageCache: boolean; databaseUrl: string | undefined };

export type RunningServer = {
  readonly child: Child;
  /** Origin without a trailing slash. */
  readonly url: string;
};

export type RunningApp = RunningServer & {
  /** From spawn to the first 200 on /readyz. */
  readonly readyMs: number;
};

/**
 * A child's environment: ours (PATH, HOME…) without any Byline setting or DATABASE_URL of the
 * shell, which would silently change what is measured, plus the run's own database. The app and
 * the generator get the same one, so they agree on the time zone that dates the addresses.
 */
function childEnv(database: Omit<AppOptions, 'pageCache'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('BYLINE_') && key !== 'DATABASE_URL' && key !== 'NODE_ENV')
      env[key] = value;
  }
  return {
    ...env,
    NODE_ENV: 'production',
    BYLINE_DATA_DIR: database.dataDir,
    BYLINE_LOG_LEVEL: 'warn',
    // In the environment, not on the command line, where `ps` would show its password.
    ...(database.databaseUrl === undefined ? {} : { DATABASE_URL: database.databaseUrl }),
  };
}

function appEnv(options: AppOptions): NodeJS.ProcessEnv {
  return {
    ...childEnv(options),
    BYLINE_HOST: '127.0.0.1',
    BYLINE_PORT: '0',
    BYLINE_PAGE_CACHE: String(options.pageCache),
  };
}

function requireBuilt(file: string): string {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: run \`npm run build\` first.`);
  return file;
}

/** Starts `byline serve` and resolves once /readyz answers 200. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const started = performance.now();
  const child = spawnNode('byline serve', requireBuilt(CLI), ['serve'], appEnv(options));
  // Port 0 lets the system choose, so the address is read from what the CLI prints.
  const printed = await waitForOutput(
    child,
    /Byline is running at (http:\/\/[^\s/]+)\//,
    START_TIMEOUT_MS,
  );
  const url = printed[1] ?? '';
  await waitUntilReady(child, url, started);
  return { child, url, readyMs: performance.now() - started };
}

async function waitUntilReady(child: Child, url: string, started: number): Promise<void> {
  for (;;) {
    if (child.hasExited())
      throw new Error(`${child.name} exited before /readyz answered:\n${child.output()}`);
    if (performance.now() - started > START_TIMEOUT_MS)
      throw new Error(`${child.name}: /readyz not 200 after ${START_TIMEOUT_MS} ms`);
    const status = await fetch(`${url}/readyz`).then(
      (response) => response.arrayBuffer().then(() => response.status),
      // Refused or reset while the server comes up: the answer is "not yet", polled again below.
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/** Starts the bare node:http server answering every request with the file's bytes. */
export async function startBareServer(
  bodyFile: string,
  contentType: string,
): Promise<RunningServer> {
  const child = spawnNode(
    'bare server',
    requireBuilt(BARE_SERVER),
    [bodyFile, contentType],
    process.env,
  );
  const printed = await waitForOutput(child, /bare server at (http:\/\/[^\s/]+)/, START_TIMEOUT_MS);
  return { child, url: printed[1] ?? '' };
}

/**
 * Runs the generator (generate.ts) on the run's database and waits for it; its progress lines
 * go to our stderr. No time limit: on PostgreSQL a large --articles takes minutes.
 */
export function generateArticles(
  database: Omit<AppOptions, 'pageCache'>,
  articles: number,
): Promise<void> {
  return runGenerator('generator', GENERATOR, ['--articles', String(articles)], database);
}

/**
 * Runs generate-comments.ts on the run's database: the threads, readers and sessions of the
 * comment scenarios, described in the JSON file `out`.
 */
export function generateComments(
  database: Omit<AppOptions, 'pageCache'>,
  options: { out: string; posters: number },
): Promise<void> {
  return runGenerator(
    'comment generator',
    COMMENT_GENERATOR,
    ['--out', options.out, '--posters', String(options.posters)],
    database,
  );
}

/**
 * Runs generate-newsroom.ts on the run's database: editors, their staff sessions and a Korean
 * story each for story-save, described in the JSON file `out`.
 */
export function generateNewsroom(
  database: Omit<AppOptions, 'pageCache'>,
  options: { out: string; stories: number },
): Promise<void> {
  return runGenerator(
    'newsroom generator',
    NEWSROOM_GENERATOR,
    ['--out', options.out, '--stories', String(options.stories)],
    database,
  );
}

async function runGenerator(
  name: string,
  script: string,
  args: readonly string[],
  database: Omit<AppOptions, 'pageCache'>,
): Promise<void> {
  const child = spawnNode(name, requireBuilt(script), args, childEnv(database));
  child.process.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const exit = await child.exited;
  if (exit.code !== 0)
    throw new Error(`the ${name} exited with ${exit.code ?? exit.signal ?? 'nothing'}`);
}

export type Page = {
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
};

export async function fetchPage(url: string): Promise<Page> {
  const response = await fetch(url, { redirect: 'manual' });
  return {
    url,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** The first English article the home page links: English pages sit at the root, /YYYY/MM/DD/…. */
export async function findBenchmarkArticle(appUrl: string): Promise<Page> {
  const home = await fetchPage(`${appUrl}/`);
  if (home.status !== 200) throw new Error(`GET / answered ${home.status}`);
  const href = /<a href="(\/\d{4}\/\d{2}\/\d{2}\/[^"]+)"/.exec(home.body.toString('utf8'))?.[1];
  if (href === undefined) throw new Error('the home page links no English article');
  // The href is HTML-escaped; URL() percent-encodes what the load generator must not send raw.
  const article = await fetchPage(new URL(href.replaceAll('&amp;', '&'), appUrl).href);
  if (article.status !== 200) throw new Error(`GET ${article.url} answered ${article.status}`);
  return article;
}
