import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import {
  OAuth2Server,
  type MutableRedirectUri,
  type MutableResponse,
  type MutableToken,
  type Payload,
} from 'oauth2-mock-server';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testConfig } from '../db/db-test.js';
import type { ErrorCode } from '../http/app-error.js';
import { watchSegmenting } from '../lib/visible-text.testing.js';
import { TestBrowser, accountRowCounts, testApp, type TestApp } from './accounts.testing.js';
import { configuredProviders } from './providers/providers.js';

/**
 * The whole OpenID Connect login through the app: our routes, the flow row, openid-client and a
 * real identity provider (oauth2-mock-server) on loopback. The test plays the browser on both
 * sides: it posts our start form, follows the provider's redirect with fetch, and brings the
 * callback back into the app. Every refusal must leave the account tables as they were.
 */

const SESSION = 'byline_session';
const FLOW = 'byline_flow';
const PUBLIC_URL = 'http://localhost:3000';
const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The provider's authorization page, one step, as the browser follows it: our callback path. */
async function atProvider(authorizeUrl: URL, publicUrl = PUBLIC_URL): Promise<string> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  assert.ok(location !== null, `no redirect from the provider (${response.status})`);
  const callback = new URL(location, authorizeUrl);
  assert.equal(`${callback.origin}${callback.pathname}`, `${publicUrl}/auth/oidc/callback`);
  return `${callback.pathname}${callback.search}`;
}

function sessionCookieSet(response: LightMyRequestResponse): boolean {
  return response.cookies.some((c) => c.name === SESSION && c.value !== '');
}

for (const backend of testBackends()) {
  describe(`OpenID Connect login through the app on ${backend.name}`, () => {
    const idp = new OAuth2Server();
    let handle: DatabaseHandle;
    let t: TestApp;
    let issuer: string;
    let env: Record<string, string>;

    before(async () => {
      await idp.issuer.keys.generate('RS256');
      await idp.start(0, '127.0.0.1');
      assert.ok(idp.issuer.url !== undefined);
      issuer = idp.issuer.url;
      env = {
        BYLINE_OIDC_ISSUER: issuer,
        BYLINE_OIDC_CLIENT_ID: 'byline',
        BYLINE_OIDC_CLIENT_SECRET: 'byline-secret',
        BYLINE_OIDC_LABEL: 'Test ID',
      };
      handle = await backend.open();
      const providers = configuredProviders(testConfig(env).providers);
      t = await testApp(handle, { env, app: { providers } });
    });
    after(async () => {
      await t.app.close();
      await handle.close();
      await idp.stop();
    });
    beforeEach(async () => {
      await sql`truncate accounts, identities, sessions, auth_flows, rate_limits restart identity cascade`.execute(
        handle.db,
      );
      t.mailer.sent.length = 0;
    });

    /** Posts our start form; returns the provider's authorization URL it redirects to. */
    async function start(browser: TestBrowser, form: Record<string, string> = {}): Promise<URL> {
      const started = await browser.post('/auth/oidc/start', { returnTo: '/policy', ...form });
      assert.equal(started.statusCode, 303, started.body);
      const url = new URL(String(started.headers.location));
      assert.equal(`${url.origin}${url.pathname}`, `${issuer}/authorize`);
      assert.ok(browser.cookie(FLOW), 'the flow cookie is set');
      return url;
    }

    /** The provider sends the browser back to us (a cross-site navigation). */
    function arrive(browser: TestBrowser, path: string, accept = 'text/html') {
      return browser.get(path, { 'sec-fetch-site': 'cross-site', accept });
    }

    async function logIn(browser: TestBrowser, form: Record<string, string> = {}) {
      return arrive(browser, await atProvider(await start(browser, form)));
    }

    /** The callback is refused with `code`: no session cookie, no new row anywhere. */
    async function refused(browser: TestBrowser, path: string, code: ErrorCode) {
      const counts = await accountRowCounts(handle);
      const response = await arrive(browser, path, 'application/json');
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json<{ error: { code: string } }>().error.code, code);
      assert.equal(sessionCookieSet(response), false, 'no session cookie on a refusal');
      assert.deepEqual(await accountRowCounts(handle), counts);
    }

    /**
     * Changes the ID tokens the provider signs during `run` (not the access token, which carries
     * a scope), and answers userinfo for the same subject, as a real provider would.
     */
    async function withIdToken<T>(change: (payload: Payload) => void, run: () => Promise<T>) {
      let subject: unknown = 'johndoe';
      const signing = (token: MutableToken) => {
        if ('scope' in token.payload) return;
        change(token.payload);
        subject = token.payload.sub;
      };
      const userinfo = (response: MutableResponse) => {
        // Typed apart: against `body`'s `| ''` the key would resolve to String.prototype.sub.
        const body: Record<string, unknown> = { sub: subject };
        response.body = body;
      };
      idp.service.on('beforeTokenSigning', signing);
      idp.service.on('beforeUserinfo', userinfo);
      try {
        return await run();
      } finally {
        idp.service.off('beforeTokenSigning', signing);
        idp.service.off('beforeUserinfo', userinfo);
      }
    }

    const person = (claims: Partial<Payload>) => (payload: Payload) =>
      Object.assign(payload, claims);

    async function identitiesOf(accountId: string) {
      return handle.db
        .selectFrom('identities')
        .select(['provider', 'subject'])
        .where('account_id', '=', accountId)
        .orderBy('provider')
        .execute();
    }

    async function accountOfIdentity(provider: string, subject: string): Promise<string> {
      const row = await handle.db
        .selectFrom('identities')
        .select('account_id')
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .executeTakeFirstOrThrow();
      return row.account_id;
    }

    it('offers the button, logs a new reader in and asks their name when the provider has none', async () => {
      const browser = new TestBrowser(t.app);
      const login = await browser.get('/login');
      assert.match(login.body, /action="\/auth\/oidc\/start"/);
      assert.match(login.body, /Continue with Test ID/);

      const done = await logIn(browser);
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(done.headers.location, '/account/name?welcome=1&returnTo=%2Fpolicy');
      assert.ok(sessionCookieSet(done));
      assert.equal(browser.cookie(FLOW), undefined, 'the flow cookie is cleared');
      assert.deepEqual(await accountRowCounts(handle), { accounts: 1, identities: 1, sessions: 1 });
      await accountOfIdentity('oidc', 'johndoe');
      const session = await handle.db.selectFrom('sessions').select('method').executeTakeFirst();
      assert.equal(session?.method, 'oauth:oidc');
      assert.equal((await browser.get('/account/name?welcome=1')).statusCode, 200);
    });

    it('goes straight back to returnTo when the ID token carries a name', async () => {
      const browser = new TestBrowser(t.app);
      const done = await withIdToken(person({ sub: 'kim-1', name: '김 바이라인' }), () =>
        logIn(browser),
      );
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(done.headers.location, '/policy');
      assert.ok(sessionCookieSet(done));
      assert.deepEqual(await accountRowCounts(handle), { accounts: 1, identities: 1, sessions: 1 });
      const accountId = await accountOfIdentity('oidc', 'kim-1');
      assert.deepEqual(await identitiesOf(accountId), [{ provider: 'oidc', subject: 'kim-1' }]);
      const account = await browser.get('/account');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /class="account-name">김 바이라인</);
    });

    it('logs in a reader whose provider sends a 70,000-character name, drops it unsegmented and asks for one', async () => {
      const browser = new TestBrowser(t.app);
      const watched = await watchSegmenting(() =>
        withIdToken(person({ sub: 'long-1', name: '김'.repeat(70_000) }), () => logIn(browser)),
      );
      assert.equal(watched.result.statusCode, 303, watched.result.body);
      assert.equal(watched.result.headers.location, '/account/name?welcome=1&returnTo=%2Fpolicy');
      assert.ok(watched.longest <= 1_000, `segmented ${watched.longest} units at once`);
      const row = await handle.db.selectFrom('accounts').select('display_name').executeTakeFirst();
      assert.equal(row?.display_name, null);
    });

    it('refuses a callback whose state was tampered with, and burns its flow', async () => {
      const browser = new TestBrowser(t.app);
      const path = await atProvider(await start(browser));
      const flow = browser.cookie(FLOW) ?? '';
      const forged = new URL(path, PUBLIC_URL);
      forged.searchParams.set('state', 'forged-state');
      await refused(browser, `${forged.pathname}${forged.search}`, 'LOGIN_FAILED');
      browser.cookies.set(FLOW, flow);
      await refused(browser, path, 'LOGIN_EXPIRED');
      assert.deepEqual(await accountRowCounts(handle), { accounts: 0, identities: 0, sessions: 0 });
    });

    it('refuses a replayed callback, and the same code under a fresh flow', async () => {
      const browser = new TestBrowser(t.app);
      const path = await atProvider(await start(browser));
      const flow = browser.cookie(FLOW) ?? '';
      assert.equal((await arrive(browser, path)).statusCode, 303);
      const once = { accounts: 1, identities: 1, sessions: 1 };
      assert.deepEqual(await accountRowCounts(handle), once);

      // The same URL again: the browser's flow cookie is gone, and with it restored the flow row
      // was deleted on first use.
      await refused(browser, path, 'LOGIN_EXPIRED');
      const thief = new TestBrowser(t.app, '198.51.100.7');
      thief.cookies.set(FLOW, flow);
      await refused(thief, path, 'LOGIN_EXPIRED');

      // The spent code with a fresh flow's state: the code is spent (and its PKCE is another's).
      const fresh = new TestBrowser(t.app, '198.51.100.8');
      const state = (await start(fresh)).searchParams.get('state') ?? '';
      const stale = new URL(path, PUBLIC_URL);
      stale.searchParams.set('state', state);
      await refused(fresh, `${stale.pathname}${stale.search}`, 'LOGIN_FAILED');
      assert.deepEqual(await accountRowCounts(handle), once);
    });

    const badTokens: [string, (payload: Payload) => void][] = [
      ['for another audience', (p) => (p.aud = 'someone-else')],
      ['from another issuer', (p) => (p.iss = 'https://idp.example')],
      ['with another nonce', (p) => (p.nonce = 'not-the-flow-nonce')],
      // Far in the past (January 2000), so no wall clock can make it current.
      ['that expired long ago', person({ iat: 946_684_800, nbf: 946_684_800, exp: 946_688_400 })],
    ];
    for (const [what, change] of badTokens) {
      it(`refuses an ID token ${what} and creates nothing`, async () => {
        const browser = new TestBrowser(t.app);
        const path = await atProvider(await start(browser));
        await withIdToken(change, () => refused(browser, path, 'LOGIN_FAILED'));
        assert.deepEqual(await accountRowCounts(handle), {
          accounts: 0,
          identities: 0,
          sessions: 0,
        });
      });
    }

    it('refuses an unsigned ID token (alg none)', async () => {
      const browser = new TestBrowser(t.app);
      const path = await atProvider(await start(browser));
      idp.service.once('beforeResponse', (response: MutableResponse) => {
        assert.ok(response.body !== '' && typeof response.body.id_token === 'string');
        const [, payload = ''] = response.body.id_token.split('.');
        response.body.id_token = `${encodeJson({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      });
      await refused(browser, path, 'LOGIN_FAILED');
      assert.deepEqual(await accountRowCounts(handle), { accounts: 0, identities: 0, sessions: 0 });
    });

    it('refuses when the reader declines at the provider', async () => {
      const browser = new TestBrowser(t.app);
      idp.service.once('beforeAuthorizeRedirect', (redirect: MutableRedirectUri) => {
        redirect.url.searchParams.delete('code');
        redirect.url.searchParams.set('error', 'access_denied');
      });
      const path = await atProvider(await start(browser));
      assert.equal(new URL(path, PUBLIC_URL).searchParams.get('error'), 'access_denied');
      await refused(browser, path, 'LOGIN_FAILED');
      assert.deepEqual(await accountRowCounts(handle), { accounts: 0, identities: 0, sessions: 0 });
    });

    it('refuses a callback brought to another browser, which leaves the flow to its own', async () => {
      const browser = new TestBrowser(t.app);
      const path = await atProvider(await start(browser));
      const other = new TestBrowser(t.app, '198.51.100.9');
      const page = await arrive(other, path);
      assert.equal(page.statusCode, 400);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /href="\/login"/);
      await refused(other, path, 'LOGIN_EXPIRED');
      assert.deepEqual(await accountRowCounts(handle), { accounts: 0, identities: 0, sessions: 0 });
      assert.equal((await arrive(browser, path)).statusCode, 303);
    });

    it('keys identity by (provider, subject): the same verified e-mail makes a second account', async () => {
      const alice = new TestBrowser(t.app);
      assert.equal((await alice.loginByEmail(t.mailer, 'alice@example.com')).statusCode, 303);
      const byEmail = await accountOfIdentity('email', 'alice@example.com');

      const claims = { sub: 'alice-at-idp', email: 'alice@example.com', email_verified: true };
      const other = new TestBrowser(t.app);
      const done = await withIdToken(person(claims), () => logIn(other));
      assert.equal(done.statusCode, 303, done.body);
      const byOidc = await accountOfIdentity('oidc', 'alice-at-idp');
      assert.notEqual(byOidc, byEmail);
      assert.deepEqual(await accountRowCounts(handle), { accounts: 2, identities: 2, sessions: 2 });
      assert.deepEqual(await identitiesOf(byEmail), [
        { provider: 'email', subject: 'alice@example.com' },
      ]);
    });

    it('links the identity to a freshly logged-in reader, once, and asks a stale one to log in again', async () => {
      const reader = new TestBrowser(t.app);
      await reader.loginByEmail(t.mailer, 'reader@example.com');
      const readerId = await accountOfIdentity('email', 'reader@example.com');
      const linked = await withIdToken(person({ sub: 'linked-1' }), () =>
        logIn(reader, { link: '1', returnTo: '/account' }),
      );
      assert.equal(linked.statusCode, 303, linked.body);
      assert.equal(linked.headers.location, '/account');
      assert.equal(sessionCookieSet(linked), false, 'linking starts no session');
      assert.deepEqual(await identitiesOf(readerId), [
        { provider: 'email', subject: 'reader@example.com' },
        { provider: 'oidc', subject: 'linked-1' },
      ]);
      assert.deepEqual(await accountRowCounts(handle), { accounts: 1, identities: 2, sessions: 1 });

      // Another account asks for the same identity: refused, nothing moves.
      const other = new TestBrowser(t.app, '198.51.100.10');
      await other.loginByEmail(t.mailer, 'other@example.com');
      const taken = await withIdToken(person({ sub: 'linked-1' }), async () =>
        arrive(
          other,
          await atProvider(await start(other, { link: '1', returnTo: '/account' })),
          'application/json',
        ),
      );
      assert.equal(taken.statusCode, 409, taken.body);
      assert.equal(taken.json<{ error: { code: string } }>().error.code, 'IDENTITY_TAKEN');
      assert.equal(await accountOfIdentity('oidc', 'linked-1'), readerId);
      assert.deepEqual(await accountRowCounts(handle), { accounts: 2, identities: 3, sessions: 2 });

      // Six minutes after the login, linking first asks for a fresh one.
      t.clock.advance(6 * 60);
      const stale = await reader.post('/auth/oidc/start', { link: '1', returnTo: '/account' });
      assert.equal(stale.statusCode, 303);
      assert.equal(stale.headers.location, '/login?reauth=1&returnTo=%2Faccount');
      const flows = await handle.db.selectFrom('auth_flows').select('id').execute();
      assert.deepEqual(flows, []);
    });

    it('on an HTTPS site, clears the __Host- flow cookie with Secure, or browsers keep it', async () => {
      const site = 'https://news.example';
      const secure = await testApp(handle, {
        env: { ...env, BYLINE_PUBLIC_URL: site },
        app: { providers: configuredProviders(testConfig(env).providers) },
      });
      try {
        const browser = new TestBrowser(secure.app);
        const started = await browser.post('/auth/oidc/start', { returnTo: '/policy' });
        assert.equal(started.statusCode, 303, started.body);
        const flowSet = started.cookies.find((c) => c.name === `__Host-${FLOW}`);
        assert.equal(flowSet?.secure, true);
        const path = await atProvider(new URL(String(started.headers.location)), site);
        const done = await arrive(browser, path);
        assert.equal(done.statusCode, 303, done.body);
        assert.equal(done.cookies.find((c) => c.name === `__Host-${SESSION}`)?.secure, true);
        // A browser ignores a __Host- Set-Cookie without Secure (RFC 6265bis 4.1.3.2): this one
        // must carry it, or the flow cookie outlives its flow (clearCookie, src/http/access.ts).
        const flowCleared = done.cookies.find((c) => c.name === `__Host-${FLOW}`);
        assert.equal(flowCleared?.value, '');
        assert.equal(flowCleared.secure, true, 'the __Host- flow cookie is cleared with Secure');
      } finally {
        await secure.app.close();
      }
    });
  });
}
