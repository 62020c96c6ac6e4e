import * as client from 'openid-client';
import type { ProvidersConfig } from '../../config.js';
import { sameSecret } from '../../lib/tokens.js';
import {
  isAllowedEndpoint,
  PROVIDER_ORDER,
  profileOf,
  ProviderRefusal,
  subjectSchema,
  type PendingFlow,
  type Provider,
  type ProviderProfile,
} from './provider.js';
import {
  providerSpecs,
  type OAuthSpec,
  type OidcSpec,
  type ProviderOptions,
  type ProviderSpec,
} from './providers.catalogue.js';
import { oidcFields } from './providers.profiles.js';

/**
 * The login providers: authorization code flow with PKCE (S256) and state for all of them, plus a
 * nonce and a verified ID token for the OpenID Connect ones. openid-client does the protocol; this
 * file decides what to ask for and what to make of the answers.
 */

export {
  ProviderRefusal,
  type PendingFlow,
  type Provider,
  type ProviderId,
  type ProviderProfile,
  type RefusalReason,
} from './provider.js';
export type { OAuthEndpoints, OidcEndpoints, ProviderOptions } from './providers.catalogue.js';

/** Per request to a provider; a login page waiting longer than this is a worse answer than an error. */
const REQUEST_TIMEOUT_SECONDS = 10;

// openid-client marks this deprecated only so that it stands out. We use it only for servers
// whose every http URL has passed isAllowedEndpoint, that is, on this machine. It must be the very
// function, not a wrapper: discovery looks for it by identity in `execute`.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const allowLoopbackHttp: (config: client.Configuration) => void = client.allowInsecureRequests;

type JwksCache = NonNullable<ReturnType<typeof client.getJwksCache>>;

/**
 * The configured providers, in button order. Nothing is fetched here: discovery waits for first
 * use. Throws ConfigError, meant to stop start-up, for an address that breaks the TLS rule or an
 * Apple key that is not a P-256 private key.
 */
export function configuredProviders(
  config: ProvidersConfig,
  options: ProviderOptions = {},
): Provider[] {
  const specs = providerSpecs(config, options);
  return PROVIDER_ORDER.flatMap((id) => {
    const spec = specs[id];
    return spec === undefined ? [] : [providerOf(spec)];
  });
}

function providerOf(spec: ProviderSpec): Provider {
  const serverMetadata =
    spec.kind === 'oidc' ? discoveredOnce(spec) : () => Promise.resolve(spec.server);
  // Keys fetched for one login serve the next; a key rotation makes openid-client fetch again.
  let jwksCache: JwksCache | undefined;

  /** A Configuration per use, so each token request can carry its own client authentication. */
  async function configuration(auth: client.ClientAuth): Promise<client.Configuration> {
    const server = await serverMetadata();
    const config = new client.Configuration(server, spec.clientId, undefined, auth);
    config.timeout = REQUEST_TIMEOUT_SECONDS;
    const urls = [...metadataUrls(server), spec.kind === 'oauth2' ? spec.profileUrl.href : ''];
    if (urls.some((url) => url.startsWith('http:'))) allowLoopbackHttp(config);
    if (spec.kind === 'oidc') {
      // Without this openid-client trusts the ID token's signature because it came over TLS from
      // the token endpoint; we check it against the provider's JWKS all the same.
      client.enableNonRepudiationChecks(config);
      if (jwksCache !== undefined) client.setJwksCache(config, jwksCache);
    }
    return config;
  }

  return {
    id: spec.id,
    label: spec.label,
    browserOrigin:
      spec.kind === 'oidc'
        ? spec.issuer.origin
        : new URL(spec.server.authorization_endpoint ?? spec.server.issuer).origin,

    async start(redirectUri) {
      const redirect = redirectTarget(redirectUri);
      const config = await configuration(client.None());
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = spec.kind === 'oidc' ? client.randomNonce() : null;
      const parameters: Record<string, string> = {
        ...spec.authorizationParameters,
        redirect_uri: redirect.href,
        state,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      };
      if (spec.scope !== undefined) parameters.scope = spec.scope;
      if (nonce !== null) parameters.nonce = nonce;
      const url = client.buildAuthorizationUrl(config, parameters);
      return { url, flow: { provider: spec.id, state, nonce, codeVerifier } };
    },

    async finish(callbackUrl, flow, redirectUri) {
      checkCallback(spec, callbackUrl, flow);
      const config = await configuration(await spec.clientAuth());
      const tokens = await exchangeCode(config, spec, callbackUrl, flow, redirectUri);
      if (spec.kind === 'oauth2') return fetchProfile(config, spec, tokens.access_token);
      jwksCache = client.getJwksCache(config) ?? jwksCache;
      return oidcProfile(config, spec, tokens);
    },
  };
}

/**
 * Discovery on first use, then kept for the life of the process: a provider that is down at
 * start-up costs its own button, not the site. A failure is not kept, so the next login retries.
 */
function discoveredOnce(spec: OidcSpec): () => Promise<client.ServerMetadata> {
  let pending: Promise<client.ServerMetadata> | undefined;
  return () => {
    pending ??= discover(spec).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

async function discover(spec: OidcSpec): Promise<client.ServerMetadata> {
  let found: client.Configuration;
  try {
    // openid-client checks that the document names exactly this issuer.
    found = await client.discovery(spec.issuer, spec.clientId, undefined, undefined, {
      timeout: REQUEST_TIMEOUT_SECONDS,
      execute: spec.issuer.protocol === 'http:' ? [allowLoopbackHttp] : [],
    });
  } catch (error) {
    throw new ProviderRefusal(
      'unreachable',
      `${spec.id}: discovery at ${spec.issuer.href} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  const server: client.ServerMetadata = { ...found.serverMetadata() };
  // The document may name other hosts: each must obey the same TLS rule as the issuer, since
  // http is allowed for the whole Configuration once any URL needs it.
  const missing = [server.authorization_endpoint, server.token_endpoint, server.jwks_uri].some(
    (url) => url === undefined,
  );
  const unsafe = metadataUrls(server).some(
    (url) => !URL.canParse(url) || !isAllowedEndpoint(new URL(url)),
  );
  if (missing || unsafe) {
    throw new ProviderRefusal(
      'unreachable',
      `${spec.id}: the discovery document lacks an endpoint or names one without TLS`,
    );
  }
  return server;
}

function metadataUrls(server: client.ServerMetadata): string[] {
  const urls = [
    server.issuer,
    server.authorization_endpoint,
    server.token_endpoint,
    server.jwks_uri,
    server.userinfo_endpoint,
  ];
  return urls.filter((url) => url !== undefined);
}

/**
 * openid-client sends the callback URL without its query as the token request's redirect_uri, so
 * the registered redirect URI must have none, and is what we send in both requests.
 */
function redirectTarget(redirectUri: string): URL {
  const url = new URL(redirectUri);
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError('a provider redirect URI takes no query or fragment');
  }
  return url;
}

/**
 * The callback must belong to the flow we started, for this provider: otherwise someone is
 * trying to log the reader in as themselves (login CSRF) or replaying a stale callback. Checked
 * before the provider's own error, so that only our flows get an answer about what went wrong.
 */
function checkCallback(spec: ProviderSpec, callbackUrl: URL, flow: PendingFlow): void {
  const state = callbackUrl.searchParams.get('state');
  const nonceFits = spec.kind === 'oidc' ? flow.nonce !== null : flow.nonce === null;
  if (flow.provider !== spec.id || !nonceFits || state === null || !sameSecret(state, flow.state)) {
    throw new ProviderRefusal('state_mismatch', `${spec.id}: the callback is not for this flow`);
  }
  const error = callbackUrl.searchParams.get('error');
  if (error !== null) {
    throw new ProviderRefusal('provider_error', `${spec.id} answered ${JSON.stringify(error)}`, {
      oauthError: error,
    });
  }
}

/** The code for tokens; openid-client checks state and PKCE again and, for OIDC, the ID token. */
async function exchangeCode(
  config: client.Configuration,
  spec: ProviderSpec,
  callbackUrl: URL,
  flow: PendingFlow,
  redirectUri: string,
) {
  // The URL as the provider sent the browser to it, whatever the proxy in front of us made of it.
  const current = redirectTarget(redirectUri);
  current.search = callbackUrl.search;
  const checks: client.AuthorizationCodeGrantChecks = {
    expectedState: flow.state,
    pkceCodeVerifier: flow.codeVerifier,
  };
  if (flow.nonce !== null) checks.expectedNonce = flow.nonce;
  try {
    return await client.authorizationCodeGrant(
      config,
      current,
      checks,
      spec.tokenParameters?.(flow),
    );
  } catch (error) {
    throw refusalFrom(error, 'token_rejected', `${spec.id}: the code exchange failed`);
  }
}

/**
 * Identity from the verified ID token. The userinfo endpoint is asked only when the token carries
 * no name; openid-client checks that its `sub` is the token's.
 */
async function oidcProfile(
  config: client.Configuration,
  spec: OidcSpec,
  tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>,
): Promise<ProviderProfile> {
  const claims = tokens.claims();
  const subject = subjectSchema.safeParse(claims?.sub);
  if (claims === undefined || !subject.success) {
    throw new ProviderRefusal('profile_invalid', `${spec.id}: the ID token has no usable subject`);
  }
  const fields = oidcFields(claims);
  if (fields.name !== undefined || config.serverMetadata().userinfo_endpoint === undefined) {
    return profileOf(subject.data, fields);
  }
  let userinfo: client.UserInfoResponse;
  try {
    userinfo = await client.fetchUserInfo(config, tokens.access_token, subject.data);
  } catch (error) {
    throw refusalFrom(error, 'profile_invalid', `${spec.id}: the userinfo request failed`);
  }
  const more = oidcFields(userinfo);
  return profileOf(subject.data, {
    name: more.name,
    email: fields.email ?? more.email,
    avatarUrl: fields.avatarUrl ?? more.avatarUrl,
  });
}

/** The profile of a plain OAuth 2.0 provider, read with the access token. */
async function fetchProfile(
  config: client.Configuration,
  spec: OAuthSpec,
  accessToken: string,
): Promise<ProviderProfile> {
  let body: unknown;
  try {
    const headers = new Headers({ accept: 'application/json' });
    const response = await client.fetchProtectedResource(
      config,
      accessToken,
      spec.profileUrl,
      'GET',
      undefined,
      headers,
    );
    if (!response.ok) {
      const reason = response.status >= 500 ? 'unreachable' : 'profile_invalid';
      throw new ProviderRefusal(reason, `${spec.id}: the profile answered ${response.status}`);
    }
    body = await response.json();
  } catch (error) {
    throw refusalFrom(error, 'profile_invalid', `${spec.id}: the profile request failed`);
  }
  return spec.readProfile(body);
}

/** Names what went wrong: the network (or a provider answering 5xx), or else `fallback`. */
function refusalFrom(
  error: unknown,
  fallback: 'token_rejected' | 'profile_invalid',
  message: string,
): ProviderRefusal {
  if (error instanceof ProviderRefusal) return error;
  return new ProviderRefusal(isUnreachable(error) ? 'unreachable' : fallback, message, {
    cause: error,
  });
}

/**
 * Walks the cause chain for a transport failure: undici's "fetch failed" TypeError, a timeout or
 * abort, or openid-client's "unexpected status" around a 5xx that carried no OAuth error body.
 */
function isUnreachable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    if (current instanceof TypeError && current.message === 'fetch failed') return true;
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return true;
    if (current instanceof client.ClientError) {
      if (current.code === 'OAUTH_TIMEOUT' || current.code === 'OAUTH_ABORT') return true;
      if (current.cause instanceof Response && current.cause.status >= 500) return true;
    }
    current = current.cause;
  }
  return false;
}
