import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/**
 * One log line per request, written by us, with the request id in every line we write.
 *
 * Fastify's default makes a pino child logger for every request and writes two lines for it.
 * On the cached article page that child alone cost more than a fifth of the throughput (0.67x
 * bare node:http with it, 0.87x without, measured with bench/bench.ts). So requests share the
 * app's logger, and every line that concerns a request names it through `requestLog`.
 */

/** Fastify's childLoggerFactory: no per-request child; see requestLog for the request id. */
export function sharedLogger(logger: FastifyBaseLogger): FastifyBaseLogger {
  return logger;
}

/** The fields every log line about a request carries. */
export function requestLog(request: FastifyRequest): {
  reqId: string;
  method: string;
  url: string;
} {
  return { reqId: request.id, method: request.method, url: request.url };
}

/** Logs each answered request at info level, when info is logged at all. */
export function registerRequestLogging(app: FastifyInstance, log: Logger): void {
  if (!log.isLevelEnabled('info')) return;
  app.addHook('onResponse', (request, reply, done) => {
    log.info(
      { ...requestLog(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
    done();
  });
}
