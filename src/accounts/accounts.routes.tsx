import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { languageOfUrl } from '../http/errors.js';
import { field } from '../http/form.js';
import type { Pages } from '../http/pages.js';
import { requestLog } from '../http/request-log.js';
import { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
import { clearCookie, cookieNames, cookieOptions } from '../http/access.js';
import { AccountPage, EmailCodePage, LoginPage, NamePage } from './account-pages.js';
import {
  accountForIdentity,
  accountProfile,
  deleteAccount,
  displayNameProblem,
  exportAccountData,
  linkIdentity,
  setDisplayName,
  unlinkIdentity,
} from './accounts.service.js';
import {
  checkEmailCode,
  normaliseEmail,
  pendingEmailFlow,
  rememberEmailDevice,
  requestEmailCode,
  EMAIL_CODE_TTL_SECONDS,
  EMAIL_DEVICE_TTL_SECONDS,
} from './email-login.js';
import type { Mailer } from './mail.js';
import { OAUTH_FLOW_TTL_SECONDS, finishProviderLogin, startProviderLogin } from './oauth-login.js';
import type { Provider } from './providers/providers.js';
import { safeReturnTo } from '../http/return-to.js';
import { sendRefusedForm, type FormContext } from '../http/refused-form.js';
import { startSession } from './login-session.js';
import { endOwnSession, endSessionByToken, listSessions } from './sessions.js';

/**
 * Readers' login, logout and account pages. Every POST here carries the CSRF token (access.ts);
 * every GET only reads. Login always makes a new session and ends the one the browser had.
 */

export type AccountServices = { providers: readonly Provider[]; mailer: Mailer | null };

/** Linking, unlinking and deleting need a login this recent (docs/SECURITY.md, item 7). */
export const REAUTH_SECONDS = 5 * 60;

function query(request: FastifyRequest, name: string): string {
  return field(request.query, name);
}

export function registerAccountRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  pages: Pages,
  services: AccountServices,
): void {
  const { config } = deps;
  const names = cookieNames(config);
  const { providers, mailer } = services;
  const providerById = new Map(providers.map((p) => [p.id as string, p]));
  const providerLabel = (language: Language) => (id: string) =>
    id === 'email'
      ? pages.bareContext(language).t.providerEmail
      : (providerById.get(id)?.label[language] ?? id);
  const loginOptions = (language: Language) =>
    providers.map((p) => ({ id: p.id, label: p.label[language] }));

  /** Where a new login goes: the name page first if the account has no name yet. */
  function afterLogin(language: Language, displayName: string | null, returnTo: string): string {
    if (displayName !== null) return returnTo;
    return `${editionPrefix(language)}/account/name?welcome=1&returnTo=${encodeURIComponent(returnTo)}`;
  }

  function recentlyAuthenticated(request: FastifyRequest): boolean {
    const viewer = request.viewer;
    return (
      viewer !== null &&
      deps.clock().getTime() - viewer.authenticatedAt.getTime() <= REAUTH_SECONDS * 1000
    );
  }

  function reauthRedirect(reply: FastifyReply, language: Language, returnTo: string) {
    return reply.redirect(
      `${editionPrefix(language)}/login?reauth=1&returnTo=${encodeURIComponent(returnTo)}`,
      303,
    );
  }

  async function renderLogin(
    request: FastifyRequest,
    reply: FastifyReply,
    language: Language,
    extra: { emailError?: string; email?: string } = {},
  ) {
    const prefix = editionPrefix(language);
    const returnTo = safeReturnTo(
      request.method === 'GET' ? query(request, 'returnTo') : field(request.body, 'returnTo'),
      prefix || '/',
    );
    return pages.sendForm(request, reply, language, (ctx) => (
      <LoginPage
        ctx={ctx}
        csrfToken={ctx.csrfToken}
        returnTo={returnTo}
        providers={loginOptions(language)}
        emailEnabled={mailer !== null}
        reauth={query(request, 'reauth') === '1'}
        {...extra}
      />
    ));
  }

  for (const language of LANGUAGES) {
    const prefix = editionPrefix(language);
    const t = pages.bareContext(language).t;

    app.get(`${prefix}/login`, { config: { access: 'public' } }, (request, reply) =>
      renderLogin(request, reply, language),
    );

    app.post(`${prefix}/login/email`, { config: { access: 'public' } }, async (request, reply) => {
      if (!mailer) throw new AppError('NOT_FOUND', 'e-mail login is not configured');
      const raw = field(request.body, 'email');
      const email = normaliseEmail(raw);
      if (!email) {
        reply.code(400);
        return renderLogin(request, reply, language, {
          emailError: t.loginEmailInvalid,
          email: raw,
        });
      }
      const returnTo = safeReturnTo(field(request.body, 'returnTo'), prefix || '/');
      const { flowToken } = await requestEmailCode(
        { ...deps, mailer, siteName: config.siteName[language] },
        {
          email,
          language,
          returnTo,
          clientIp: request.ip,
          deviceToken: request.cookies[names.device],
        },
      );
      request.log.info({ ...requestLog(request) }, 'login code sent');
      reply.setCookie(names.flow, flowToken, cookieOptions(config, 'lax', EMAIL_CODE_TTL_SECONDS));
      return reply.redirect(`${prefix}/login/email/code`, 303);
    });

    app.get(
      `${prefix}/login/email/code`,
      { config: { access: 'public' } },
      async (request, reply) => {
        const flowToken = request.cookies[names.flow];
        const flow = flowToken ? await pendingEmailFlow(deps, flowToken) : null;
        if (!flow) reply.code(400);
        return pages.sendForm(request, reply, language, (ctx) => (
          <EmailCodePage ctx={ctx} csrfToken={ctx.csrfToken} email={flow?.email ?? null} />
        ));
      },
    );

    app.post(
      `${prefix}/login/email/code`,
      { config: { access: 'public' } },
      async (request, reply) => {
        const flowToken = request.cookies[names.flow];
        const check = flowToken
          ? await checkEmailCode(deps, {
              flowToken,
              code: field(request.body, 'code'),
              clientIp: request.ip,
            })
          : ({ ok: false, reason: 'expired' } as const);
        if (!check.ok) {
          request.log.warn({ ...requestLog(request), reason: check.reason }, 'login code refused');
          const pending =
            check.reason === 'wrong_code' && flowToken
              ? await pendingEmailFlow(deps, flowToken)
              : null;
          if (check.reason !== 'wrong_code') clearCookie(config, reply, names.flow);
          reply.code(check.reason === 'too_many_attempts' ? 429 : 400);
          if (check.reason === 'too_many_attempts') reply.header('retry-after', '1');
          const error =
            check.reason === 'wrong_code'
              ? t.emailCodeWrong(check.attemptsLeft)
              : check.reason === 'expired'
                ? t.emailCodeExpired
                : t.emailCodeTooMany;
          return pages.sendForm(request, reply, language, (ctx) => (
            <EmailCodePage
              ctx={ctx}
              csrfToken={ctx.csrfToken}
              email={pending?.email ?? null}
              error={error}
            />
          ));
        }
        const { account } = await accountForIdentity(
          deps,
          { provider: 'email', subject: check.flow.email, email: check.flow.email },
          request.ip,
        );
        clearCookie(config, reply, names.flow);
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
          cookieOptions(config, 'strict', EMAIL_DEVICE_TTL_SECONDS),
        );
        return reply.redirect(
          afterLogin(check.flow.language, account.displayName, check.flow.returnTo),
          303,
        );
      },
    );

    /** The account page; with `refused`, a delete sent back with its reason beside the box. */
    async function sendAccountPage(
      request: FastifyRequest,
      reply: FastifyReply,
      viewer: { accountId: string; sessionId: string },
      refused?: AppError,
    ): Promise<FastifyReply> {
      const profile = await accountProfile(deps, viewer.accountId);
      const linked = new Set(profile.identities.map((i) => i.provider));
      const sessions = await listSessions(deps, viewer.accountId);
      const page = (ctx: FormContext, deleteError?: string) => (
        <AccountPage
          ctx={ctx}
          csrfToken={ctx.csrfToken}
          profile={profile}
          sessions={sessions}
          currentSessionId={viewer.sessionId}
          linkable={loginOptions(language).filter((p) => !linked.has(p.id))}
          providerLabel={providerLabel(language)}
          deleteError={deleteError}
        />
      );
      if (!refused) return pages.sendForm(request, reply, language, (ctx) => page(ctx));
      return sendRefusedForm({ pages, request, reply, language, error: refused }, (ctx, refusal) =>
        page(ctx, refusal.message),
      );
    }

    app.get(`${prefix}/account`, { config: { access: 'reader' } }, async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer) throw new AppError('UNAUTHENTICATED');
      return sendAccountPage(request, reply, viewer);
    });

    app.get(`${prefix}/account/name`, { config: { access: 'reader' } }, async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer) throw new AppError('UNAUTHENTICATED');
      return pages.sendForm(request, reply, language, (ctx) => (
        <NamePage
          ctx={ctx}
          csrfToken={ctx.csrfToken}
          name={viewer.displayName ?? ''}
          returnTo={safeReturnTo(query(request, 'returnTo'), `${prefix}/account`)}
          welcome={query(request, 'welcome') === '1'}
        />
      ));
    });

    app.post(`${prefix}/account/name`, { config: { access: 'reader' } }, async (request, reply) => {
      const viewer = request.viewer;
      if (!viewer) throw new AppError('UNAUTHENTICATED');
      const name = field(request.body, 'displayName');
      const returnTo = safeReturnTo(field(request.body, 'returnTo'), `${prefix}/account`);
      const problem = displayNameProblem(name);
      if (problem) {
        reply.code(400);
        return pages.sendForm(request, reply, language, (ctx) => (
          <NamePage
            ctx={ctx}
            csrfToken={ctx.csrfToken}
            name={name}
            returnTo={returnTo}
            welcome={false}
            error={t.nameProblem[problem]}
          />
        ));
      }
      await setDisplayName(deps, viewer.accountId, name);
      return reply.redirect(returnTo, 303);
    });

    app.post(
      `${prefix}/account/delete`,
      { config: { access: 'reader' } },
      async (request, reply) => {
        const viewer = request.viewer;
        if (!viewer) throw new AppError('UNAUTHENTICATED');
        // The box is `required`, but a browser without that check (or a script) can send the
        // form unticked: the page comes back with the reason beside the box, nothing deleted.
        if (field(request.body, 'confirm') !== 'yes')
          return sendAccountPage(
            request,
            reply,
            viewer,
            new AppError('ACCOUNT_DELETE_UNCONFIRMED'),
          );
        if (!recentlyAuthenticated(request))
          return reauthRedirect(reply, language, `${prefix}/account`);
        await deleteAccount(deps, viewer.accountId);
        request.log.info(
          { ...requestLog(request), accountId: viewer.accountId },
          'account deleted',
        );
        clearCookie(config, reply, names.session);
        return reply.redirect(prefix || '/', 303);
      },
    );
  }

  app.post('/auth/:provider/start', { config: { access: 'public' } }, async (request, reply) => {
    const provider = providerById.get((request.params as { provider: string }).provider);
    if (!provider) throw new AppError('NOT_FOUND', 'unknown provider');
    const returnTo = safeReturnTo(field(request.body, 'returnTo'));
    const language = languageOfUrl(returnTo);
    let linkAccountId: string | null = null;
    if (field(request.body, 'link') === '1') {
      if (!request.viewer) throw new AppError('UNAUTHENTICATED');
      if (!recentlyAuthenticated(request)) return reauthRedirect(reply, language, returnTo);
      linkAccountId = request.viewer.accountId;
    }
    const { flowToken, url } = await startProviderLogin(
      { ...deps, publicUrl: config.publicUrl },
      provider,
      { language, returnTo, linkAccountId, clientIp: request.ip },
    );
    reply.setCookie(names.flow, flowToken, cookieOptions(config, 'lax', OAUTH_FLOW_TTL_SECONDS));
    return reply.redirect(url.href, 303);
  });

  app.get('/auth/:provider/callback', { config: { access: 'public' } }, async (request, reply) => {
    const provider = providerById.get((request.params as { provider: string }).provider);
    if (!provider) throw new AppError('NOT_FOUND', 'unknown provider');
    clearCookie(config, reply, names.flow);
    const finished = await finishProviderLogin({ ...deps, publicUrl: config.publicUrl }, provider, {
      flowToken: request.cookies[names.flow],
      callbackUrl: new URL(request.url, config.publicUrl),
    });
    const identity = {
      provider: provider.id,
      subject: finished.profile.subject,
      email: finished.profile.email,
      name: finished.profile.name,
      avatarUrl: finished.profile.avatarUrl,
    };
    if (finished.linkAccountId !== null) {
      // Linking happens only in the browser of the account that asked, still logged in.
      if (request.viewer?.accountId !== finished.linkAccountId)
        throw new AppError('LOGIN_FAILED', 'link finished by another session');
      await linkIdentity(deps, finished.linkAccountId, identity);
      request.log.info(
        { ...requestLog(request), accountId: finished.linkAccountId, provider: provider.id },
        'identity linked',
      );
      return reply.redirect(finished.returnTo, 303);
    }
    const { account } = await accountForIdentity(deps, identity, request.ip);
    await startSession(deps, request, reply, {
      accountId: account.id,
      kind: 'reader',
      method: `oauth:${provider.id}`,
    });
    return reply.redirect(
      afterLogin(finished.language, account.displayName, finished.returnTo),
      303,
    );
  });

  app.post('/logout', { config: { access: 'reader' } }, async (request, reply) => {
    const token = request.cookies[names.session];
    if (token) await endSessionByToken(deps, token);
    request.log.info(
      { ...requestLog(request), accountId: request.viewer?.accountId },
      'logged out',
    );
    clearCookie(config, reply, names.session);
    return reply.redirect(safeReturnTo(field(request.body, 'returnTo')), 303);
  });

  app.post('/account/sessions/end', { config: { access: 'reader' } }, async (request, reply) => {
    const viewer = request.viewer;
    if (!viewer) throw new AppError('UNAUTHENTICATED');
    const id = field(request.body, 'session');
    if (!/^\d{1,18}$/.test(id)) throw new AppError('BAD_REQUEST', 'session id');
    await endOwnSession(deps, viewer.accountId, id);
    if (id === viewer.sessionId) {
      clearCookie(config, reply, names.session);
      return reply.redirect('/', 303);
    }
    return reply.redirect('/account', 303);
  });

  app.post('/account/unlink', { config: { access: 'reader' } }, async (request, reply) => {
    const viewer = request.viewer;
    if (!viewer) throw new AppError('UNAUTHENTICATED');
    if (!recentlyAuthenticated(request)) return reauthRedirect(reply, 'en', '/account');
    await unlinkIdentity(
      deps,
      viewer.accountId,
      field(request.body, 'provider'),
      field(request.body, 'subject'),
    );
    return reply.redirect('/account', 303);
  });

  app.get('/account/data', { config: { access: 'reader' } }, async (request, reply) => {
    const viewer = request.viewer;
    if (!viewer) throw new AppError('UNAUTHENTICATED');
    const data = await exportAccountData(deps, viewer.accountId);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="byline-account.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });
}
