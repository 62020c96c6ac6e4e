import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clearCookie, cookieOptions } from '../http/access.js';
import { AppError } from '../http/app-error.js';
import { languageOfUrl } from '../http/errors.js';
import { requestLog } from '../http/request-log.js';
import { safeReturnTo } from '../http/return-to.js';
import { route } from '../http/route.js';
import { formText } from '../http/schemas.js';
import { afterLogin, reauthRedirect, type ReaderRoutes } from './accounts.http.js';
import { accountForIdentity, linkIdentity, type IdentityInput } from './accounts.service.js';
import { startSession } from './login-session.js';
import { OAUTH_FLOW_TTL_SECONDS, finishProviderLogin, startProviderLogin } from './oauth-login.js';
import type { Provider } from './providers/providers.js';

/** A provider's answer as OAuth 2.0 and OpenID Connect define it; any other parameter is kept. */
const providerAnswer = z.unknown().optional().meta({ type: 'string' });
const callbackQuery = z.looseObject({
  code: providerAnswer,
  state: providerAnswer,
  iss: providerAnswer,
  error: providerAnswer,
  error_description: providerAnswer,
});

/**
 * Logging in, or linking another way in, through a provider (oauth-login.ts). One address for
 * both editions: the edition is the one `returnTo` belongs to, carried by the flow.
 */

const tags = ['accounts'];

/** Any name: one that is not a configured provider is answered 404, as an unknown page. */
const providerParams = z.object({ provider: z.string() });
const startForm = z.object({ returnTo: formText, link: formText });

export function registerProviderRoutes(app: FastifyInstance, r: ReaderRoutes): void {
  const byId = new Map<string, Provider>(r.providers.map((p) => [p.id, p]));
  const providerNamed = (id: string): Provider => {
    const provider = byId.get(id);
    if (!provider) throw new AppError('NOT_FOUND', 'unknown provider');
    return provider;
  };
  registerStart(app, r, providerNamed);
  registerCallback(app, r, providerNamed);
}

function registerStart(
  app: FastifyInstance,
  r: ReaderRoutes,
  providerNamed: (id: string) => Provider,
): void {
  const { deps, names } = r;
  route(
    app,
    {
      method: 'POST',
      url: '/auth/:provider/start',
      access: 'public',
      schema: {
        params: providerParams,
        body: startForm,
        summary: 'Sends the browser to a provider to log in, or to link it to this account',
        tags,
      },
    },
    async (request, reply) => {
      const provider = providerNamed(request.params.provider);
      const returnTo = safeReturnTo(request.body.returnTo);
      const language = languageOfUrl(returnTo);
      let linkAccountId: string | null = null;
      if (request.body.link === '1') {
        // Linking adds a way into an account: only its holder, with a fresh login, may.
        const viewer = request.viewer;
        if (!viewer) throw new AppError('UNAUTHENTICATED');
        if (!r.freshLogin(viewer)) return reauthRedirect(reply, language, returnTo);
        linkAccountId = viewer.accountId;
      }
      const { flowToken, url } = await startProviderLogin(
        { ...deps, publicUrl: deps.config.publicUrl },
        provider,
        { language, returnTo, linkAccountId, clientIp: request.ip },
      );
      reply.setCookie(
        names.flow,
        flowToken,
        cookieOptions(deps.config, 'lax', OAUTH_FLOW_TTL_SECONDS),
      );
      return reply.redirect(url.href, 303);
    },
  );
}

function registerCallback(
  app: FastifyInstance,
  r: ReaderRoutes,
  providerNamed: (id: string) => Provider,
): void {
  const { deps, names } = r;
  const { config } = deps;
  route(
    app,
    {
      method: 'GET',
      url: '/auth/:provider/callback',
      access: 'public',
      // The query is described, not parsed: the whole callback address (code, state, the
      // issuer's parameters) is what the provider's check verifies (oauth-login.ts), as the
      // provider sent it, and a malformed answer is its to refuse (LOGIN_FAILED).
      schema: {
        params: providerParams,
        querystring: callbackQuery,
        summary: 'Where a provider sends the browser back with its answer',
        tags,
      },
    },
    async (request, reply) => {
      const provider = providerNamed(request.params.provider);
      clearCookie(config, reply, names.flow);
      const finished = await finishProviderLogin(
        { ...deps, publicUrl: config.publicUrl },
        provider,
        {
          flowToken: request.cookies[names.flow],
          callbackUrl: new URL(request.url, config.publicUrl),
        },
      );
      const identity = {
        provider: provider.id,
        subject: finished.profile.subject,
        email: finished.profile.email,
        name: finished.profile.name,
        avatarUrl: finished.profile.avatarUrl,
      };
      if (finished.linkAccountId !== null)
        return finishLink(
          r,
          { request, reply },
          { accountId: finished.linkAccountId, returnTo: finished.returnTo },
          identity,
        );
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
    },
  );
}

/** A link's callback: the identity joins the account that asked for it, in its own browser. */
async function finishLink(
  r: ReaderRoutes,
  target: Readonly<{ request: FastifyRequest; reply: FastifyReply }>,
  link: Readonly<{ accountId: string; returnTo: string }>,
  identity: IdentityInput,
): Promise<FastifyReply> {
  const { request, reply } = target;
  // Linking happens only in the browser of the account that asked, still logged in.
  if (request.viewer?.accountId !== link.accountId)
    throw new AppError('LOGIN_FAILED', 'link finished by another session');
  await linkIdentity(r.deps, link.accountId, identity);
  request.log.info(
    { ...requestLog(request), accountId: link.accountId, provider: identity.provider },
    'identity linked',
  );
  return reply.redirect(link.returnTo, 303);
}
