import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionLost } from '../db/db.js';
import type { Language } from '../lib/language.js';
import { ErrorPage } from '../views/error-page.js';
import type { Messages } from '../views/i18n.js';
import {
  isAppError,
  type ErrorCode,
  type ErrorParams,
  type ErrorTable,
  type ErrorTextContext,
} from './app-error.js';
import { htmlDocument, type Pages } from './pages.js';
import { requestLog } from './request-log.js';

/**
 * One place answers every error (CONTRIBUTING.md, habit 7): an AppError by its code; Fastify's own
 * client errors (bad URL, body too large, wrong content type) by their status; anything else is a
 * bug, logged with the request id and answered with a generic page that shows no internals.
 */

const CLIENT_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/** SQLSTATEs that mean the database cannot take writes or connections now: retry later. */
const UNAVAILABLE_SQLSTATES = new Set([
  '25006',
  '53100',
  '53300',
  '57P01',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/**
 * A request its route's schema refused (route.ts, schemas.ts): a malformed part of the address
 * names nothing that exists (404); a malformed query is a bad parameter, a malformed body a bad
 * request (400). What a person typed is never refused here: those fields take any text.
 */
const VALIDATION_CODES: Readonly<Record<string, ErrorCode>> = {
  params: 'NOT_FOUND',
  querystring: 'INVALID_PARAMETER',
  body: 'BAD_REQUEST',
};

export function errorCodeOf(error: unknown): ErrorCode {
  if (isAppError(error)) return error.code;
  const e = error as Partial<FastifyError> & { code?: unknown };
  if (e.validation && e.validationContext !== undefined)
    return VALIDATION_CODES[e.validationContext] ?? 'BAD_REQUEST';
  if (typeof e.code === 'string' && UNAVAILABLE_SQLSTATES.has(e.code)) return 'SERVICE_UNAVAILABLE';
  if (typeof e.code === 'string' && ['ECONNREFUSED', 'ECONNRESET'].includes(e.code))
    return 'SERVICE_UNAVAILABLE';
  if (isConnectionLost(error)) return 'SERVICE_UNAVAILABLE';
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return CLIENT_CODES[status] ?? 'BAD_REQUEST';
  return 'INTERNAL';
}

/** The edition a failed request belongs to, from its address alone (no database needed). */
export function languageOfUrl(url: string): Language {
  return url === '/ko' || url.startsWith('/ko/') || url.startsWith('/ko?') ? 'ko' : 'en';
}

/** A client that asked for JSON and not for a page (the enhanced forms, API clients). */
export function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** "3 minutes": a wait in the largest unit that keeps it readable, rounded up. */
export function formatWait(t: Messages, seconds: number): string {
  if (seconds < 90) return t.waitSeconds(Math.max(1, Math.ceil(seconds)));
  if (seconds < 90 * 60) return t.waitMinutes(Math.ceil(seconds / 60));
  return t.waitHours(Math.ceil(seconds / 3600));
}

/**
 * The message for an error in a language: the code's own text, with what it names (a comment's
 * length and the limit, a listed word, the end of a suspension in the newsroom's time) and, for a
 * limit reached, when to try again.
 */
export function errorText(
  errors: ErrorTable,
  ctx: ErrorTextContext,
  code: ErrorCode,
  params?: ErrorParams,
  retryAfterSeconds?: number,
): string {
  const { t } = ctx;
  const definition = errors[code];
  const described = params ? definition.describe?.(params, ctx) : undefined;
  if (described !== undefined) return described;
  const base = t.errorMessage[code];
  if (definition.status === 429 && retryAfterSeconds !== undefined)
    return `${base} ${t.tryAgainIn(formatWait(t, retryAfterSeconds))}`;
  return base;
}

export async function sendError(
  pages: Pages,
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  retryAfterSeconds?: number,
  params?: ErrorParams,
): Promise<FastifyReply> {
  const language = languageOfUrl(request.url);
  const status = pages.errors[code].status;
  reply.code(status).header('cache-control', 'no-store');
  if (status === 503 || status === 429)
    reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds ?? 5))));
  if (wantsJson(request)) {
    return reply.send({
      error: {
        code,
        message: errorText(
          pages.errors,
          pages.bareContext(language),
          code,
          params,
          retryAfterSeconds,
        ),
        requestId: request.id,
        ...params,
      },
    });
  }
  const path = request.url.split('?')[0] ?? '/';
  let ctx;
  try {
    ctx = await pages.context(language, request, reply);
  } catch (error) {
    // The error page must not depend on the database: without it, render with no navigation.
    request.log.warn(
      { ...requestLog(request), err: error },
      'error page rendered without navigation',
    );
    ctx = pages.bareContext(language);
  }
  const message = errorText(pages.errors, ctx, code, params, retryAfterSeconds);
  const html = htmlDocument(<ErrorPage ctx={ctx} code={code} path={path} message={message} />);
  return reply.type('text/html; charset=utf-8').send(html);
}

export function registerErrorHandling(app: FastifyInstance, pages: Pages): void {
  app.setErrorHandler(async (error, request, reply) => {
    const code = errorCodeOf(error);
    if (code === 'INTERNAL')
      request.log.error({ ...requestLog(request), err: error }, 'unhandled error');
    else if (code === 'SERVICE_UNAVAILABLE')
      request.log.warn({ ...requestLog(request), err: error }, 'database unavailable');
    else
      request.log.info(
        {
          ...requestLog(request),
          code,
          detail: error instanceof Error ? error.message : String(error),
        },
        'request refused',
      );
    return sendError(
      pages,
      request,
      reply,
      code,
      isAppError(error) ? error.retryAfterSeconds : undefined,
      isAppError(error) ? error.params : undefined,
    );
  });

  app.setNotFoundHandler(async (request, reply) => {
    // TRACE echoes requests back and helps no reader (docs/SECURITY.md, item 24).
    const code: ErrorCode =
      request.method === 'TRACE' || request.method === 'TRACK' ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND';
    return sendError(pages, request, reply, code);
  });
}

/** Fastify's frameworkErrors hook: a URL that cannot be decoded is the reader's error, 400. */
export function frameworkErrorHandler(pages: Pages, headers: Readonly<Record<string, string>>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    request.log.info({ ...requestLog(request), code: error.code }, 'malformed request');
    // Sent before routing, so before our onRequest hook: the same headers are set here.
    reply.headers(headers);
    void sendError(
      pages,
      request,
      reply,
      error.code === 'FST_ERR_BAD_URL' ? 'INVALID_PARAMETER' : 'BAD_REQUEST',
    );
  };
}
