import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clearCookie, cookieOptions } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { requestLog } from '../http/request-log.js';
import { safeReturnTo } from '../http/return-to.js';
import { route } from '../http/route.js';
import { formText } from '../http/schemas.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';
import { EmailCodePage, LoginPage } from './account-pages.js';
import { afterLogin, loginOptions, type ReaderRoutes } from './accounts.http.js';
import { accountForIdentity } from './accounts.service.js';
import {
  EMAIL_CODE_TTL_SECONDS,
  EMAIL_DEVICE_TTL_SECONDS,
  checkEmailCode,
  normaliseEmail,
  pendingEmailFlow,
  rememberEmailDevice,
  requestEmailCode,
  type CodeCheck,
  type EmailFlow,
} from './email-login.js';
import { startSession } from './login-session.js';
import { endSessionByToken } from './sessions.js';

/**
 * Readers' login by e-mailed code, the login page that offers it beside the providers, and
 * logout. Every POST carries the CSRF token (src/http/access.ts); login always makes a new session
 * and ends the one the browser had (login-session.ts).
 */

const tags = ['accounts'];

const loginQuery = z.object({ returnTo: formText, reauth: formText });
const emailForm = z.object({ email: formText, returnTo: formText });
const codeForm = z.object({ code: formText });
const logoutForm = z.object({ returnTo: formText });

export function registerLoginRoutes(app: FastifyInstance, r: ReaderRoutes): void {
  for (const language of LANGUAGES) {
    registerLoginPage(app, r, language);
    registerEmailLogin(app, r, language);
    registerEmailCode(app, r, language);
  }
  registerLogout(app, r);
}

type LoginForm = Readonly<{ returnTo: string; reauth: boolean; email?: string }>;

/** The login page: each provider's button, and the e-mail form when mail is configured. */
function loginPage(r: ReaderRoutes, language: Language, form: LoginForm) {
  return (ctx: FormContext, error?: string) => (
    <LoginPage
      ctx={ctx}
      csrfToken={ctx.csrfToken}
      returnTo={form.returnTo}
      providers={loginOptions(r.providers, language)}
      emailEnabled={r.mailer !== null}
      reauth={form.reauth}
      {...(form.email === undefined ? {} : { email: form.email })}
      {...(error === undefined ? {} : { emailError: error })}
    />
  );
}

function registerLoginPage(app: FastifyInstance, r: ReaderRoutes, language: Language): void {
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/login`,
      access: 'public',
      schema: { querystring: loginQuery, summary: 'The login page', tags },
    },
    (request, reply) => {
      const form = {
        returnTo: safeReturnTo(request.query.returnTo, prefix || '/'),
        reauth: request.query.reauth === '1',
      };
      return r.pages.sendForm(request, reply, language, loginPage(r, language, form));
    },
  );
}

function registerEmailLogin(app: FastifyInstance, r: ReaderRoutes, language: Language): void {
  const { deps, names } = r;
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/login/email`,
      access: 'public',
      schema: { body: emailForm, summary: 'Mails a login code to an address', tags },
    },
    async (request, reply) => {
      const { mailer } = r;
      if (!mailer) throw new AppError('NOT_FOUND', 'e-mail login is not configured');
      const returnTo = safeReturnTo(request.body.returnTo, prefix || '/');
      const email = normaliseEmail(request.body.email);
      if (!email) {
        const form = { returnTo, reauth: false, email: request.body.email };
        return sendRefusedForm(
          {
            pages: r.pages,
            request,
            reply,
            language,
            error: new AppError('LOGIN_EMAIL_INVALID'),
            message: r.pages.bareContext(language).t.loginEmailInvalid,
          },
          (ctx, refusal) => loginPage(r, language, form)(ctx, refusal.message),
        );
      }
      const { flowToken } = await requestEmailCode(
        { ...deps, mailer, siteName: deps.config.siteName[language] },
        {
          email,
          language,
          returnTo,
          clientIp: request.ip,
          deviceToken: request.cookies[names.device],
        },
      );
      request.log.info({ ...requestLog(request) }, 'login code sent');
      reply.setCookie(
        names.flow,
        flowToken,
        cookieOptions(deps.config, 'lax', EMAIL_CODE_TTL_SECONDS),
      );
      return reply.redirect(`${prefix}/login/email/code`, 303);
    },
  );
}

/** Why a code was refused, as the error the code page comes back with. */
function codeRefusal(
  check: Exclude<CodeCheck, { ok: true }>,
  t: ViewContext['t'],
): { error: AppError; message: string } {
  switch (check.reason) {
    case 'wrong_code':
      return {
        error: new AppError('LOGIN_CODE_WRONG'),
        message: t.emailCodeWrong(check.attemptsLeft),
      };
    case 'expired':
      return { error: new AppError('LOGIN_EXPIRED', 'login code'), message: t.emailCodeExpired };
    case 'too_many_attempts':
      // The flow is spent: waiting does not help, asking for a new code does; the second is
      // only what the header needs to say something.
      return {
        error: new AppError('TOO_MANY_REQUESTS', 'login code', { retryAfterSeconds: 1 }),
        message: t.emailCodeTooMany,
      };
  }
}

function registerEmailCode(app: FastifyInstance, r: ReaderRoutes, language: Language): void {
  const { deps, pages, names } = r;
  const prefix = editionPrefix(language);
  route(
    app,
    {
      method: 'GET',
      url: `${prefix}/login/email/code`,
      access: 'public',
      schema: { summary: 'The page that asks for the mailed code', tags },
    },
    async (request, reply) => {
      const flowToken = request.cookies[names.flow];
      const flow = flowToken ? await pendingEmailFlow(deps, flowToken) : null;
      if (!flow) reply.code(400);
      return pages.sendForm(request, reply, language, (ctx) => (
        <EmailCodePage ctx={ctx} csrfToken={ctx.csrfToken} email={flow?.email ?? null} />
      ));
    },
  );

  route(
    app,
    {
      method: 'POST',
      url: `${prefix}/login/email/code`,
      access: 'public',
      schema: { body: codeForm, summary: 'Logs in with the mailed code', tags },
    },
    async (request, reply) => {
      const flowToken = request.cookies[names.flow];
      const check: CodeCheck = flowToken
        ? await checkEmailCode(deps, { flowToken, code: request.body.code, clientIp: request.ip })
        : { ok: false, reason: 'expired' };
      if (!check.ok) return refuseCode(r, { request, reply, language }, check, flowToken);
      return finishEmailLogin(r, request, reply, check.flow);
    },
  );
}

/** The code page again, with why the code was refused. */
async function refuseCode(
  r: ReaderRoutes,
  target: Readonly<{ request: FastifyRequest; reply: FastifyReply; language: Language }>,
  check: Exclude<CodeCheck, { ok: true }>,
  flowToken: string | undefined,
): Promise<FastifyReply> {
  const { request, reply, language } = target;
  request.log.warn({ ...requestLog(request), reason: check.reason }, 'login code refused');
  // A wrong code leaves the flow open for another try; any other refusal ends it.
  const pending =
    check.reason === 'wrong_code' && flowToken ? await pendingEmailFlow(r.deps, flowToken) : null;
  if (check.reason !== 'wrong_code') clearCookie(r.deps.config, reply, r.names.flow);
  const { error, message } = codeRefusal(check, r.pages.bareContext(language).t);
  return sendRefusedForm(
    { pages: r.pages, request, reply, language, error, message },
    (ctx, refusal) => (
      <EmailCodePage
        ctx={ctx}
        csrfToken={ctx.csrfToken}
        email={pending?.email ?? null}
        error={refusal.message}
      />
    ),
  );
}

/** A right code: the address's account (made if new), a new session, and on to `returnTo`. */
async function finishEmailLogin(
  r: ReaderRoutes,
  request: FastifyRequest,
  reply: FastifyReply,
  flow: EmailFlow,
): Promise<FastifyReply> {
  const { deps, names } = r;
  const { account } = await accountForIdentity(
    deps,
    { provider: 'email', subject: flow.email, email: flow.email },
    request.ip,
  );
  clearCookie(deps.config, reply, names.flow);
  await startSession(deps, request, reply, {
    accountId: account.id,
    kind: 'reader',
    method: 'email',
  });
  // This browser is known to the account from now on (its code requests, email-login.ts).
  const device = await rememberEmailDevice(deps, account.id, request.cookies[names.device]);
  reply.setCookie(
    names.device,
    device,
    cookieOptions(deps.config, 'strict', EMAIL_DEVICE_TTL_SECONDS),
  );
  return reply.redirect(afterLogin(flow.language, account.displayName, flow.returnTo), 303);
}

function registerLogout(app: FastifyInstance, r: ReaderRoutes): void {
  const { deps, names } = r;
  route(
    app,
    {
      method: 'POST',
      url: '/logout',
      access: 'reader',
      schema: { body: logoutForm, summary: 'Ends this browser’s session', tags },
    },
    async (request, reply) => {
      const token = request.cookies[names.session];
      if (token) await endSessionByToken(deps, token);
      request.log.info(
        { ...requestLog(request), accountId: request.viewer.accountId },
        'logged out',
      );
      clearCookie(deps.config, reply, names.session);
      return reply.redirect(safeReturnTo(request.body.returnTo), 303);
    },
  );
}
