import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import lighthouse, { desktopConfig, type Flags } from 'lighthouse';
import { fetchPage, findBenchmarkArticle, startApp } from './bench-app.js';
import { makeTempFolder, runBenchmark, stopChild } from './bench-process.js';
import { markdownTable, round, writeResults } from './bench-report.js';

/**
 * Lighthouse on the demo article page, English and Korean, with its mobile (default: an emulated
 * mid-range phone on a throttled connection, simulated) and desktop settings, driving Debian's
 * Chromium. `byline serve` runs on a fresh PGlite folder with the demo articles and the page
 * cache on, as `npm start` serves them. Scores are printed and written to
 * `results/lighthouse.json`; nothing is asserted, as for every benchmark.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const FORM_FACTORS = ['mobile', 'desktop'] as const;
const DEVTOOLS_TIMEOUT_MS = 30_000;

type Category = (typeof CATEGORIES)[number];
type FormFactor = (typeof FORM_FACTORS)[number];

type Run = {
  page: string;
  url: string;
  form_factor: FormFactor;
  scores: Record<Category, number | null>;
  /** The audits that kept a category below 100, by id, with their scores. */
  below: Record<string, number>;
  metrics: {
    fcp_ms: number | null;
    lcp_ms: number | null;
    tbt_ms: number | null;
    cls: number | null;
  };
};

type Chromium = { process: ChildProcess; port: number; profile: string };

/** Starts Chromium headless with a DevTools port of the system's choosing, read from its stderr. */
function startChromium(temp: string): Promise<Chromium> {
  const profile = path.join(temp, 'chromium-profile');
  const proc = spawn(
    CHROMIUM,
    [
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-gpu',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${CHROMIUM} printed no DevTools address in ${DEVTOOLS_TIMEOUT_MS} ms`));
    }, DEVTOOLS_TIMEOUT_MS);
    proc.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${CHROMIUM} did not start: ${error.message}`));
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const port = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr)?.[1];
      if (port !== undefined) {
        clearTimeout(timer);
        resolve({ process: proc, port: Number(port), profile });
      }
    });
  });
}

async function stopChromium(chromium: Chromium): Promise<void> {
  if (chromium.process.exitCode !== null) return;
  const exited = new Promise((resolve) => chromium.process.once('exit', resolve));
  chromium.process.kill('SIGTERM');
  await exited;
}

async function audit(
  port: number,
  page: string,
  url: string,
  formFactor: FormFactor,
): Promise<Run> {
  const flags: Flags = {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: [...CATEGORIES],
  };
  const result = await lighthouse(url, flags, formFactor === 'desktop' ? desktopConfig : undefined);
  if (result === undefined) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError !== undefined)
    throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const scores = Object.fromEntries(
    CATEGORIES.map((id) => {
      const score = lhr.categories[id]?.score;
      return [id, score === null || score === undefined ? null : Math.round(score * 100)];
    }),
  ) as Record<Category, number | null>;
  const below: Record<string, number> = {};
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const found = lhr.audits[ref.id];
      if (ref.weight > 0 && found?.score !== null && found?.score !== undefined && found.score < 1)
        below[ref.id] = found.score;
    }
  }
  const metric = (id: string, decimals = 0) => {
    const value = lhr.audits[id]?.numericValue;
    return value === undefined ? null : round(value, decimals);
  };
  return {
    page,
    url,
    form_factor: formFactor,
    scores,
    below,
    metrics: {
      fcp_ms: metric('first-contentful-paint'),
      lcp_ms: metric('largest-contentful-paint'),
      tbt_ms: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift', 3),
    },
  };
}

/**
 * The Korean edition of the English article, from the `hreflang="ko"` link its page carries, or
 * else the first Korean article the Korean front page links.
 */
async function koreanArticle(appUrl: string, english: { body: Buffer }): Promise<string> {
  const edition = /<link rel="alternate" hreflang="ko" href="([^"]+)"/.exec(
    english.body.toString('utf8'),
  )?.[1];
  if (edition !== undefined) {
    // The link is absolute, on the site's public address: the same path on the app we started.
    return new URL(new URL(edition.replaceAll('&amp;', '&')).pathname, appUrl).href;
  }
  const front = await fetchPage(`${appUrl}/ko`);
  const href = /<a href="(\/ko\/\d{4}\/\d{2}\/\d{2}\/[^"]+)"/.exec(
    front.body.toString('utf8'),
  )?.[1];
  if (href === undefined) throw new Error('the Korean front page links no article');
  return new URL(href.replaceAll('&amp;', '&'), appUrl).href;
}

async function main(): Promise<number> {
  if (!fs.existsSync(CHROMIUM)) {
    process.stderr.write(
      `${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)\n`,
    );
    return 1;
  }
  const temp = makeTempFolder('byline-lighthouse-');
  const app = await startApp({
    dataDir: path.join(temp, 'data'),
    pageCache: true,
    databaseUrl: undefined,
  });
  const chromium = await startChromium(temp);
  try {
    const english = await findBenchmarkArticle(app.url);
    const korean = await koreanArticle(app.url, english);
    const status = (await fetchPage(korean)).status;
    if (status !== 200) throw new Error(`GET ${korean} answered ${status}`);
    const pages: [string, string][] = [
      ['article-en', english.url],
      ['article-ko', korean],
    ];

    const runs: Run[] = [];
    for (const [page, url] of pages) {
      for (const formFactor of FORM_FACTORS) {
        process.stderr.write(`lighthouse ${page} ${formFactor}: ${url}\n`);
        runs.push(await audit(chromium.port, page, url, formFactor));
      }
    }
    const headers = ['page', 'form factor', ...CATEGORIES, 'FCP / LCP ms', 'TBT ms', 'CLS'];
    const rows = runs.map((r) => [
      r.page,
      r.form_factor,
      ...CATEGORIES.map((c) => String(r.scores[c] ?? '—')),
      `${r.metrics.fcp_ms ?? '—'} / ${r.metrics.lcp_ms ?? '—'}`,
      String(r.metrics.tbt_ms ?? '—'),
      String(r.metrics.cls ?? '—'),
    ]);
    process.stdout.write(`\nLighthouse on the demo article\n\n${markdownTable(headers, rows)}\n\n`);
    for (const r of runs.filter((run) => Object.keys(run.below).length > 0))
      process.stdout.write(`${r.page} ${r.form_factor} below 100: ${JSON.stringify(r.below)}\n`);
    const version = (
      JSON.parse(
        fs.readFileSync(new URL(import.meta.resolve('lighthouse/package.json')), 'utf8'),
      ) as { version: string }
    ).version;
    const written = writeResults('lighthouse.json', {
      lighthouse: version,
      chromium: CHROMIUM,
      measured_at: new Date().toISOString().slice(0, 16) + 'Z',
      runs,
    });
    process.stdout.write(`written to ${written}\n`);
    return 0;
  } finally {
    await stopChromium(chromium);
    await stopChild(app.child);
  }
}

runBenchmark(main);
