import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { jwtVerify } from 'jose';
import {
  OAuth2Server,
  type MutableRedirectUri,
  type MutableResponse,
  type MutableToken,
  type Payload,
  type TokenRequestIncomingMessage,
} from 'oauth2-mock-server';
import { ConfigError, type ProvidersConfig } from '../../config.js';
import {
  configuredProviders,
  ProviderRefusal,
  type Provider,
  type ProviderOptions,
  type RefusalReason,
} from './providers.js';

// Never requested: the tests play the browser and read the provider's redirect to it.
const REDIRECT_URI = 'http://127.0.0.1:3000/login/callback';

/** Follows the provider's authorization page one step, as a browser would, back to us. */
async function browse(url: URL): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  assert.ok(location !== null, `no redirect from ${url.href} (${response.status})`);
  return new URL(location, url);
}

async function logIn(provider: Provider, tamper?: (callback: URL) => void) {
  const { url, flow } = await provider.start(REDIRECT_URI);
  const callback = await browse(url);
  tamper?.(callback);
  return provider.finish(callback, flow, REDIRECT_URI);
}

async function refused(attempt: Promise<unknown>, reason: RefusalReason): Promise<ProviderRefusal> {
  let caught: unknown;
  await assert.rejects(attempt, (error: unknown) => {
    caught = error;
    return error instanceof ProviderRefusal && error.reason === reason;
  });
  assert.ok(caught instanceof ProviderRefusal);
  return caught;
}

function only(providers: Provider[]): Provider {
  assert.equal(providers.length, 1);
  const [provider] = providers;
  assert.ok(provider);
  return provider;
}

const appleKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const apple = {
  clientId: 'news.byline.web',
  teamId: 'TEAM123456',
  keyId: 'KEY1234567',
  privateKey: appleKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
};
// An RSA key nobody publishes: it signs forged ID tokens and stands in for a wrong Apple key.
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const pair = (name: string) => ({ clientId: `${name}-client`, clientSecret: `${name}-secret` });

describe('an OpenID Connect provider against a mock identity provider', () => {
  const idp = new OAuth2Server();
  let provider: Provider;
  let issuer: string;

  before(async () => {
    await idp.issuer.keys.generate('RS256');
    await idp.start(0, '127.0.0.1');
    assert.ok(idp.issuer.url !== undefined);
    issuer = idp.issuer.url;
    provider = only(
      configuredProviders({
        oidc: { issuer, clientId: 'byline', clientSecret: 'byline-secret', label: '사내 계정' },
      }),
    );
  });
  after(() => idp.stop());

  /** Changes the next ID token (not the access token, which the mock signs first) before signing. */
  async function withIdToken<T>(change: (payload: Payload) => void, run: () => Promise<T>) {
    const listener = (token: MutableToken) => {
      if (!('scope' in token.payload)) change(token.payload);
    };
    idp.service.on('beforeTokenSigning', listener);
    try {
      return await run();
    } finally {
      idp.service.off('beforeTokenSigning', listener);
    }
  }

  /** Replaces the ID token in the next token response (the mock answers right after this hook). */
  function nextIdToken(replace: (header: Record<string, unknown>, payload: string) => string) {
    idp.service.once('beforeResponse', (response: MutableResponse) => {
      assert.ok(response.body !== '' && typeof response.body.id_token === 'string');
      const [header = '', payload = ''] = response.body.id_token.split('.');
      const decoded: unknown = JSON.parse(Buffer.from(header, 'base64url').toString());
      assert.ok(typeof decoded === 'object' && decoded !== null);
      response.body.id_token = replace(decoded as Record<string, unknown>, payload);
    });
  }

  it('asks for a code with PKCE S256, a fresh state and a nonce', async () => {
    const first = await provider.start(REDIRECT_URI);
    const second = await provider.start(REDIRECT_URI);
    const query = first.url.searchParams;
    assert.equal(query.get('response_type'), 'code');
    assert.equal(query.get('client_id'), 'byline');
    assert.equal(query.get('redirect_uri'), REDIRECT_URI);
    assert.equal(query.get('scope'), 'openid profile email');
    assert.equal(query.get('code_challenge_method'), 'S256');
    const challenge = createHash('sha256').update(first.flow.codeVerifier).digest('base64url');
    assert.equal(query.get('code_challenge'), challenge);
    assert.equal(query.get('state'), first.flow.state);
    assert.equal(query.get('nonce'), first.flow.nonce);
    assert.equal(first.flow.provider, 'oidc');
    assert.notEqual(first.flow.state, second.flow.state);
    assert.notEqual(first.flow.nonce, second.flow.nonce);
    assert.deepEqual(provider.label, { en: '사내 계정', ko: '사내 계정' });
  });

  it('returns the subject and claims of a verified ID token', async () => {
    const profile = await withIdToken(
      (payload) => {
        Object.assign(payload, {
          name: '  김 바이라인  ',
          email: 'reader@example.com',
          email_verified: true,
          picture: 'http://127.0.0.1:9/avatar.png',
        });
      },
      () => logIn(provider),
    );
    assert.deepEqual(profile, {
      subject: 'johndoe',
      name: '김 바이라인',
      email: 'reader@example.com',
      avatarUrl: 'http://127.0.0.1:9/avatar.png',
    });
  });

  it('asks the userinfo endpoint for a name the ID token lacks, and drops unverified e-mail', async () => {
    idp.service.once('beforeUserinfo', (response: MutableResponse) => {
      const userinfo: Record<string, unknown> = { sub: 'johndoe', name: '이용자' };
      response.body = { ...userinfo, email: 'x@example.com' };
    });
    assert.deepEqual(await logIn(provider), { subject: 'johndoe', name: '이용자' });
  });

  it('refuses a callback whose state was tampered with', async () => {
    await refused(
      logIn(provider, (callback) => callback.searchParams.set('state', 'forged')),
      'state_mismatch',
    );
  });

  it('refuses a callback finished with another flow', async () => {
    const other = await provider.start(REDIRECT_URI);
    const { url } = await provider.start(REDIRECT_URI);
    await refused(provider.finish(await browse(url), other.flow, REDIRECT_URI), 'state_mismatch');
  });

  const badTokens: [string, (payload: Payload) => void][] = [
    ['for another audience', (p) => (p.aud = 'someone-else')],
    ['from another issuer', (p) => (p.iss = 'https://idp.example')],
    ['with another nonce', (p) => (p.nonce = 'not-the-flow-nonce')],
    // Relative to the mock's own stamp, an hour clear of the 30-second tolerance: no wall clock.
    ['that expired an hour ago', (p) => Object.assign(p, { exp: p.iat - 3600, iat: p.iat - 7200 })],
  ];
  for (const [what, change] of badTokens) {
    it(`refuses an ID token ${what}`, async () => {
      await refused(
        withIdToken(change, () => logIn(provider)),
        'token_rejected',
      );
    });
  }

  it('refuses an unsigned ID token (alg none)', async () => {
    nextIdToken((_, payload) => `${encodeJson({ alg: 'none', typ: 'JWT' })}.${payload}.`);
    await refused(logIn(provider), 'token_rejected');
  });

  it('refuses an ID token signed with a key the provider does not publish', async () => {
    nextIdToken((header, payload) => {
      // The provider's own key id and algorithm, a stranger's key.
      const signed = `${encodeJson(header)}.${payload}`;
      const signature = sign('sha256', Buffer.from(signed), strangerKey.privateKey);
      return `${signed}.${signature.toString('base64url')}`;
    });
    await refused(logIn(provider), 'token_rejected');
  });

  it('refuses when the person declines at the provider', async () => {
    idp.service.once('beforeAuthorizeRedirect', (redirect: MutableRedirectUri) => {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'access_denied');
    });
    const refusal = await refused(logIn(provider), 'provider_error');
    assert.equal(refusal.oauthError, 'access_denied');
  });

  it('signs a fresh ES256 client secret for Apple and asks only for openid, by query', async () => {
    const now = new Date('2026-03-01T09:00:00Z');
    const applePoint = only(
      configuredProviders({ apple }, { endpoints: { apple: { issuer } }, clock: () => now }),
    );
    let secret: unknown;
    idp.service.once('beforeResponse', (_: MutableResponse, req: TokenRequestIncomingMessage) => {
      secret = (req.body as unknown as Record<string, unknown>).client_secret;
    });
    const { url, flow } = await applePoint.start(REDIRECT_URI);
    assert.equal(url.searchParams.get('scope'), 'openid');
    assert.equal(url.searchParams.get('response_mode'), 'query');
    const profile = await applePoint.finish(await browse(url), flow, REDIRECT_URI);
    assert.deepEqual(profile, { subject: 'johndoe' });

    assert.ok(typeof secret === 'string');
    const { payload, protectedHeader } = await jwtVerify(secret, appleKey.publicKey, {
      algorithms: ['ES256'],
      currentDate: now,
      issuer: apple.teamId,
      subject: apple.clientId,
      audience: 'https://appleid.apple.com',
    });
    assert.equal(protectedHeader.kid, apple.keyId);
    assert.equal(payload.iat, now.getTime() / 1000);
    assert.ok(payload.exp !== undefined && payload.exp - payload.iat <= 600);
  });
});

/** An address where nothing listens: a port the system gave us, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('discovery', () => {
  it('waits for first use, and refuses as unreachable when the provider is down', async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    const provider = only(
      configuredProviders({ oidc: { issuer, clientId: 'c', clientSecret: 's', label: 'IdP' } }),
    );
    await refused(provider.start(REDIRECT_URI), 'unreachable');
  });
});

type NaverFake = {
  endpoints: NonNullable<ProviderOptions['endpoints']>['naver'] & {};
  profile: unknown;
  tokenError: boolean;
};

/**
 * Naver's three endpoints as they behave (nid.naver.com / openapi.naver.com), including its habit
 * of answering token errors with status 200 and an `error` field.
 */
function naverHandler(fake: NaverFake) {
  const challenges = new Map<string, string>();
  return async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method === 'GET' && url.pathname === '/oauth2.0/authorize') {
      const q = url.searchParams;
      const challenge = q.get('code_challenge');
      const redirect = q.get('redirect_uri');
      const fits = q.get('client_id') === 'naver-client' && q.get('response_type') === 'code';
      if (!fits || q.get('code_challenge_method') !== 'S256' || !challenge || !redirect) {
        json(400, { error: 'invalid_request' });
        return;
      }
      const code = `code-${challenges.size}`;
      challenges.set(code, challenge);
      const back = new URL(redirect);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      response.writeHead(302, { location: back.href }).end();
    } else if (request.method === 'POST' && url.pathname === '/oauth2.0/token') {
      let raw = '';
      for await (const chunk of request) raw += String(chunk);
      const form = new URLSearchParams(raw);
      const challenge = challenges.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const proved = createHash('sha256').update(verifier).digest('base64url') === challenge;
      const client =
        form.get('client_id') === 'naver-client' && form.get('client_secret') === 'naver-secret';
      if (fake.tokenError || !client || !proved || !form.get('state')) {
        json(200, { error: 'invalid_request', error_description: 'no valid data in session' });
        return;
      }
      json(200, { access_token: 'naver-access', token_type: 'bearer', expires_in: '3600' });
    } else if (request.method === 'GET' && url.pathname === '/v1/nid/me') {
      if (request.headers.authorization !== 'Bearer naver-access') {
        json(401, { resultcode: '024', message: 'Authentication failed' });
        return;
      }
      json(200, fake.profile);
    } else {
      json(404, {});
    }
  };
}

describe('Naver (plain OAuth 2.0) against a fake of its endpoints', () => {
  const fake: NaverFake = {
    endpoints: { authorization: '', token: '', profile: '' },
    profile: null,
    tokenError: false,
  };
  const handle = naverHandler(fake);
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  let provider: Provider;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake.endpoints = {
      authorization: `${base}/oauth2.0/authorize`,
      token: `${base}/oauth2.0/token`,
      profile: `${base}/v1/nid/me`,
    };
    provider = only(
      configuredProviders({ naver: pair('naver') }, { endpoints: { naver: fake.endpoints } }),
    );
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it('returns response.id as the subject, with nickname, e-mail and picture', async () => {
    fake.tokenError = false;
    fake.profile = {
      resultcode: '00',
      message: 'success',
      response: {
        id: 'naver-32742776',
        nickname: '바이라인독자',
        name: '김독자',
        email: 'reader@naver.com',
        profile_image: 'http://127.0.0.1:9/naver.png',
      },
    };
    const started = await provider.start(REDIRECT_URI);
    assert.equal(started.flow.nonce, null);
    assert.equal(started.url.searchParams.get('nonce'), null);
    const profile = await provider.finish(await browse(started.url), started.flow, REDIRECT_URI);
    assert.deepEqual(profile, {
      subject: 'naver-32742776',
      name: '바이라인독자',
      email: 'reader@naver.com',
      avatarUrl: 'http://127.0.0.1:9/naver.png',
    });
  });

  it('drops an over-long name and a non-https picture, but keeps the login', async () => {
    fake.tokenError = false;
    fake.profile = {
      resultcode: '00',
      message: 'success',
      response: { id: 'n-1', nickname: '가'.repeat(101), profile_image: 'http://img.example/a' },
    };
    assert.deepEqual(await logIn(provider), { subject: 'n-1' });
  });

  const badProfiles: [string, unknown][] = [
    ['without an id', { resultcode: '00', message: 'success', response: { nickname: '독자' } }],
    ['with an empty id', { resultcode: '00', message: 'success', response: { id: '' } }],
    ['that reports a failure', { resultcode: '024', message: 'Authentication failed' }],
  ];
  for (const [what, body] of badProfiles) {
    it(`refuses a profile ${what}`, async () => {
      fake.tokenError = false;
      fake.profile = body;
      await refused(logIn(provider), 'profile_invalid');
    });
  }

  it('refuses when the token endpoint answers with an error', async () => {
    fake.tokenError = true;
    await refused(logIn(provider), 'token_rejected');
  });

  it('refuses as unreachable when the token endpoint does not answer', async () => {
    const token = `http://127.0.0.1:${await closedPort()}/oauth2.0/token`;
    const endpoints = { naver: { ...fake.endpoints, token } };
    const down = only(configuredProviders({ naver: pair('naver') }, { endpoints }));
    await refused(logIn(down), 'unreachable');
  });
});

describe('configuredProviders', () => {
  const oidc = {
    issuer: 'https://login.example.com',
    clientId: 'c',
    clientSecret: 's',
    label: 'SSO',
  };
  const everything: ProvidersConfig = {
    oidc,
    x: pair('x'),
    facebook: pair('facebook'),
    apple,
    google: pair('google'),
    naver: pair('naver'),
    kakao: pair('kakao'),
  };

  it('returns the configured providers only, in button order', () => {
    const all = configuredProviders(everything).map((provider) => provider.id);
    assert.deepEqual(all, ['kakao', 'naver', 'google', 'apple', 'facebook', 'x', 'oidc']);
    const some = configuredProviders({ oidc, naver: pair('naver') });
    assert.deepEqual(
      some.map((provider) => provider.id),
      ['naver', 'oidc'],
    );
    assert.deepEqual(configuredProviders({}), []);
  });

  it('sends the plain OAuth 2.0 providers to their real addresses by default', async () => {
    const expected = {
      naver: 'https://nid.naver.com/oauth2.0/authorize',
      facebook: 'https://www.facebook.com/v19.0/dialog/oauth',
      x: 'https://x.com/i/oauth2/authorize',
    };
    const providers = configuredProviders({ naver: pair('n'), facebook: pair('f'), x: pair('x') });
    for (const provider of providers) {
      const { url } = await provider.start(REDIRECT_URI);
      assert.equal(`${url.origin}${url.pathname}`, expected[provider.id as keyof typeof expected]);
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    }
  });

  it('refuses plain http to anything but this machine', () => {
    const oidc = { clientId: 'c', clientSecret: 's', label: 'SSO' };
    assert.throws(
      () => configuredProviders({ oidc: { ...oidc, issuer: 'http://login.example.com' } }),
      ConfigError,
    );
    assert.throws(
      () => configuredProviders({ oidc: { ...oidc, issuer: 'http://127.0.0.2:8080' } }),
      ConfigError,
    );
    const naver = {
      authorization: 'https://nid.naver.com/oauth2.0/authorize',
      token: 'http://nid.naver.com/oauth2.0/token',
      profile: 'https://openapi.naver.com/v1/nid/me',
    };
    assert.throws(
      () => configuredProviders({ naver: pair('n') }, { endpoints: { naver } }),
      ConfigError,
    );
    for (const host of ['127.0.0.1', '[::1]', 'localhost']) {
      const local = configuredProviders({ oidc: { ...oidc, issuer: `http://${host}:8080` } });
      assert.equal(local.length, 1);
    }
  });

  it('stops at start-up on an Apple key that is not a P-256 private key', () => {
    const wrong = strangerKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    assert.throws(
      () => configuredProviders({ apple: { ...apple, privateKey: wrong } }),
      ConfigError,
    );
    assert.throws(
      () => configuredProviders({ apple: { ...apple, privateKey: 'not a key' } }),
      ConfigError,
    );
  });
});
