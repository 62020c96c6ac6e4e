import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/db-schema.js';
import { AppError } from '../http/app-error.js';
import { spendLimit } from '../http/rate-limit.js';
import type { Language } from '../lib/language.js';
import { randomToken, tokenDigest } from '../lib/tokens.js';
import { deleteFlowsEndedBy, insertFlow, takeFlow } from './accounts.queries.js';
import { ProviderRefusal, type Provider, type ProviderProfile } from './providers/providers.js';

/**
 * Logging in through a provider (docs/SECURITY.md, item 13): the authorization-code flow with PKCE,
 * whose state, nonce and verifier are kept in a row keyed by the SHA-256 of a token held in the
 * browser's cookie, so the flow is bound to the browser that started it. The callback deletes the
 * row as it reads it: a replayed callback finds nothing.
 */

export const OAUTH_FLOW_TTL_SECONDS = 600;
export const OAUTH_START_LIMIT = { max: 60, windowSeconds: 3_600 } as const;

type Deps = { db: Kysely<Database>; clock: () => Date; log: Logger };

export function callbackUrl(publicUrl: string, provider: Provider): string {
  return `${publicUrl}/auth/${provider.id}/callback`;
}

export async function startProviderLogin(
  deps: Deps & { publicUrl: string },
  provider: Provider,
  input: { language: Language; returnTo: string; linkAccountId: string | null; clientIp: string },
): Promise<{ flowToken: string; url: URL }> {
  await spendLimit(deps, { key: `oauth-start:client:${input.clientIp}`, ...OAUTH_START_LIMIT });
  let started;
  try {
    started = await provider.start(callbackUrl(deps.publicUrl, provider));
  } catch (error) {
    if (error instanceof ProviderRefusal) {
      // The message says what failed (a discovery document whose issuer is not the configured
      // one, a refused connection), which is what the operator needs to fix it.
      deps.log.warn(
        { provider: provider.id, reason: error.reason, detail: error.message },
        'provider unavailable',
      );
      throw new AppError('SERVICE_UNAVAILABLE', `provider ${provider.id}: ${error.reason}`);
    }
    throw error;
  }
  const flowToken = randomToken();
  await insertFlow(deps.db, {
    id: tokenDigest(flowToken),
    kind: 'oauth',
    provider: provider.id,
    state: started.flow.state,
    nonce: started.flow.nonce,
    code_verifier: started.flow.codeVerifier,
    language: input.language,
    return_to: input.returnTo,
    link_account_id: input.linkAccountId,
    expires_at: new Date(deps.clock().getTime() + OAUTH_FLOW_TTL_SECONDS * 1000),
  });
  return { flowToken, url: started.url };
}

export type FinishedLogin = {
  profile: ProviderProfile;
  language: Language;
  returnTo: string;
  linkAccountId: string | null;
};

export async function finishProviderLogin(
  deps: Deps & { publicUrl: string },
  provider: Provider,
  input: { flowToken: string | undefined; callbackUrl: URL },
): Promise<FinishedLogin> {
  if (!input.flowToken) throw new AppError('LOGIN_EXPIRED', 'no flow cookie');
  const flow = await takeFlow(deps.db, tokenDigest(input.flowToken), 'oauth');
  if (!flow || flow.expires_at <= deps.clock())
    throw new AppError('LOGIN_EXPIRED', 'flow unknown, used or expired');
  // A flow started with one provider is finished with that provider only (mix-up defence).
  if (flow.provider !== provider.id || !flow.state || !flow.code_verifier)
    throw new AppError('LOGIN_FAILED', 'flow belongs to another provider');
  try {
    const profile = await provider.finish(
      input.callbackUrl,
      {
        provider: provider.id,
        state: flow.state,
        nonce: flow.nonce,
        codeVerifier: flow.code_verifier,
      },
      callbackUrl(deps.publicUrl, provider),
    );
    return {
      profile,
      language: flow.language,
      returnTo: flow.return_to,
      linkAccountId: flow.link_account_id,
    };
  } catch (error) {
    if (error instanceof ProviderRefusal) {
      deps.log.warn(
        { provider: provider.id, reason: error.reason, detail: error.message },
        'provider login refused',
      );
      throw new AppError('LOGIN_FAILED', `provider ${provider.id}: ${error.reason}`);
    }
    throw error;
  }
}

/** Flows never finished (the reader closed the tab) are removed by the housekeeping tick. */
export async function deleteExpiredFlows(deps: Pick<Deps, 'db' | 'clock'>): Promise<void> {
  await deleteFlowsEndedBy(deps.db, deps.clock());
}
