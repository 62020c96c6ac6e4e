import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { addStaffAccount, issueSetupLink } from './staff.service.js';
import { setAccountStatus, setRole } from './accounts.service.js';
import { TestBrowser, testApp, type TestApp } from './accounts.testing.js';
import { SESSION_LIFETIMES, createSession, validateSession } from './sessions.js';

/** docs/SECURITY.md, items 1–6: tokens, fixation, logout, expiry, suspension, cookies. */

for (const backend of testBackends()) {
  describe(`sessions on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle);
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });
    beforeEach(async () => {
      await sql`truncate accounts, identities, sessions, auth_flows, rate_limits restart identity cascade`.execute(
        handle.db,
      );
    });

    /** A JSON request to a reader-only address: 200 with a live session, 401 without. */
    async function whoAmI(browser: TestBrowser): Promise<number> {
      return (await browser.get('/account/data', { accept: 'application/json' })).statusCode;
    }

    async function newAccount(role: 'reader' | 'admin' = 'reader'): Promise<string> {
      const row = await handle.db
        .insertInto('accounts')
        .values({ display_name: 'Someone', avatar_url: null, role, created_at: t.clock.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    }

    it('makes unique 256-bit tokens and keeps only their digests', async () => {
      const accountId = await newAccount();
      const tokens = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const { token } = await createSession(t.deps, {
          accountId,
          kind: 'reader',
          method: 'test',
          userAgent: '',
          ip: '',
        });
        assert.match(token, /^[A-Za-z0-9_-]{43}$/);
        tokens.add(token);
      }
      assert.equal(tokens.size, 200);
      const stored = await handle.db.selectFrom('sessions').select('token_hash').execute();
      for (const row of stored) assert.ok(!tokens.has(row.token_hash));
    });

    it('starts a new session at login and kills the one the browser had (no fixation)', async () => {
      const browser = new TestBrowser(t.app);
      await browser.loginByEmail(t.mailer, 'first@example.com');
      const before = browser.cookie('byline_session');
      assert.ok(before);
      assert.equal(await whoAmI(browser), 200);
      await browser.loginByEmail(t.mailer, 'second@example.com');
      const afterLogin = browser.cookie('byline_session');
      assert.ok(afterLogin && afterLogin !== before);
      const replay = new TestBrowser(t.app);
      replay.cookies.set('byline_session', before);
      assert.equal(await whoAmI(replay), 401);
      assert.equal(await validateSession(t.deps, before), null);
    });

    it('ends the session on the server at logout', async () => {
      const browser = new TestBrowser(t.app);
      await browser.loginByEmail(t.mailer, 'reader@example.com');
      const token = browser.cookie('byline_session');
      assert.ok(token);
      const out = await browser.post('/logout', { returnTo: '/policy' });
      assert.equal(out.statusCode, 303);
      assert.equal(out.headers.location, '/policy');
      const replay = new TestBrowser(t.app);
      replay.cookies.set('byline_session', token);
      assert.equal(await whoAmI(replay), 401);
    });

    it('ends every session of a suspended account, and of one whose role changes', async () => {
      const accountId = await newAccount();
      const browsers = await Promise.all(
        [1, 2, 3].map(async () => {
          const { token } = await createSession(t.deps, {
            accountId,
            kind: 'reader',
            method: 'test',
            userAgent: '',
            ip: '',
          });
          const browser = new TestBrowser(t.app);
          browser.cookies.set('byline_session', token);
          return browser;
        }),
      );
      for (const browser of browsers) assert.equal(await whoAmI(browser), 200);
      await setAccountStatus(t.deps, accountId, 'suspended');
      for (const browser of browsers) assert.equal(await whoAmI(browser), 401);

      await setAccountStatus(t.deps, accountId, 'active');
      const { token } = await createSession(t.deps, {
        accountId,
        kind: 'reader',
        method: 'test',
        userAgent: '',
        ip: '',
      });
      await setRole(t.deps, accountId, 'moderator');
      assert.equal(await validateSession(t.deps, token), null);
    });

    it('expires reader and staff sessions when idle and at their absolute end', async () => {
      const accountId = await newAccount('admin');
      const open = async (kind: 'reader' | 'staff') =>
        (await createSession(t.deps, { accountId, kind, method: 'test', userAgent: '', ip: '' }))
          .token;

      const staff = await open('staff');
      t.clock.advance(SESSION_LIFETIMES.staff.idleSeconds - 5);
      assert.ok(await validateSession(t.deps, staff), 'used just before the idle limit');
      t.clock.advance(SESSION_LIFETIMES.staff.idleSeconds);
      assert.equal(await validateSession(t.deps, staff), null, 'idle 30 minutes');

      const busyStaff = await open('staff');
      const step = SESSION_LIFETIMES.staff.idleSeconds / 2;
      for (let used = 0; used < SESSION_LIFETIMES.staff.absoluteSeconds - step; used += step) {
        t.clock.advance(step);
        assert.ok(await validateSession(t.deps, busyStaff), `alive after ${used + step} s`);
      }
      t.clock.advance(step);
      assert.equal(await validateSession(t.deps, busyStaff), null, '12 hours absolute');

      const reader = await open('reader');
      t.clock.advance(SESSION_LIFETIMES.reader.idleSeconds + 1);
      assert.equal(await validateSession(t.deps, reader), null, 'reader idle 7 days');

      const browser = new TestBrowser(t.app);
      browser.cookies.set('byline_session', await open('reader'));
      t.clock.advance(SESSION_LIFETIMES.reader.absoluteSeconds + 1);
      assert.equal(await whoAmI(browser), 401);
    });

    it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, and never in the address', async () => {
      const browser = new TestBrowser(t.app);
      const res = await browser.loginByEmail(t.mailer, 'cookie@example.com');
      const cookie = res.cookies.find((c) => c.name === 'byline_session');
      assert.ok(cookie);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.ok(!String(res.headers.location).includes(cookie.value));
    });

    it('uses __Host- Secure cookies when the site is served over HTTPS', async () => {
      const https = await testApp(handle, { env: { BYLINE_PUBLIC_URL: 'https://news.example' } });
      try {
        const browser = new TestBrowser(https.app);
        await browser.post(
          '/login/email',
          { email: 'tls@example.com' },
          { origin: 'https://news.example' },
        );
        const res = await browser.post(
          '/login/email/code',
          { code: https.mailer.lastCode('tls@example.com') },
          { origin: 'https://news.example' },
        );
        const cookie = res.cookies.find((c) => c.name === '__Host-byline_session');
        assert.ok(cookie, 'session cookie is __Host- prefixed');
        assert.equal(cookie.secure, true);
        assert.equal(cookie.path, '/');
        assert.equal(cookie.domain, undefined);
      } finally {
        await https.app.close();
      }
    });

    it('lists a reader’s sessions and ends one of them, never another reader’s', async () => {
      const alice = new TestBrowser(t.app);
      await alice.loginByEmail(t.mailer, 'alice@example.com');
      const aliceElsewhere = new TestBrowser(t.app);
      await aliceElsewhere.loginByEmail(t.mailer, 'alice@example.com');
      const bob = new TestBrowser(t.app);
      await bob.loginByEmail(t.mailer, 'bob@example.com');
      const sessions = await handle.db
        .selectFrom('sessions')
        .innerJoin('identities', 'identities.account_id', 'sessions.account_id')
        .select(['sessions.id', 'identities.subject'])
        .orderBy('sessions.id')
        .execute();
      const bobSession = sessions.find((s) => s.subject === 'bob@example.com');
      // Alice logged in here first, so her other browser holds the later session.
      const aliceOther = sessions.filter((s) => s.subject === 'alice@example.com').at(-1);
      assert.ok(bobSession && aliceOther);
      const page = await alice.get('/account');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /this browser/);

      await alice.post('/account/sessions/end', { session: bobSession.id });
      assert.equal(await whoAmI(bob), 200, 'another reader’s session is untouched');
      await alice.post('/account/sessions/end', { session: aliceOther.id });
      assert.equal(await whoAmI(aliceElsewhere), 401);
      assert.equal(await whoAmI(alice), 200);
    });

    it('downloads a reader’s data and deletes the account for good', async () => {
      const browser = new TestBrowser(t.app);
      await browser.loginByEmail(t.mailer, 'leaving@example.com');
      await browser.post('/account/name', { displayName: 'Leaving Reader' });
      const data = await browser.get('/account/data');
      assert.equal(data.statusCode, 200);
      assert.match(String(data.headers['content-disposition']), /attachment/);
      const parsed = JSON.parse(data.body) as {
        account: { displayName: string };
        identities: { provider: string; subject: string }[];
      };
      assert.equal(parsed.account.displayName, 'Leaving Reader');
      assert.deepEqual(
        parsed.identities.map((i) => [i.provider, i.subject]),
        [['email', 'leaving@example.com']],
      );

      // Unticked: the account page again with the reason beside the box, and nothing deleted.
      const unconfirmed = await browser.post('/account/delete', {});
      assert.equal(unconfirmed.statusCode, 422, 'not confirmed');
      assert.match(unconfirmed.body, /<h1>Your account<\/h1>/);
      assert.match(
        unconfirmed.body,
        /id="delete-confirm-error" class="field-error" role="alert">Tick the box/,
      );
      assert.match(unconfirmed.body, /aria-describedby="delete-confirm-error"/);
      const koUnconfirmed = await browser.post('/ko/account/delete', {});
      assert.equal(koUnconfirmed.statusCode, 422);
      assert.match(koUnconfirmed.body, /계정은 삭제되지 않았습니다/);
      assert.equal(await whoAmI(browser), 200, 'still logged in, the account kept');
      const deleted = await browser.post('/account/delete', { confirm: 'yes' });
      assert.equal(deleted.statusCode, 303);
      assert.equal(await whoAmI(browser), 401);
      const account = await handle.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
      assert.equal(account.status, 'deleted');
      assert.equal(account.display_name, null);
      const identities = await handle.db.selectFrom('identities').selectAll().execute();
      assert.equal(identities.length, 0);
      // The same address may come back later as a new, separate reader.
      await browser.loginByEmail(t.mailer, 'leaving@example.com');
      assert.equal(await whoAmI(browser), 200);
    });

    it('writes no token, code or set-up secret to the logs', async () => {
      const text: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          text.push(chunk.toString());
          callback();
        },
      });
      const logged = await testApp(handle, { app: { log: pino({ level: 'trace' }, stream) } });
      try {
        const browser = new TestBrowser(logged.app);
        await browser.loginByEmail(logged.mailer, 'quiet@example.com');
        const code = logged.mailer.lastCode('quiet@example.com');
        const token = browser.cookie('byline_session') ?? '';
        await browser.get('/account');
        await browser.post('/logout', {});
        const { accountId } = await addStaffAccount(logged.deps, {
          email: 'quiet.staff@example.com',
          role: 'editor',
        });
        const link = new URL(await issueSetupLink(logged.deps, accountId, 'http://localhost:3000'));
        await browser.get(link.pathname);
        await browser.get('/auth/oidc/callback?code=secret-code&state=secret-state');
        const log = text.join('');
        assert.match(log, /logged in/, 'logins are logged');
        assert.match(log, /logged out/, 'logouts are logged');
        assert.ok(token.length >= 43);
        for (const secret of [token, code, link.pathname.split('/').at(-1) ?? '', 'secret-code'])
          assert.ok(!log.includes(secret), `the log does not contain ${secret.slice(0, 4)}…`);
      } finally {
        await logged.app.close();
      }
    });

    it('takes only the fields a form is for: no role, status or account from a reader', async () => {
      const browser = new TestBrowser(t.app);
      await browser.loginByEmail(t.mailer, 'sneaky@example.com');
      const res = await browser.post('/account/name', {
        displayName: 'Sneaky',
        role: 'admin',
        status: 'active',
        id: '999',
        account_id: '1',
      });
      assert.equal(res.statusCode, 303);
      const account = await handle.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
      assert.equal(account.display_name, 'Sneaky');
      assert.equal(account.role, 'reader');
    });

    it('asks for a fresh login before deleting an account with an old session', async () => {
      const browser = new TestBrowser(t.app);
      await browser.loginByEmail(t.mailer, 'old@example.com');
      t.clock.advance(6 * 60);
      const res = await browser.post('/account/delete', { confirm: 'yes' });
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /^\/login\?reauth=1/);
      assert.equal(await whoAmI(browser), 200);
    });
  });
}
