import type { Request } from 'autocannon';
import type { RunningApp, RunningServer } from './bench-app.js';
import { measureLoad, type LoadResult, type LoadSettings } from './bench-load.js';
import { readMemory, watchOtherCpu } from './bench-process.js';
import { round } from './bench-report.js';

/**
 * One scenario measured as bench.ts reports it: the bare server, then the app, with the same
 * settings, and each run's problems (failures, other programs' CPU) said loudly.
 */

export type Database = 'pglite' | 'postgres';

export type ScenarioResult = {
  scenario: string;
  /** Null for comment-live, which measures latency, not throughput. */
  rps: number | null;
  p50_ms: number;
  p99_ms: number;
  bare_rps: number | null;
  ratio: number | null;
  rss_mb: number;
  db: Database;
  non2xx: number;
  errors: number;
  /**
   * Cores other programs used during the noisier of the two runs (see watchOtherCpu); with
   * PostgreSQL on this machine, its server's work is counted here too.
   */
  other_cores: number;
  /** When the run that measured this began (UTC, to the minute): latest.json mixes runs. */
  measured_at?: string;
  /** comment-live only: the browsers listening and the comments posted, one after another. */
  listeners?: number;
  comments?: number;
  /** comment-live only: median time from sending a post to its first listener's receipt. */
  first_p50_ms?: number;
  /** story-save only: the editors saving at once, each one save after another. */
  editors?: number;
  /** story-save only: the bytes of one save's request body. */
  request_bytes?: number;
  /** story-save only: the mean round trip, and the bare server's p50, p99 and mean. */
  mean_ms?: number;
  bare_p50_ms?: number;
  bare_p99_ms?: number;
  bare_mean_ms?: number;
};

export type Measured = { result: ScenarioResult; clean: boolean };

export type MeasureOptions = LoadSettings & { database: Database };

/** What a scenario loads: GETs of a path, or requests built afresh for each server. */
export type Load = {
  path: string;
  bare: RunningServer;
  requests?: (server: 'bare' | 'app') => Request[];
};

/** Above this many cores used by other programs during a run, its figures are called noisy. */
const NOISY_OTHER_CORES = 0.25;

type Run = { load: LoadResult; otherCores: number; clean: boolean };

export function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

/** The bare server, then the app, with the same settings; a run's problems are printed loudly. */
export async function measureScenario(
  scenario: string,
  load: Load,
  app: RunningApp,
  options: MeasureOptions,
): Promise<Measured> {
  const ours = [process.pid, load.bare.child.pid, app.child.pid];
  const bareRun = await measureRun(
    `${scenario}, bare node:http`,
    `${load.bare.url}${load.path}`,
    load.requests?.('bare'),
    ours,
    options,
  );
  const appRun = await measureRun(
    `${scenario}, app`,
    `${app.url}${load.path}`,
    load.requests?.('app'),
    ours,
    options,
  );
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
      db: options.database,
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
  requests: Request[] | undefined,
  ours: readonly number[],
  options: MeasureOptions,
): Promise<Run> {
  progress(`${what}…`);
  const watch = watchOtherCpu(ours);
  const load = await measureLoad(url, options, requests);
  const otherCores = watch.otherCores();
  warnIfNoisy(what, otherCores, options.database);
  return { load, otherCores, clean: warnIfFailed(what, load) };
}

export function warnIfNoisy(what: string, otherCores: number, database: Database): void {
  if (otherCores <= NOISY_OTHER_CORES) return;
  // A PostgreSQL server on this machine is not one of our processes: its work counts here.
  const postgres = database === 'postgres' ? ' (PostgreSQL included)' : '';
  process.stderr.write(
    `!!! ${what}: other programs${postgres} used ${otherCores} cores meanwhile: a noisy run.\n`,
  );
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
