import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';

/**
 * One log line per request, written by us, with the request id in every line we write (ADR 7).
 *
 * Fastify's default makes a pino child logger for every request and writes two lines for it.
 * On the cached article page that child alone cost about a fifth of the throughput (0.67x bare
 * node:http with it, 0.86x without, measured with bench/bench.ts). So requests share the app's
 * logger, and every line that concerns a request names it through `requestLog`.
 */

/** Fastify's childLoggerFactory: no per-request child; see requestLog for the request id. */
export function sharedLogger(logger: FastifyBaseLogger): FastifyBaseLogger {
  return logger;
}

/**
 * The address as logged: one-time secrets that travel in addresses are cut out, so logs never
 * hold a working credential (docs/SECURITY.md, items 1 and 18): the staff set-up link's token, and
 * the authorization code and state a provider sends to our callback.
 */
export function loggableUrl(url: string): string {
  return url
    .replace(/(\/staff\/setup\/)[^/?#]+/, '$1[redacted]')
    .replace(/^((?:\/ko)?\/auth\/[^/?#]+\/callback)\?.*$/, '$1?[redacted]');
}

/** The fields every log line about a request carries. */
export function requestLog(request: FastifyRequest): {
  reqId: string;
  method: string;
  url: string;
} {
  return { reqId: request.id, method: request.method, url: loggableUrl(request.url) };
}

/**
 * Fastify's extension point for the lines it writes about requests: none when one arrives, one
 * when it is answered (at info), and the request named in the rare lines Fastify writes itself.
 */
export class RequestLogController extends LogController {
  private readonly infoEnabled: boolean;

  constructor(private readonly log: Logger) {
    super();
    this.infoEnabled = log.isLevelEnabled('info');
  }

  override incomingRequest(): void {
    // Nothing: the answer's line says everything the arrival's would.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = {
      ...requestLog(request),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) this.log.error({ ...fields, err: error }, 'request errored');
    else if (this.infoEnabled) this.log.info(fields, 'request');
  }

  override writeHeadError(error: Error, request: FastifyRequest): void {
    this.log.warn({ ...requestLog(request), err: error }, 'could not write the response head');
  }

  override streamError(error: Error, request: FastifyRequest): void {
    this.log.warn({ ...requestLog(request), err: error }, 'response stream ended early');
  }
}
