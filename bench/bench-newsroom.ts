import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formOfContent } from '../src/newsroom/newsroom-story-form.js';
import { startBareServer, type RunningApp, type RunningServer } from './bench-app.js';
import {
  progress,
  warnIfNoisy,
  type MeasureOptions,
  type Measured,
  type ScenarioResult,
} from './bench-measure.js';
import { readMemory, stopChild, watchOtherCpu } from './bench-process.js';
import { round } from './bench-report.js';
import type { SeededNewsroom, SeededStory } from './generate-newsroom.js';

/**
 * story-save: editors' autosaves as the editor's script sends them (editor-send.client.ts): the
 * whole story form, application/x-www-form-urlencoded with `_csrf` (cookie and field), `base`
 * the revision the previous save answered, `Accept: application/json`. Each editor saves one
 * story of their own, one save after another (a writer's saves never overlap: the script waits
 * for an answer before the next), and each answer is checked (200 and a revision) before the
 * next save is based on it. Several editors save at once, so the figures are both the round
 * trip of a save and the saves a second the app keeps up.
 *
 * autocannon is not used here: its per-connection context is reset after each request of a
 * one-request sequence, so it cannot chain a save on the previous answer. A plain keep-alive
 * node:http client does, for the bare server and the app alike, so the two compare as the
 * other scenarios' ratios do.
 */

/** The app runs on http://localhost, so its cookies carry no `__Host-` prefix (access.ts). */
const SESSION_COOKIE = 'byline_session';
const CSRF_COOKIE = 'byline_csrf';
/**
 * Written into the body's last paragraph and replaced by the save's number in each request, so
 * every save sends a changed text of the same length, as a writer typing does.
 */
const MARKER = 'SAVE0000000';
/** A hang guard for one save, not a measurement. */
const SAVE_TIMEOUT_MS = 30_000;

/** The editors saving at once in story-save; each needs a seeded story. */
export const SAVE_EDITORS = 8;

export function readSeededNewsroom(file: string): SeededNewsroom {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SeededNewsroom;
}

/** One editor's chain of saves: the request's bytes, and the revision the next is based on. */
export type Chain = { path: string; headers: Record<string, string>; form: string; base: number };

export function chainOf(story: SeededStory): Chain {
  const csrf = randomBytes(32).toString('base64url');
  const content = structuredClone(story.content);
  // A paragraph of the writer's own at the end, holding the marker each save replaces.
  content.body = {
    ...content.body,
    content: [
      ...(content.body.content ?? []),
      { type: 'paragraph', content: [{ type: 'text', text: MARKER }] },
    ],
  };
  const fields = formOfContent(content, story.revision);
  const form = new URLSearchParams({ _csrf: csrf, base: '{base}' });
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'base') continue;
    if (Array.isArray(value)) for (const item of value) form.append(name, item);
    else form.append(name, String(value));
  }
  return {
    path: `/ko/newsroom/stories/${story.id}/autosave`,
    headers: {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      // What a browser's fetch from the editor's page sends; the app refuses cross-site posts.
      'sec-fetch-site': 'same-origin',
      cookie: `${SESSION_COOKIE}=${story.token}; ${CSRF_COOKIE}=${csrf}`,
    },
    form: form.toString().replace('%7Bbase%7D', '{base}'),
    base: story.revision,
  };
}

type Answer = { status: number; body: Buffer; contentType: string };

/** Save number `save` of a chain: based on its latest revision, its text changed by the number. */
export function saveRequest(
  chain: Chain,
  save: number,
): { path: string; headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(
    chain.form
      .replace('{base}', String(chain.base))
      .replace(MARKER, `SAVE${String(save % 10_000_000).padStart(7, '0')}`),
  );
  return {
    path: chain.path,
    headers: { ...chain.headers, 'content-length': String(body.length) },
    body,
  };
}

function post(agent: http.Agent, origin: string, chain: Chain, save: number): Promise<Answer> {
  const { path: pathname, headers, body } = saveRequest(chain, save);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${origin}${pathname}`,
      {
        agent,
        method: 'POST',
        headers,
        timeout: SAVE_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks),
            contentType: response.headers['content-type'] ?? '',
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer in ${SAVE_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** The revision a save answered, or undefined when the answer is not a saved one. */
export function revisionOf(answer: { status: number; body: Buffer }): number | undefined {
  if (answer.status !== 200) return undefined;
  try {
    const parsed = JSON.parse(answer.body.toString('utf8')) as { revision?: unknown };
    return typeof parsed.revision === 'number' ? parsed.revision : undefined;
  } catch {
    return undefined;
  }
}

type SaveRun = {
  saves: number;
  seconds: number;
  latencies: number[];
  failures: number;
  /** Failed answers by status (0: no answer), to say what went wrong. */
  statusCodes: Record<string, number>;
};

/**
 * Every chain saves one after another until `seconds` have passed. A chain whose save fails
 * stops (its next base would be wrong): the run is then reported as failed, not measured.
 */
async function runSaves(origin: string, chains: Chain[], seconds: number): Promise<SaveRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: chains.length });
  const run: SaveRun = { saves: 0, seconds, latencies: [], failures: 0, statusCodes: {} };
  const started = performance.now();
  const end = started + seconds * 1000;
  const fail = (status: string) => {
    run.failures += 1;
    run.statusCodes[status] = (run.statusCodes[status] ?? 0) + 1;
  };
  let save = Math.floor(started);
  await Promise.all(
    chains.map(async (chain) => {
      while (performance.now() < end) {
        save += 1;
        const sent = performance.now();
        const answer = await post(agent, origin, chain, save).catch((error: unknown) => {
          progress(`a save failed: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        });
        const revision = answer && revisionOf(answer);
        if (revision === undefined) {
          fail(String(answer?.status ?? 0));
          if (answer && run.failures === 1)
            progress(
              `save answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 300)}`,
            );
          return;
        }
        run.latencies.push(performance.now() - sent);
        run.saves += 1;
        chain.base = revision;
      }
    }),
  );
  agent.destroy();
  return run;
}

type Figures = { rps: number; p50Ms: number; p99Ms: number; meanMs: number };

function figuresOf(run: SaveRun): Figures {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  // Nearest rank: the value below which p % of the saves' round trips fall.
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const mean = sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length);
  return {
    rps: Math.round(run.saves / run.seconds),
    p50Ms: round(rank(50), 1),
    p99Ms: round(rank(99), 1),
    meanMs: round(mean, 1),
  };
}

type Measurement = { figures: Figures; run: SaveRun; otherCores: number; clean: boolean };

/** Warm-up (discarded), then the measured run, with the chains carrying on from one to the other. */
async function measureSaves(
  what: string,
  origin: string,
  chains: Chain[],
  ours: readonly number[],
  options: MeasureOptions,
): Promise<Measurement> {
  progress(`${what}…`);
  if (options.warmup > 0) await runSaves(origin, chains, options.warmup);
  const watch = watchOtherCpu(ours);
  const run = await runSaves(origin, chains, options.duration);
  const otherCores = watch.otherCores();
  warnIfNoisy(what, otherCores, options.database);
  const clean = run.failures === 0;
  if (!clean)
    process.stderr.write(
      `\n!!! ${what}: ${run.failures} failed saves (status codes ${JSON.stringify(run.statusCodes)}).\n` +
        '!!! These figures do not measure the save: do not quote them.\n\n',
    );
  return { figures: figuresOf(run), run, otherCores, clean };
}

/**
 * story-save: the first editor's first save checks the set-up and gives the answer the bare
 * server sends; then the bare server and the app, each with `editors` chains of saves.
 */
export async function measureStorySave(
  name: string,
  stories: readonly SeededStory[],
  app: RunningApp,
  temp: string,
  measure: MeasureOptions,
): Promise<Measured> {
  if (stories.length === 0) throw new Error(`${name}: no seeded stories`);
  const appChains = stories.map(chainOf);
  const firstChain = appChains[0];
  if (firstChain === undefined) throw new Error(`${name}: no seeded stories`);
  const agent = new http.Agent({ keepAlive: false });
  const sample = await post(agent, app.url, firstChain, 0);
  const revision = revisionOf(sample);
  if (revision === undefined)
    throw new Error(
      `POST ${firstChain.path} answered ${sample.status}: ${sample.body.toString('utf8')}`,
    );
  firstChain.base = revision;
  const bare = await startBareSaver(temp, sample);
  try {
    const ours = [process.pid, bare.child.pid, app.child.pid];
    // The bare server gets chains of its own: the same requests, its answers' revision as base.
    const bareRun = await measureSaves(
      `${name}, bare node:http`,
      bare.url,
      stories.map(chainOf),
      ours,
      measure,
    );
    const appRun = await measureSaves(`${name}, app`, app.url, appChains, ours, measure);
    const result: ScenarioResult = {
      scenario: name,
      rps: appRun.figures.rps,
      p50_ms: appRun.figures.p50Ms,
      p99_ms: appRun.figures.p99Ms,
      bare_rps: bareRun.figures.rps,
      ratio: round(appRun.figures.rps / bareRun.figures.rps, 3),
      rss_mb: readMemory(app.child.pid).hwmMb,
      db: measure.database,
      non2xx: appRun.run.failures - (appRun.run.statusCodes['0'] ?? 0),
      errors: appRun.run.statusCodes['0'] ?? 0,
      other_cores: Math.max(bareRun.otherCores, appRun.otherCores),
      editors: stories.length,
      request_bytes: Buffer.byteLength(firstChain.form),
      mean_ms: appRun.figures.meanMs,
      bare_p50_ms: bareRun.figures.p50Ms,
      bare_p99_ms: bareRun.figures.p99Ms,
      bare_mean_ms: bareRun.figures.meanMs,
    };
    return { result, clean: bareRun.clean && appRun.clean };
  } finally {
    await stopChild(bare.child);
  }
}

/** A bare server answering every request with the first save's bytes. */
async function startBareSaver(folder: string, sample: Answer): Promise<RunningServer> {
  const file = path.join(folder, 'story-save.json');
  fs.writeFileSync(file, sample.body);
  return startBareServer(file, sample.contentType || 'application/json');
}
