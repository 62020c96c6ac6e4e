import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { STAFF_ROLES, cookieNames, cookieOptions, sitsOnBoard } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { sendHtml, type Pages } from '../http/pages.js';
import { sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { safeReturnTo } from '../http/return-to.js';
import { route } from '../http/route.js';
import { formText } from '../http/schemas.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';
import type { AppDeps } from '../deps.js';
import { registerAdminAccountRoutes } from './accounts-admin.routes.js';
import { startSession } from './login-session.js';
import { SetupPage, StaffHomePage, StaffLoginPage } from './staff-pages.js';
import {
  STAFF_DEVICE_TTL_SECONDS,
  completeSetup,
  setupView,
  staffSignIn,
  type SetupOutcome,
  type SetupView,
} from './staff.service.js';

/**
 * Staff sign-in with a password and a code, the one-time set-up page, and the staff home. The
 * admin's accounts page has its own file (accounts-admin.routes.tsx), registered from here.
 */

const tags = ['accounts'];

const signInQuery = z.object({ returnTo: formText, setup: formText });
const signInForm = z.object({
  email: formText,
  password: formText,
  code: formText,
  returnTo: formText,
});
/** The link's token, whatever it looks like: one that is not live is answered 410, as expired. */
const setupParams = z.object({ token: z.string() });
const setupForm = z.object({ password: formText, passwordAgain: formText, code: formText });

export function registerStaffRoutes(app: FastifyInstance, deps: AppDeps, pages: Pages): void {
  for (const language of LANGUAGES) {
    registerSignInPage(app, pages, language);
    registerSignIn(app, deps, pages, language);
    registerSetup(app, deps, pages, language);
    route(
      app,
      {
        method: 'GET',
        url: `${editionPrefix(language)}/staff`,
        access: STAFF_ROLES,
        schema: { summary: 'The staff home: what this member of staff may open', tags },
      },
      async (request, reply) =>
        sendHtml(
          reply,
          <StaffHomePage
            ctx={await pages.context(language, request, reply)}
            role={request.viewer.role}
            board={sitsOnBoard(request.viewer)}
          />,
        ),
    );
  }
  registerAdminAccountRoutes(app, deps, pages);
}

function registerSignInPage(app: FastifyInstance, pages: Pages, language: Language): void {
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/staff/login`,
      access: 'public',
      schema: { querystring: signInQuery, summary: 'The staff sign-in page', tags },
    },
    (request, reply) =>
      pages.sendForm(request, reply, language, (ctx) => (
        <StaffLoginPage
          ctx={ctx}
          csrfToken={ctx.csrfToken}
          returnTo={safeReturnTo(request.query.returnTo, `${prefix}/staff`)}
          email=""
          setupDone={request.query.setup === 'done'}
        />
      )),
  );
}

function registerSignIn(app: FastifyInstance, deps: AppDeps, pages: Pages, language: Language) {
  const { config } = deps;
  const names = cookieNames(config);
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/staff/login`,
      access: 'public',
      schema: { body: signInForm, summary: 'Signs a member of staff in', tags },
    },
    async (request, reply) => {
      const { email, password, code } = request.body;
      const returnTo = safeReturnTo(request.body.returnTo, `${prefix}/staff`);
      const outcome = await staffSignIn(deps, {
        email,
        password,
        code,
        clientIp: request.ip,
        deviceToken: request.cookies[names.device],
      });
      if (!outcome.ok) {
        request.log.warn({ ...requestLog(request) }, 'staff sign-in failed');
        const t = pages.bareContext(language).t;
        return sendRefusedForm(
          {
            pages,
            request,
            reply,
            language,
            error: new AppError('LOGIN_FAILED', `staff sign-in: ${outcome.reason}`),
            // Only someone whose password was right is told the code was spent (staff.service.ts).
            message: outcome.reason === 'code_used' ? t.staffCodeUsed : t.staffSignInFailed,
          },
          (ctx, refusal) => (
            <StaffLoginPage
              ctx={ctx}
              csrfToken={ctx.csrfToken}
              returnTo={returnTo}
              email={email}
              error={refusal.message}
            />
          ),
        );
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
    },
  );
}

/** Why a set-up was refused, as the error the set-up page comes back with. */
function setupRefusal(
  outcome: Exclude<SetupOutcome, { ok: true }>,
  t: ViewContext['t'],
): { error: AppError; message: string } {
  switch (outcome.reason) {
    case 'expired':
      return { error: new AppError('STAFF_SETUP_EXPIRED'), message: t.setupExpired };
    case 'password':
      return {
        error: new AppError('STAFF_SETUP_REFUSED', `password ${outcome.problem}`),
        message: t.passwordProblem[outcome.problem],
      };
    case 'mismatch':
      return { error: new AppError('STAFF_SETUP_REFUSED', 'mismatch'), message: t.setupMismatch };
    case 'code_wrong':
      return { error: new AppError('STAFF_SETUP_REFUSED', 'code'), message: t.setupCodeWrong };
  }
}

/** The set-up page of a link (`setup` null when it is not live), with `error` when refused. */
function setupPage(token: string, setup: SetupView | null) {
  return (ctx: FormContext, error?: string) => (
    <SetupPage
      ctx={ctx}
      csrfToken={ctx.csrfToken}
      token={token}
      setup={setup}
      {...(error === undefined ? {} : { error })}
    />
  );
}

function registerSetup(app: FastifyInstance, deps: AppDeps, pages: Pages, language: Language) {
  const prefix = editionPrefix(language);
  const siteName = deps.config.siteName[language];
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/staff/setup/:token`,
      access: 'public',
      schema: {
        params: setupParams,
        summary: 'The one-time set-up page of a new staff account',
        tags,
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      const setup = await setupView(deps, token, siteName);
      if (!setup) reply.code(410);
      return pages.sendForm(request, reply, language, setupPage(token, setup));
    },
  );

  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/staff/setup/:token`,
      access: 'public',
      schema: {
        params: setupParams,
        body: setupForm,
        summary: 'Sets a new staff account’s password and authenticator',
        tags,
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      const { password, passwordAgain, code } = request.body;
      const outcome = await completeSetup(deps, { token, password, passwordAgain, code });
      if (outcome.ok) {
        request.log.info({ ...requestLog(request), accountId: outcome.accountId }, 'staff set up');
        // The sign-in page says set-up is complete, and that the code just used is spent.
        return reply.redirect(`${prefix}/staff/login?setup=done`, 303);
      }
      const { error, message } = setupRefusal(outcome, pages.bareContext(language).t);
      const setup = await setupView(deps, token, siteName);
      return sendRefusedForm({ pages, request, reply, language, error, message }, (ctx, refusal) =>
        setupPage(token, setup)(ctx, refusal.message),
      );
    },
  );
}
