import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Language } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';
import { isAppError, type AppError, type ErrorCode } from './app-error.js';
import { errorText, sendError, wantsJson } from './errors.js';
import type { Pages } from './pages.js';
import { requestLog } from './request-log.js';

/**
 * Answering a refused form. A form the app refuses comes back as the same page, with its status
 * from the error table (422 for a broken rule), every value the person typed or ticked kept, and
 * the reason beside the field it concerns: a bare error page whose only link leads away loses
 * their work. A client that asked for JSON gets the error handler's `{"error":{"code","message"}}`.
 */

/** Why a form was refused, in the page's language, for the page to show beside its field. */
export type Refusal = Readonly<{ code: ErrorCode; message: string }>;

export type FormContext = ViewContext & { csrfToken: string };

/**
 * Whether an error is one the person can put right on the form: what they typed broke a rule
 * (422), the item changed or is held meanwhile (409), or they must wait (429). Access (401, 403),
 * a missing item (404) and a tampered form (400) keep the error page: there is no form to offer.
 */
export function isRefusal(
  pages: Pick<Pages, 'errors'>,
  error: unknown,
  options: RefusalOptions = {},
): error is AppError {
  if (!isAppError(error)) return false;
  const status = pages.errors[error.code].status;
  return [409, 422, 429].includes(status) || (options.forbidden === true && status === 403);
}

export type RefusalOptions = Readonly<{
  /**
   * A 403 is a refusal too: a rule about the person rather than the route (a reader suspended or
   * banned from commenting, whose session still admits them to the form). The route's own access
   * is refused by the guard before the handler runs, so it never reaches here; what does is news
   * to someone who has just written something, and losing the text would punish them twice.
   */
  forbidden?: boolean;
}>;

export async function sendRefusedForm(
  options: Readonly<{
    pages: Pages;
    request: FastifyRequest;
    reply: FastifyReply;
    language: Language;
    error: AppError;
    /** A more precise message than the code's (which line of a list broke which rule). */
    message?: string | undefined;
  }>,
  render: (ctx: FormContext, refusal: Refusal) => VNode,
): Promise<FastifyReply> {
  const { pages, request, reply, language, error } = options;
  if (wantsJson(request))
    return sendError(pages, request, reply, error.code, error.retryAfterSeconds, error.params);
  request.log.info(
    { ...requestLog(request), code: error.code, detail: error.message },
    'form refused',
  );
  reply.code(pages.errors[error.code].status);
  if (error.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  return pages.sendForm(request, reply, language, (ctx) =>
    render(ctx, {
      code: error.code,
      message:
        options.message ??
        errorText(pages.errors, ctx, error.code, error.params, error.retryAfterSeconds),
    }),
  );
}
