import autocannon, { type Request, type Result } from 'autocannon';

/**
 * One measured load run with autocannon, in the benchmark's own process. Every target gets the
 * same settings and the same discarded warm-up, so that the ratios compare like with like.
 */

export type LoadSettings = {
  readonly connections: number;
  /** Seconds measured. */
  readonly duration: number;
  /** Seconds of load before the measured run, thrown away: JIT, caches and sockets warm up. */
  readonly warmup: number;
};

export type LoadResult = {
  /** Mean of the per-second request counts. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** Responses by status code, to say what went wrong when non2xx is not 0. */
  readonly statusCodes: Readonly<Record<string, number>>;
};

function run(
  url: string,
  connections: number,
  duration: number,
  requests: readonly Request[] | undefined,
): Promise<Result> {
  // Pipelining 1: one request in flight per connection, as browsers and proxies send them.
  return Promise.resolve(
    autocannon({ url, connections, duration, pipelining: 1, ...(requests ? { requests } : {}) }),
  );
}

/**
 * Warm-up, then the measured run, of GETs of `url`, or of `requests` when given (a POST whose
 * body changes each time): the same requests serve both runs, so state they keep, such as the
 * next reader to post, carries from the warm-up into the measured run.
 */
export async function measureLoad(
  url: string,
  settings: LoadSettings,
  requests?: readonly Request[],
): Promise<LoadResult> {
  if (settings.warmup > 0) await run(url, settings.connections, settings.warmup, requests);
  const result = await run(url, settings.connections, settings.duration, requests);
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
  };
}
