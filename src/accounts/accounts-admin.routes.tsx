import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Viewer } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import type { Pages } from '../http/pages.js';
import { sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { route } from '../http/route.js';
import { nothing, rowId } from '../http/schemas.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import type { AppDeps } from '../deps.js';
import { listAccounts, setAccountStatus, setOnBoard, setRole } from './accounts.service.js';
import { endAllSessions } from './sessions.js';
import { AdminAccountsPage } from './staff-pages.js';

/**
 * The admin's accounts page: every account with its role, status and board seat, each change a
 * form of its own, and ending all of an account's sessions. Admins only (src/http/access.ts).
 */

const tags = ['accounts'];

/** The account changed: an id that is not a row id is no account, answered 404. */
const accountParams = z.object({ id: rowId });

/**
 * Each change's form: one field, named as the change, holding one of the values the page offers;
 * any other value is a hand-made form, refused 400.
 */
const roleForm = z
  .object({ role: z.enum(['reader', 'moderator', 'reporter', 'editor', 'admin']) })
  .transform((form) => form.role);
const statusForm = z
  .object({ status: z.enum(['active', 'suspended']) })
  .transform((form) => form.status);
const boardForm = z.object({ board: z.enum(['on', 'off']) }).transform((form) => form.board);

type Change = 'role' | 'status' | 'board';

export function registerAdminAccountRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
): void {
  for (const language of LANGUAGES) {
    const prefix = editionPrefix(language);
    route(
      app,
      {
        method: 'GET',
        url: `${prefix}/admin/accounts`,
        access: ['admin'],
        schema: { summary: 'Every account, with the admin’s forms to change them', tags },
      },
      (request, reply) =>
        sendAccountsPage(deps, pages, { request, reply, language, viewer: request.viewer }),
    );
    const change = changeRoute(app, deps, pages, language);
    change('role', roleForm, (id, role) => setRole(deps, id, role));
    change('board', boardForm, (id, seat) => setOnBoard(deps, id, seat === 'on'));
    change('status', statusForm, (id, status) => setAccountStatus(deps, id, status));
    route(
      app,
      {
        method: 'POST',
        url: `${prefix}/admin/accounts/:id/sessions/end`,
        access: ['admin'],
        schema: {
          params: accountParams,
          body: nothing,
          summary: 'Ends every session of an account',
          tags,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const ended = await endAllSessions(deps, id);
        request.log.info({ ...requestLog(request), target: id, ended }, 'sessions ended by admin');
        return reply.redirect(`${prefix}/admin/accounts`, 303);
      },
    );
  }
}

type PageTarget = Readonly<{
  request: FastifyRequest;
  reply: FastifyReply;
  language: Language;
  viewer: Viewer;
}>;

/** The accounts page, with a refused change shown beside the row of the account it was for. */
async function sendAccountsPage(
  deps: AppDeps,
  pages: Pages,
  target: PageTarget,
  refused?: { accountId: string; error: AppError },
): Promise<FastifyReply> {
  const { request, reply, language, viewer } = target;
  const accounts = await listAccounts(deps);
  const page = (ctx: FormContext, refusal?: { accountId: string; message: string }) => (
    <AdminAccountsPage
      ctx={ctx}
      csrfToken={ctx.csrfToken}
      accounts={accounts}
      selfId={viewer.accountId}
      refused={refusal}
    />
  );
  if (!refused) return pages.sendForm(request, reply, language, (ctx) => page(ctx));
  const { accountId, error } = refused;
  return sendRefusedForm({ pages, request, reply, language, error }, (ctx, refusal) =>
    page(ctx, { accountId, message: refusal.message }),
  );
}

/** An admin's change to another account: the value parsed by its form, the change logged. */
function changeRoute(app: FastifyInstance, deps: AppDeps, pages: Pages, language: Language) {
  const prefix = editionPrefix(language);
  return <T extends string>(
    what: Change,
    form: z.ZodType<T>,
    apply: (id: string, value: T) => Promise<void>,
  ): void =>
    route(
      app,
      {
        method: 'POST',
        url: `${prefix}/admin/accounts/:id/${what}`,
        access: ['admin'],
        schema: {
          params: accountParams,
          body: form,
          summary: `Changes an account’s ${what}`,
          tags,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const value = request.body;
        // An admin who demoted, suspended or unseated themselves could lock the newsroom out
        // of its last admin; the page offers no form on their own row, so this is a stale or
        // hand-made request, shown back on the page beside that row (409: the change conflicts
        // with who is asking, whatever the value).
        if (id === request.viewer.accountId)
          return sendAccountsPage(
            deps,
            pages,
            { request, reply, language, viewer: request.viewer },
            { accountId: id, error: new AppError('ACCOUNT_OWN_CHANGE', `own ${what}`) },
          );
        await apply(id, value);
        request.log.info({ ...requestLog(request), target: id, [what]: value }, `${what} changed`);
        return reply.redirect(`${prefix}/admin/accounts`, 303);
      },
    );
}
