import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../db/db.js';
import type { Database, RoleColumn } from '../db/db-schema.js';
import { testBackends } from '../db/db-test.js';
import { randomToken, tokenDigest } from '../lib/tokens.js';
import { BUNDLES } from '../features.js';
import { bundleAsset, loadAssets } from '../views/assets.js';
import { STAFF_ROLES, type Access } from '../http/access.js';
import { routesOfTree } from '../http/routes.testing.js';
import { TestBrowser, testApp, type TestApp } from './accounts.testing.js';
import { createSession, type SessionKind } from './sessions.js';

/**
 * Who may use what, tested as tables (docs/SECURITY.md, items 15 and 23; CONTRIBUTING.md,
 * habit 10): every route the app registers, called by every role state, compared with the
 * declared access; every POST route forged cross-site and without its token; every GET shown to
 * change nothing; and every cookie the crawl sees checked for its attributes.
 */

type Route = { method: string; url: string; access: Access };
type RoleState = {
  name: string;
  role: RoleColumn | null;
  kind: SessionKind | null;
  /** Seated on the standards board by an admin (`accounts.on_board`). */
  onBoard?: boolean;
};

const STAFF: Access = STAFF_ROLES;
const ADMIN: Access = ['admin'];
const EDITORS: Access = ['editor', 'admin'];
const BOARD: Access = 'board';
const NEWSROOM: Access = ['reporter', 'editor', 'admin'];
const JSON_ACCEPT = { accept: 'application/json' };
const EVIL = 'https://evil.example';

const ANONYMOUS: RoleState = { name: 'anonymous', role: null, kind: null };
const ADMIN_STAFF: RoleState = { name: 'admin', role: 'admin', kind: 'staff' };

const ROLE_STATES: readonly RoleState[] = [
  ANONYMOUS,
  { name: 'reader', role: 'reader', kind: 'reader' },
  { name: 'moderator', role: 'moderator', kind: 'staff' },
  { name: 'reporter', role: 'reporter', kind: 'staff' },
  { name: 'editor', role: 'editor', kind: 'staff' },
  // An editor who also moderates: the board's routes besides an editor's, still no admin's.
  { name: 'editor on the board', role: 'editor', kind: 'staff', onBoard: true },
  ADMIN_STAFF,
  // Staff powers need a staff sign-in (password + TOTP); a reader login of the same account has none.
  { name: 'admin on a reader session', role: 'admin', kind: 'reader' },
];

/** The declared access of every route, pinned here so that a new or loosened route is reviewed. */
function expectedAccess(): Record<string, Access> {
  const edition: Record<string, Access> = {
    'GET /': 'public',
    'GET /:year/:month/:day/:section/:slug': 'public',
    'GET /section/:slug': 'public',
    'GET /tag/:slug': 'public',
    'GET /author/:slug': 'public',
    'GET /corrections': 'public',
    'GET /policy': 'public',
    'GET /policy/versions/:version': 'public',
    'POST /policy/accept': 'reader',
    'GET /admin/policy': ADMIN,
    'POST /admin/policy': ADMIN,
    'GET /login': 'public',
    'POST /login/email': 'public',
    'GET /login/email/code': 'public',
    'POST /login/email/code': 'public',
    'GET /account': 'reader',
    'GET /account/name': 'reader',
    'POST /account/name': 'reader',
    'POST /account/delete': 'reader',
    'GET /staff/login': 'public',
    'POST /staff/login': 'public',
    'GET /staff/setup/:token': 'public',
    'POST /staff/setup/:token': 'public',
    'GET /staff': STAFF,
    'GET /admin/accounts': ADMIN,
    'GET /articles/:articleId/comments': 'public',
    'POST /articles/:articleId/comments': 'reader',
    'GET /articles/:articleId/comments/live': 'public',
    'GET /comments/:commentId': 'public',
    'POST /comments/:commentId/vote': 'reader',
    'GET /comments/:commentId/edit': 'reader',
    'POST /comments/:commentId/edit': 'reader',
    'GET /comments/:commentId/delete': 'reader',
    'POST /comments/:commentId/delete': 'reader',
    'GET /comments/:commentId/report': 'reader',
    'POST /comments/:commentId/report': 'reader',
    'GET /account/comments': 'reader',
    'GET /staff/comments': EDITORS,
    'POST /staff/comments/sections/:id': EDITORS,
    'POST /staff/comments/articles/:id': EDITORS,
    'POST /admin/accounts/:id/role': ADMIN,
    'POST /admin/accounts/:id/status': ADMIN,
    'POST /admin/accounts/:id/sessions/end': ADMIN,
    'POST /admin/accounts/:id/board': ADMIN,
    'GET /newsroom/staff': ADMIN,
    'POST /newsroom/staff/invite': ADMIN,
    'POST /newsroom/staff/:id/setup-link': ADMIN,
    'POST /newsroom/staff/:id/role': ADMIN,
    'GET /moderation': BOARD,
    'GET /moderation/queue/:queue': BOARD,
    'POST /moderation/queue/:queue/next': BOARD,
    'GET /moderation/comments/:id': BOARD,
    'POST /moderation/comments/:id/claim': BOARD,
    'POST /moderation/comments/:id/decide': BOARD,
    'POST /moderation/bulk': BOARD,
    'POST /moderation/readers/:id/sanction': BOARD,
    'GET /moderation/appeals/:id': BOARD,
    'POST /moderation/appeals/:id/decide': BOARD,
    'GET /account/comments/:id/appeal': 'reader',
    'POST /account/comments/:id/appeal': 'reader',
    'GET /admin/moderation/words': ADMIN,
    'POST /admin/moderation/words': ADMIN,
    'GET /transparency': 'public',
    'GET /privacy': 'public',
    'GET /terms': 'public',
    'GET /about': 'public',
    'GET /admin/pages': ADMIN,
    'GET /admin/pages/:key': ADMIN,
    'POST /admin/pages/:key': ADMIN,
    'GET /newsroom': NEWSROOM,
    'GET /newsroom/stories/new': NEWSROOM,
    'POST /newsroom/stories': NEWSROOM,
    'GET /newsroom/stories/:id': NEWSROOM,
    'POST /newsroom/stories/:id/save': NEWSROOM,
    'POST /newsroom/stories/:id/autosave': NEWSROOM,
    'POST /newsroom/stories/:id/presence': NEWSROOM,
    'POST /newsroom/stories/:id/submit': NEWSROOM,
    'POST /newsroom/stories/:id/send-back': NEWSROOM,
    'POST /newsroom/stories/:id/publish': NEWSROOM,
    'POST /newsroom/stories/:id/schedule': NEWSROOM,
    'POST /newsroom/stories/:id/unschedule': NEWSROOM,
    'POST /newsroom/stories/:id/unpublish': NEWSROOM,
    'POST /newsroom/stories/:id/archive': NEWSROOM,
    'POST /newsroom/stories/:id/embargo': NEWSROOM,
    'POST /newsroom/stories/:id/embargo/lift': NEWSROOM,
    'POST /newsroom/stories/:id/take-over': NEWSROOM,
    'POST /newsroom/stories/:id/notes': NEWSROOM,
    'POST /newsroom/stories/:id/corrections': NEWSROOM,
    'GET /newsroom/stories/:id/preview': NEWSROOM,
    'GET /preview/:id': 'public',
    'GET /newsroom/stories/:id/revisions': NEWSROOM,
    'GET /newsroom/stories/:id/compare': NEWSROOM,
    'POST /newsroom/stories/:id/revisions/:number/restore': NEWSROOM,
  };
  const assets = loadAssets(BUNDLES);
  const routes: Record<string, Access> = {
    [`GET ${assets.stylesheet.path}`]: 'public',
    [`GET ${bundleAsset(assets, 'comments').path}`]: 'public',
    [`GET ${bundleAsset(assets, 'newsroom-editor').path}`]: 'public',
    [`GET ${assets.icon.path}`]: 'public',
    'GET /favicon.ico': 'public',
    'GET /healthz': 'public',
    'GET /readyz': 'public',
    'GET /api/openapi.json': STAFF,
    'POST /auth/:provider/start': 'public',
    'GET /auth/:provider/callback': 'public',
    'POST /logout': 'reader',
    'POST /account/sessions/end': 'reader',
    'POST /account/unlink': 'reader',
    'GET /account/data': 'reader',
  };
  for (const [key, access] of Object.entries(edition)) {
    const [method, path = ''] = key.split(' ');
    routes[key] = access;
    routes[`${method ?? ''} ${path === '/' ? '/ko' : `/ko${path}`}`] = access;
  }
  // Fastify answers HEAD with the GET route's handler and options.
  for (const [key, access] of Object.entries(routes))
    if (key.startsWith('GET ')) routes[`HEAD ${key.slice(4)}`] = access;
  return routes;
}

/** Whether a role state may use a route, restated from access.ts's rules rather than imported. */
function allowed(access: Access, state: RoleState): boolean {
  if (access === 'public') return true;
  if (state.role === null) return false;
  if (access === 'reader') return true;
  if (state.kind !== 'staff') return false;
  // The board: moderators and admins by role, anyone else of staff only when seated on it.
  if (access === 'board')
    return state.role === 'moderator' || state.role === 'admin' || state.onBoard === true;
  return (access as readonly string[]).includes(state.role);
}

/** Forms that make each handler succeed, so that a guard that let the wrong role in would show. */
const SUCCESS_FORMS: Readonly<Record<string, Record<string, string>>> = {
  '/account/name': { displayName: '바뀐 이름', returnTo: '/' },
  '/account/delete': { confirm: 'yes' },
  '/account/sessions/end': { session: '1' },
  '/logout': { returnTo: '/' },
  '/login/email': { email: 'forged@example.com', returnTo: '/' },
  '/admin/accounts/:id/role': { role: 'editor' },
  '/admin/accounts/:id/status': { status: 'suspended' },
  '/admin/accounts/:id/sessions/end': {},
  '/admin/accounts/:id/board': { board: 'on' },
  // /admin/policy has none here: each success would publish a version, and accepting version 1
  // would then fail as out of date. policy.routes.test.ts tests who may publish.
  '/policy/accept': { version: '1', returnTo: '/' },
  '/admin/pages/:key': { bodyEn: 'Our terms.', bodyKo: '이용약관입니다.' },
};

/** The form for a route pattern, and whether a role state allowed to use it gets a 303 for it. */
function successForm(pattern: string): { form: Record<string, string>; succeeds: boolean } {
  const form = SUCCESS_FORMS[pattern.replace(/^\/ko(?=\/)/, '')];
  return { form: form ?? {}, succeeds: form !== undefined };
}

function substitute(url: string, params: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_whole, name: string) => {
    const value = params[name];
    assert.ok(value !== undefined, `a value for :${name} in ${url}`);
    return value;
  });
}

function setCookies(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}

type CookieAttributes = { name: string; attributes: Map<string, string> };

function parseSetCookie(header: string): CookieAttributes {
  const [pair = '', ...parts] = header.split(';').map((part) => part.trim());
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const [key = '', ...value] = part.split('=');
    attributes.set(key.toLowerCase(), value.join('='));
  }
  return { name: pair.split('=')[0] ?? '', attributes };
}

/** What breaks the cookie rules of docs/SECURITY.md, items 6 and 23, one line per fault. */
function cookieFaults(header: string, https: boolean): string[] {
  const { name, attributes } = parseSetCookie(header);
  const faults: string[] = [];
  if (!attributes.has('httponly')) faults.push('not HttpOnly');
  if (attributes.get('path') !== '/') faults.push('Path is not /');
  if (!/^(lax|strict)$/i.test(attributes.get('samesite') ?? '')) faults.push('no SameSite');
  if (attributes.has('domain')) faults.push('has a Domain');
  if (https && !name.startsWith('__Host-')) faults.push('not __Host- prefixed');
  if (https && !attributes.has('secure')) faults.push('not Secure');
  if (!https && name.startsWith('__Host-')) faults.push('__Host- prefixed over http');
  return faults.map((fault) => `${fault}: ${header}`);
}

async function snapshot(db: Kysely<Database>) {
  const tables = [
    'accounts',
    'identities',
    'sessions',
    'auth_flows',
    'staff_setup_tokens',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const accounts = await db
    .selectFrom('accounts')
    .select(['id', 'role', 'status', 'on_board', 'display_name'])
    .orderBy('id')
    .execute();
  // last_seen_at is left out: reading a page may note that a session is in use.
  const sessions = await db
    .selectFrom('sessions')
    .select(['id', 'account_id', 'kind', 'expires_at'])
    .orderBy('id')
    .execute();
  return { counts, accounts, sessions };
}

function multipart(form: Record<string, string>): { type: string; body: string } {
  const boundary = '----bylineForgery7MA4YWxkTrZu0gW';
  const parts = Object.entries(form).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: `${parts.join('')}--${boundary}--\r\n`,
  };
}

/** A form body as a browser would send it with each of the three enctypes a page may forge. */
function encode(kind: FormKind, form: Record<string, string>): { type: string; body: string } {
  switch (kind) {
    case 'urlencoded':
      return {
        type: 'application/x-www-form-urlencoded',
        body: new URLSearchParams(form).toString(),
      };
    case 'text/plain':
      return {
        type: 'text/plain',
        body: Object.entries(form)
          .map(([name, value]) => `${name}=${value}\r\n`)
          .join(''),
      };
    case 'multipart':
      return multipart(form);
  }
}

type FormKind = 'urlencoded' | 'text/plain' | 'multipart';
const FORM_KINDS: readonly FormKind[] = ['urlencoded', 'text/plain', 'multipart'];

type Forgery = {
  label: string;
  headers: Record<string, string>;
  kind: FormKind;
  csrf?: string;
  jar: ReadonlyMap<string, string>;
};

/**
 * The forged requests of docs/SECURITY.md, item 23: from another site (said by Sec-Fetch-Site, or
 * only by Origin as older browsers do) in each enctype a page can send without script, even
 * carrying the right token; and from this site without the token, with a wrong one, or without its
 * cookie.
 */
function forgeries(jar: ReadonlyMap<string, string>, token: string): Forgery[] {
  const list: Forgery[] = [];
  for (const kind of FORM_KINDS) {
    const forged = (label: string, headers: Record<string, string>) =>
      list.push({ label: `${label}, ${kind}`, headers, kind, csrf: token, jar });
    forged('cross-site', { 'sec-fetch-site': 'cross-site', origin: EVIL });
    forged('same-site', { 'sec-fetch-site': 'same-site', origin: EVIL });
    forged('evil Origin without Sec-Fetch-Site', { origin: EVIL });
    forged('Origin null without Sec-Fetch-Site', { origin: 'null' });
  }
  const sameOrigin = { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000' };
  const withoutCookie = new Map([...jar].filter(([name]) => name !== 'byline_csrf'));
  list.push(
    { label: 'no _csrf field', headers: sameOrigin, kind: 'urlencoded', jar },
    { label: 'a wrong _csrf', headers: sameOrigin, kind: 'urlencoded', csrf: randomToken(), jar },
    {
      label: '_csrf without its cookie',
      headers: sameOrigin,
      kind: 'urlencoded',
      csrf: token,
      jar: withoutCookie,
    },
  );
  return list;
}

function errorCode(response: LightMyRequestResponse): string {
  try {
    const parsed = JSON.parse(response.body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : '';
  } catch {
    return '(not JSON)';
  }
}

function cookieHeader(jar: ReadonlyMap<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

for (const backend of testBackends()) {
  describe(`access to every route on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let routes: Route[] = [];
    let params: Record<string, string> = {};
    const seenCookies: string[] = [];
    let accountNumber = 0;

    const keep = (response: LightMyRequestResponse): LightMyRequestResponse => {
      seenCookies.push(...setCookies(response));
      return response;
    };

    /** An account in this role state and a browser holding its session and a CSRF cookie. */
    async function browserFor(state: RoleState, ip = '203.0.113.10'): Promise<TestBrowser> {
      const browser = new TestBrowser(t.app, ip);
      browser.cookies.set('byline_csrf', randomToken());
      if (state.role === null || state.kind === null) return browser;
      accountNumber += 1;
      const account = await handle.db
        .insertInto('accounts')
        .values({
          display_name: `${state.name} 기자 ${accountNumber}`,
          role: state.role,
          on_board: state.onBoard ?? false,
          staff_email: state.role === 'reader' ? null : `staff${accountNumber}@example.com`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(t.deps, {
        accountId: account.id,
        kind: state.kind,
        method: state.kind === 'staff' ? 'password+totp' : 'email',
        userAgent: 'access.test',
        ip,
      });
      browser.cookies.set('byline_session', token);
      return browser;
    }

    /** GET, HEAD or POST a route as a browser of this site would, asking for JSON errors. */
    async function send(browser: TestBrowser, method: string, pattern: string) {
      const url = substitute(pattern, params);
      if (method === 'GET') return keep(await browser.get(url, JSON_ACCEPT));
      if (method === 'POST')
        return keep(await browser.post(url, successForm(pattern).form, JSON_ACCEPT));
      return keep(
        await t.app.inject({
          method: 'HEAD',
          url,
          remoteAddress: browser.ip,
          headers: {
            cookie: cookieHeader(browser.cookies),
            'sec-fetch-site': 'same-origin',
            ...JSON_ACCEPT,
          },
        }),
      );
    }

    /**
     * Every route of the app with its declared access: the printed tree gives method and
     * pattern, and one anonymous request to each reads the access the router attached to it
     * (recorded by the onResponse hook installed here).
     */
    async function probe(app: FastifyInstance): Promise<Route[]> {
      const declared = new Map<string, Access>();
      app.addHook('onResponse', (request, _reply, done) => {
        const { url, config } = request.routeOptions;
        if (url !== undefined && config.access !== undefined)
          declared.set(`${request.method} ${url}`, config.access);
        done();
      });
      await app.ready();
      const found: Route[] = [];
      for (const { method, url } of routesOfTree(app.printRoutes({ commonPrefix: false }))) {
        assert.match(url, /^\/[^|\s]*$/, 'a route pattern read from the printed tree');
        await send(await browserFor(ANONYMOUS), method, url);
        const access = declared.get(`${method} ${url}`);
        assert.ok(access !== undefined, `${method} ${url} answered through its own route`);
        found.push({ method, url, access });
      }
      return found;
    }

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle);
      const target = await handle.db
        .insertInto('accounts')
        .values({ display_name: '다른 독자' })
        .returning('id')
        .executeTakeFirstOrThrow();
      params = {
        provider: 'oidc',
        token: 'x'.repeat(43),
        id: target.id,
        year: '2026',
        month: '11',
        day: '30',
        section: 'news',
        slug: 'x',
        version: '1',
        // No such article or comment: the guard answers before the handler looks, and the live
        // stream (which never ends) is not opened. comments.routes.test.ts tests the handlers.
        articleId: '999999',
        commentId: '999999',
        queue: 'pending',
        key: 'terms',
        number: '1',
      };
      routes = await probe(t.app);
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    it('declares access on every route, exactly as the table expects', () => {
      const urls = new Set(routes.map((r) => r.url));
      for (const url of ['/account', '/staff', '/admin/accounts', '/logout'])
        assert.ok(urls.has(url), `${url} is registered`);
      const normalise = (access: Access) =>
        typeof access === 'string' ? access : [...access].sort().join('|');
      const actual = Object.fromEntries(
        routes.map((r) => [`${r.method} ${r.url}`, normalise(r.access)]),
      );
      const expected = Object.fromEntries(
        Object.entries(expectedAccess()).map(([key, access]) => [key, normalise(access)]),
      );
      assert.deepEqual(actual, expected);
    });

    it('lets each of 8 role states use exactly the routes its role allows', async (ctx) => {
      const unexpectedSuccess: string[] = [];
      const wrongRefusal: string[] = [];
      const refusedAllowed: string[] = [];
      const status = new Map<string, number>();
      let requests = 0;
      for (const route of routes) {
        const url = substitute(route.url, params);
        for (const [i, state] of ROLE_STATES.entries()) {
          const response = await send(
            await browserFor(state, `198.51.100.${i + 1}`),
            route.method,
            route.url,
          );
          requests += 1;
          const code = response.statusCode;
          const line = `${route.method} ${url} as ${state.name}: ${code}`;
          status.set(`${state.name} ${route.method} ${url}`, code);
          if (allowed(route.access, state)) {
            if (code === 401 || code === 403) refusedAllowed.push(line);
            const succeeds = route.method === 'POST' && successForm(route.url).succeeds;
            if (succeeds && route.access !== 'public' && code !== 303)
              refusedAllowed.push(`${line} (expected 303)`);
          } else {
            const success = code >= 200 && code < (route.method === 'POST' ? 400 : 300);
            if (success) unexpectedSuccess.push(line);
            else if (code !== (state.role === null ? 401 : 403)) wrongRefusal.push(line);
          }
        }
      }
      ctx.diagnostic(
        `${routes.length} routes × ${ROLE_STATES.length} role states = ${requests} requests; ` +
          `${unexpectedSuccess.length} unexpected successes`,
      );
      assert.deepEqual(unexpectedSuccess, []);
      assert.deepEqual(wrongRefusal, []);
      assert.deepEqual(refusedAllowed, []);
      // A few cells read out, so the table above cannot pass by refusing everyone.
      assert.equal(status.get('admin GET /admin/accounts'), 200);
      assert.equal(status.get('admin GET /ko/admin/accounts'), 200);
      assert.equal(status.get('moderator GET /staff'), 200);
      assert.equal(status.get('reader GET /account'), 200);
      assert.equal(status.get('reporter GET /admin/accounts'), 403);
      assert.equal(status.get('admin on a reader session GET /staff'), 403);
      assert.equal(status.get('anonymous GET /account/data'), 401);
      // The standards board: moderators and admins, and an editor only once seated on it.
      assert.equal(status.get('moderator GET /moderation/queue/pending'), 200);
      assert.equal(status.get('admin GET /ko/moderation/queue/pending'), 200);
      assert.equal(status.get('editor on the board GET /moderation/queue/pending'), 200);
      assert.equal(status.get('editor GET /moderation/queue/pending'), 403);
      assert.equal(status.get('reporter GET /moderation/queue/pending'), 403);
      assert.equal(status.get('reader GET /moderation/queue/pending'), 403);
      assert.equal(status.get('admin on a reader session GET /moderation/queue/pending'), 403);
      // A moderator decides on comments and readers, never on articles or the site's settings.
      assert.equal(status.get('moderator GET /staff/comments'), 403);
      const articleSettings = substitute('/staff/comments/articles/:id', params);
      assert.equal(status.get(`moderator POST ${articleSettings}`), 403);
      assert.equal(status.get('moderator GET /admin/accounts'), 403);
      assert.equal(status.get('moderator GET /admin/moderation/words'), 403);
      assert.equal(status.get('moderator GET /admin/policy'), 403);
      // A seat on the board adds the board's routes and takes nothing away, nor gives an admin's.
      assert.equal(status.get('editor on the board GET /staff/comments'), 200);
      assert.equal(status.get('editor on the board GET /admin/moderation/words'), 403);
      assert.equal(status.get('admin GET /admin/moderation/words'), 200);
      assert.equal(status.get('anonymous GET /transparency'), 200);
      assert.equal(status.get('anonymous GET /ko/privacy'), 200);
      assert.equal(status.get('admin GET /admin/pages/terms'), 200);
      assert.equal(status.get('editor GET /admin/pages/terms'), 403);
    });

    it('refuses forged and tokenless forms on every POST route with 403 and changes nothing', async (ctx) => {
      const admin = await browserFor(ADMIN_STAFF);
      const token = admin.cookie('byline_csrf') ?? assert.fail('a CSRF cookie');
      const ownSession = await handle.db
        .selectFrom('sessions')
        .select('id')
        .where('token_hash', '=', tokenDigest(admin.cookie('byline_session') ?? ''))
        .executeTakeFirstOrThrow();
      // The target has a role, a status, a seat and a session that a forged form would change.
      const targetId = params['id'] ?? assert.fail('a target account');
      await handle.db
        .updateTable('accounts')
        .set({ role: 'reader', status: 'active', on_board: false })
        .where('id', '=', targetId)
        .execute();
      await createSession(t.deps, {
        accountId: targetId,
        kind: 'reader',
        method: 'email',
        userAgent: 'access.test',
        ip: '192.0.2.99',
      });
      const posts = routes.filter((r) => r.method === 'POST');
      assert.ok(posts.length > 0);
      const before = await snapshot(handle.db);

      const refused: string[] = [];
      let requests = 0;
      for (const route of posts) {
        const url = substitute(route.url, params);
        const form = {
          ...successForm(route.url).form,
          ...(url === '/account/sessions/end' ? { session: ownSession.id } : {}),
        };
        for (const attempt of forgeries(admin.cookies, token)) {
          const fields = attempt.csrf === undefined ? form : { _csrf: attempt.csrf, ...form };
          const { type, body } = encode(attempt.kind, fields);
          const response = keep(
            await t.app.inject({
              method: 'POST',
              url,
              remoteAddress: admin.ip,
              headers: {
                cookie: cookieHeader(attempt.jar),
                'content-type': type,
                ...JSON_ACCEPT,
                ...attempt.headers,
              },
              payload: body,
            }),
          );
          requests += 1;
          const code = errorCode(response);
          if (response.statusCode !== 403 || code !== 'CSRF_REJECTED')
            refused.push(`${attempt.label} to ${url}: ${response.statusCode} ${code}`);
        }
      }
      ctx.diagnostic(`${posts.length} POST routes × 15 forgeries = ${requests} requests`);
      assert.ok(requests >= posts.length * 15);
      assert.deepEqual(refused, []);
      assert.deepEqual(await snapshot(handle.db), before);

      // The same forms sent as this site's own pages send them do get through: the 403s above came
      // from the forgery checks, not from forms that would have failed anyway.
      for (const route of posts) {
        const url = substitute(route.url, params);
        const browser = await browserFor(ADMIN_STAFF);
        const response = keep(await browser.post(url, successForm(route.url).form, JSON_ACCEPT));
        assert.notEqual(response.statusCode, 403, `${url}: ${response.body}`);
      }
      const target = await handle.db
        .selectFrom('accounts')
        .select(['role', 'status', 'on_board'])
        .where('id', '=', targetId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(target, { role: 'editor', status: 'suspended', on_board: true });
    });

    it('changes nothing on GET, for any role state', async (ctx) => {
      const browsers = [];
      for (const [i, state] of ROLE_STATES.entries())
        browsers.push(await browserFor(state, `192.0.2.${i + 1}`));
      const before = await snapshot(handle.db);
      let requests = 0;
      for (const route of routes.filter((r) => r.method === 'GET'))
        for (const browser of browsers) {
          // As a browser navigates: HTML, so refusals are redirects to the login pages.
          keep(await browser.get(substitute(route.url, params)));
          requests += 1;
        }
      ctx.diagnostic(`${requests} GET requests as ${browsers.length} role states`);
      assert.ok(requests > 0);
      assert.deepEqual(await snapshot(handle.db), before);
    });

    it('sets every cookie HttpOnly, Path=/ and SameSite, without __Host- over http', () => {
      assert.ok(seenCookies.length > 0, 'the crawl above saw cookies');
      const faults = new Set(seenCookies.flatMap((header) => cookieFaults(header, false)));
      assert.deepEqual([...faults], []);
    });

    it('on https, sets and clears its cookies as __Host-, Secure, Path=/ and with no Domain', async () => {
      const secure = await testApp(handle, { env: { BYLINE_PUBLIC_URL: 'https://news.example' } });
      try {
        const seen: string[] = [];
        const record = (response: LightMyRequestResponse) => {
          seen.push(...setCookies(response));
          return response;
        };
        const browser = new TestBrowser(secure.app);
        record(await browser.get('/login'));
        const email = 'https.reader@example.com';
        assert.equal(
          record(await browser.post('/login/email', { email, returnTo: '/' })).statusCode,
          303,
        );
        const code = secure.mailer.lastCode(email);
        assert.equal(record(await browser.post('/login/email/code', { code })).statusCode, 303);
        assert.equal(record(await browser.post('/logout')).statusCode, 303);
        // A session cookie the server no longer knows is cleared on the next request.
        record(
          await new TestBrowser(secure.app).get('/', {
            cookie: `__Host-byline_session=${randomToken()}`,
          }),
        );

        const names = new Set(seen.map((header) => parseSetCookie(header).name));
        for (const name of ['__Host-byline_session', '__Host-byline_csrf', '__Host-byline_flow'])
          assert.ok(names.has(name), `${name} was set`);
        // Clearing counts too: a browser ignores a __Host- Set-Cookie that is not Secure.
        assert.ok(seen.some((header) => header.startsWith('__Host-byline_session=;')));
        assert.deepEqual(
          seen.flatMap((header) => cookieFaults(header, true)),
          [],
        );
      } finally {
        await secure.app.close();
      }
    });
  });
}
