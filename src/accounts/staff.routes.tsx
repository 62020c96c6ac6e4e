import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { STAFF_ROLES, cookieNames, cookieOptions, sitsOnBoard } from '../http/access.js';
import { listAccounts, setAccountStatus, setOnBoard, setRole } from './accounts.service.js';
import { safeReturnTo } from '../http/return-to.js';
import { startSession } from './login-session.js';
import { endAllSessions } from './sessions.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { field } from '../http/form.js';
import { sendHtml, type Pages } from '../http/pages.js';
import { requestLog } from '../http/request-log.js';
import { sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { LANGUAGES, editionPrefix } from '../lib/language.js';
import { AdminAccountsPage, SetupPage, StaffHomePage, StaffLoginPage } from './staff-pages.js';
import {
  STAFF_DEVICE_TTL_SECONDS,
  completeSetup,
  setupView,
  staffSignIn,
} from './staff.service.js';

/** Staff sign-in and set-up, the staff home, and the admin's accounts page. */

const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/) });
const roleSchema = z.enum(['reader', 'moderator', 'reporter', 'editor', 'admin']);
const statusSchema = z.enum(['active', 'suspended']);
const boardSchema = z.enum(['on', 'off']);

function accountIdOf(params: unknown): string {
  const parsed = idParam.safeParse(params);
  if (!parsed.success) throw new AppError('NOT_FOUND', 'account id');
  return parsed.data.id;
}

export function registerStaffRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  const { config } = deps;
  const names = cookieNames(config);

  for (const language of LANGUAGES) {
    const prefix = editionPrefix(language);
    const t = pages.bareContext(language).t;

    app.get(`${prefix}/staff/login`, { config: { access: 'public' } }, async (request, reply) =>
      pages.sendForm(request, reply, language, (ctx) => (
        <StaffLoginPage
          ctx={ctx}
          csrfToken={ctx.csrfToken}
          returnTo={safeReturnTo(field(request.query, 'returnTo'), `${prefix}/staff`)}
          email=""
          setupDone={field(request.query, 'setup') === 'done'}
        />
      )),
    );

    app.post(`${prefix}/staff/login`, { config: { access: 'public' } }, async (request, reply) => {
      const email = field(request.body, 'email');
      const returnTo = safeReturnTo(field(request.body, 'returnTo'), `${prefix}/staff`);
      const outcome = await staffSignIn(deps, {
        email,
        password: field(request.body, 'password'),
        code: field(request.body, 'code'),
        clientIp: request.ip,
        deviceToken: request.cookies[names.device],
      });
      if (!outcome.ok) {
        request.log.warn({ ...requestLog(request) }, 'staff sign-in failed');
        reply.code(400);
        return pages.sendForm(request, reply, language, (ctx) => (
          <StaffLoginPage
            ctx={ctx}
            csrfToken={ctx.csrfToken}
            returnTo={returnTo}
            email={email}
            error={outcome.reason === 'code_used' ? t.staffCodeUsed : t.staffSignInFailed}
          />
        ));
      }
      await startSession(deps, request, reply, {
        accountId: outcome.accountId,
        kind: 'staff',
        method: 'password+totp',
      });
      reply.setCookie(
        names.device,
        outcome.deviceToken,
        cookieOptions(config, 'strict', STAFF_DEVICE_TTL_SECONDS),
      );
      return reply.redirect(returnTo, 303);
    });

    app.get(
      `${prefix}/staff/setup/:token`,
      { config: { access: 'public' } },
      async (request, reply) => {
        const token = (request.params as { token: string }).token;
        const setup = await setupView(deps, token, config.siteName[language]);
        if (!setup) reply.code(410);
        return pages.sendForm(request, reply, language, (ctx) => (
          <SetupPage ctx={ctx} csrfToken={ctx.csrfToken} token={token} setup={setup} />
        ));
      },
    );

    app.post(
      `${prefix}/staff/setup/:token`,
      { config: { access: 'public' } },
      async (request, reply) => {
        const token = (request.params as { token: string }).token;
        const outcome = await completeSetup(deps, {
          token,
          password: field(request.body, 'password'),
          passwordAgain: field(request.body, 'passwordAgain'),
          code: field(request.body, 'code'),
        });
        if (outcome.ok) {
          request.log.info(
            { ...requestLog(request), accountId: outcome.accountId },
            'staff set up',
          );
          // The sign-in page says set-up is complete, and that the code just used is spent.
          return reply.redirect(`${prefix}/staff/login?setup=done`, 303);
        }
        const error =
          outcome.reason === 'password'
            ? t.passwordProblem[outcome.problem]
            : outcome.reason === 'mismatch'
              ? t.setupMismatch
              : outcome.reason === 'code_wrong'
                ? t.setupCodeWrong
                : t.setupExpired;
        reply.code(outcome.reason === 'expired' ? 410 : 400);
        const setup = await setupView(deps, token, config.siteName[language]);
        return pages.sendForm(request, reply, language, (ctx) => (
          <SetupPage
            ctx={ctx}
            csrfToken={ctx.csrfToken}
            token={token}
            setup={setup}
            error={error}
          />
        ));
      },
    );

    app.get(`${prefix}/staff`, { config: { access: STAFF_ROLES } }, async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer) throw new AppError('UNAUTHENTICATED');
      return sendHtml(
        reply,
        <StaffHomePage
          ctx={await pages.context(language, request, reply)}
          role={viewer.role}
          board={sitsOnBoard(viewer)}
        />,
      );
    });

    /** The accounts page, with a refused change shown beside the row of the account it was for. */
    async function sendAccountsPage(
      request: FastifyRequest,
      reply: FastifyReply,
      refused?: { accountId: string; error: AppError },
    ) {
      const viewer = request.viewer;
      if (!viewer) throw new AppError('UNAUTHENTICATED');
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

    app.get(`${prefix}/admin/accounts`, { config: { access: ['admin'] } }, (request, reply) =>
      sendAccountsPage(request, reply),
    );

    /** An admin's change to another account: the value parsed strictly, the change logged. */
    function adminChange<T extends string>(
      what: 'role' | 'status' | 'board',
      schema: z.ZodType<T>,
      apply: (id: string, value: T) => Promise<void>,
    ) {
      app.post(
        `${prefix}/admin/accounts/:id/${what}`,
        { config: { access: ['admin'] } },
        async (request, reply) => {
          const id = accountIdOf(request.params);
          const value = schema.safeParse(field(request.body, what));
          if (!value.success) throw new AppError('BAD_REQUEST', what);
          // An admin who demoted, suspended or unseated themselves could lock the newsroom out
          // of its last admin; the page offers no form on their own row, so this is a stale or
          // hand-made request, shown back on the page beside that row (409: the change conflicts
          // with who is asking, whatever the value).
          if (id === request.viewer?.accountId)
            return sendAccountsPage(request, reply, {
              accountId: id,
              error: new AppError('ACCOUNT_OWN_CHANGE', `own ${what}`),
            });
          await apply(id, value.data);
          request.log.info(
            { ...requestLog(request), target: id, [what]: value.data },
            `${what} changed`,
          );
          return reply.redirect(`${prefix}/admin/accounts`, 303);
        },
      );
    }
    adminChange('role', roleSchema, (id, role) => setRole(deps, id, role));
    adminChange('board', boardSchema, (id, seat) => setOnBoard(deps, id, seat === 'on'));
    adminChange('status', statusSchema, (id, status) => setAccountStatus(deps, id, status));

    app.post(
      `${prefix}/admin/accounts/:id/sessions/end`,
      { config: { access: ['admin'] } },
      async (request, reply) => {
        const id = accountIdOf(request.params);
        const ended = await endAllSessions(deps, id);
        request.log.info({ ...requestLog(request), target: id, ended }, 'sessions ended by admin');
        return reply.redirect(`${prefix}/admin/accounts`, 303);
      },
    );
  }
}
