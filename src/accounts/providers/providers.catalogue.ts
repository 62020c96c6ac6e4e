import * as client from 'openid-client';
import { ConfigError, type ProvidersConfig } from '../../config.js';
import { isAllowedEndpoint, type PendingFlow, type ProviderId } from './provider.js';
import { APPLE_ISSUER, appleClientSecrets } from './providers.apple.js';
import {
  readFacebookProfile,
  readNaverProfile,
  readXProfile,
  type ProfileReader,
} from './providers.profiles.js';

/**
 * What differs between the providers: their addresses, scopes, client authentication and profile
 * shapes. The flows themselves are one piece of code, in providers.ts.
 */

export type OidcEndpoints = { issuer: string };
export type OAuthEndpoints = { authorization: string; token: string; profile: string };

export type ProviderOptions = {
  /**
   * Points a provider at another server, a fake in tests. Production leaves this out and talks to
   * the providers' own addresses; the generic 'oidc' one always uses the configured issuer.
   */
  endpoints?: {
    kakao?: OidcEndpoints;
    google?: OidcEndpoints;
    apple?: OidcEndpoints;
    naver?: OAuthEndpoints;
    facebook?: OAuthEndpoints;
    x?: OAuthEndpoints;
  };
  /** The time Apple's client secrets are stamped with; the system clock by default. */
  clock?: () => Date;
};

type SpecBase = {
  id: ProviderId;
  label: { en: string; ko: string };
  clientId: string;
  /** Left out where the permissions are chosen in the provider's console instead (Naver). */
  scope?: string;
  /** Client authentication for one token request; Apple's secret is signed afresh each time. */
  clientAuth: () => Promise<client.ClientAuth>;
  authorizationParameters?: Record<string, string>;
  tokenParameters?: (flow: PendingFlow) => Record<string, string>;
};
export type OidcSpec = SpecBase & { kind: 'oidc'; issuer: URL };
export type OAuthSpec = SpecBase & {
  kind: 'oauth2';
  server: client.ServerMetadata;
  profileUrl: URL;
  readProfile: ProfileReader;
};
export type ProviderSpec = OidcSpec | OAuthSpec;

const DEFAULT_ISSUERS = {
  kakao: 'https://kauth.kakao.com',
  google: 'https://accounts.google.com',
  apple: APPLE_ISSUER,
} as const;

const DEFAULT_ENDPOINTS = {
  naver: {
    authorization: 'https://nid.naver.com/oauth2.0/authorize',
    token: 'https://nid.naver.com/oauth2.0/token',
    profile: 'https://openapi.naver.com/v1/nid/me',
  },
  facebook: {
    authorization: 'https://www.facebook.com/v19.0/dialog/oauth',
    token: 'https://graph.facebook.com/v19.0/oauth/access_token',
    profile: 'https://graph.facebook.com/me?fields=id,name,picture',
  },
  x: {
    authorization: 'https://x.com/i/oauth2/authorize',
    token: 'https://api.x.com/2/oauth2/token',
    profile: 'https://api.x.com/2/users/me?user.fields=profile_image_url',
  },
} as const;

/** A configured address: it must parse and obey the TLS rule, or the process does not start. */
function endpointUrl(name: string, value: string): URL {
  if (!URL.canParse(value)) throw new ConfigError(`${name}: not a URL`);
  const url = new URL(value);
  if (!isAllowedEndpoint(url)) {
    throw new ConfigError(`${name}: must be https (plain http only on 127.0.0.1, ::1, localhost)`);
  }
  return url;
}

/** Server metadata built by hand for the plain OAuth 2.0 providers, which publish none. */
function oauthServer(id: ProviderId, urls: OAuthEndpoints) {
  const authorization = endpointUrl(`${id} authorization endpoint`, urls.authorization);
  const token = endpointUrl(`${id} token endpoint`, urls.token);
  const server: client.ServerMetadata = {
    issuer: authorization.origin,
    authorization_endpoint: authorization.href,
    token_endpoint: token.href,
  };
  return { server, profileUrl: endpointUrl(`${id} profile endpoint`, urls.profile) };
}

function secretPost(secret: string) {
  return () => Promise.resolve(client.ClientSecretPost(secret));
}

/** Every configured provider's spec; throws ConfigError for an address that breaks the TLS rule. */
export function providerSpecs(
  config: ProvidersConfig,
  options: ProviderOptions,
): Partial<Record<ProviderId, ProviderSpec>> {
  const endpoints = options.endpoints ?? {};
  const specs: Partial<Record<ProviderId, ProviderSpec>> = {};
  if (config.kakao) {
    specs.kakao = {
      kind: 'oidc',
      id: 'kakao',
      label: { en: 'Kakao', ko: '카카오' },
      issuer: endpointUrl('kakao issuer', endpoints.kakao?.issuer ?? DEFAULT_ISSUERS.kakao),
      clientId: config.kakao.clientId,
      clientAuth: secretPost(config.kakao.clientSecret),
      scope: 'openid profile_nickname profile_image',
    };
  }
  if (config.naver) {
    specs.naver = {
      kind: 'oauth2',
      id: 'naver',
      label: { en: 'Naver', ko: '네이버' },
      ...oauthServer('naver', endpoints.naver ?? DEFAULT_ENDPOINTS.naver),
      readProfile: readNaverProfile,
      clientId: config.naver.clientId,
      clientAuth: secretPost(config.naver.clientSecret),
      // Naver's token endpoint asks for the state again (its documentation lists it as required).
      tokenParameters: (flow) => ({ state: flow.state }),
    };
  }
  if (config.google) {
    specs.google = {
      kind: 'oidc',
      id: 'google',
      label: { en: 'Google', ko: 'Google' },
      issuer: endpointUrl('google issuer', endpoints.google?.issuer ?? DEFAULT_ISSUERS.google),
      clientId: config.google.clientId,
      clientAuth: secretPost(config.google.clientSecret),
      scope: 'openid profile email',
    };
  }
  if (config.apple) {
    const secrets = appleClientSecrets(config.apple, options.clock ?? (() => new Date()));
    specs.apple = {
      kind: 'oidc',
      id: 'apple',
      label: { en: 'Apple', ko: 'Apple' },
      issuer: endpointUrl('apple issuer', endpoints.apple?.issuer ?? DEFAULT_ISSUERS.apple),
      clientId: config.apple.clientId,
      clientAuth: async () => client.ClientSecretPost(await secrets()),
      // With `name` or `email` in the scope Apple insists on response_mode=form_post: a cross-site
      // POST that a SameSite=Lax flow cookie does not accompany. `openid` alone keeps a GET.
      scope: 'openid',
      authorizationParameters: { response_mode: 'query' },
    };
  }
  if (config.facebook) {
    specs.facebook = {
      kind: 'oauth2',
      id: 'facebook',
      label: { en: 'Facebook', ko: 'Facebook' },
      ...oauthServer('facebook', endpoints.facebook ?? DEFAULT_ENDPOINTS.facebook),
      readProfile: readFacebookProfile,
      clientId: config.facebook.clientId,
      clientAuth: secretPost(config.facebook.clientSecret),
      scope: 'public_profile',
    };
  }
  if (config.x) {
    const secret = config.x.clientSecret;
    specs.x = {
      kind: 'oauth2',
      id: 'x',
      label: { en: 'X', ko: 'X' },
      ...oauthServer('x', endpoints.x ?? DEFAULT_ENDPOINTS.x),
      readProfile: readXProfile,
      clientId: config.x.clientId,
      // X accepts a confidential client's credentials only in the Authorization header.
      clientAuth: () => Promise.resolve(client.ClientSecretBasic(secret)),
      scope: 'users.read tweet.read',
    };
  }
  if (config.oidc) {
    specs.oidc = {
      kind: 'oidc',
      id: 'oidc',
      label: { en: config.oidc.label, ko: config.oidc.label },
      issuer: endpointUrl('BYLINE_OIDC_ISSUER', config.oidc.issuer),
      clientId: config.oidc.clientId,
      clientAuth: secretPost(config.oidc.clientSecret),
      scope: 'openid profile email',
    };
  }
  return specs;
}
