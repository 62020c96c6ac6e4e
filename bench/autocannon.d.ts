/**
 * The part of autocannon 9's programmatic API the benchmarks use. autocannon ships no types and
 * we add no dependency for them; fields follow the "Results" section of its README.
 */
declare module 'autocannon' {
  /** One request of a sequence; `setupRequest` may rebuild it before each sending. */
  type Request = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
  };

  type Options = {
    url: string;
    /** Defaults for every request: GET, no body. */
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Each connection loops over these in turn. */
    requests?: readonly Request[];
    connections?: number;
    /** Seconds. */
    duration?: number;
    pipelining?: number;
    /** Seconds before a request counts as a timeout (and an error). */
    timeout?: number;
    title?: string;
  };

  /** hdr-histogram-percentiles-obj: per-second samples for `requests`, milliseconds for `latency`. */
  type Histogram = {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
  };

  type Result = {
    requests: Histogram & { sent: number };
    latency: Histogram;
    throughput: Histogram;
    /** Seconds the run actually took. */
    duration: number;
    /** Connection errors, timeouts included. */
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  };

  /** Without a callback the instance is also a promise of the result. */
  type Instance = PromiseLike<Result> & { stop(): void };

  function autocannon(options: Options): Instance;

  export type { Histogram, Instance, Options, Request, Result };
  export default autocannon;
}
