import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { sql } from 'kysely';
import { TestBrowser, testApp, testClock, type TestApp } from './accounts.testing.js';
import { createSession } from './sessions.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { totpCodeAt } from './credentials/totp.js';
import { STAFF_SIGNIN_LIMITS, addStaffAccount, issueSetupLink } from './staff.service.js';
import { messages } from '../features.js';

/** docs/SECURITY.md, items 8–12, 25–26: staff set-up, sign-in with two factors, and its limits. */

const PASSWORD = '기사는 사실로 말하고 댓글은 원칙으로 지킨다';

for (const backend of testBackends()) {
  describe(`staff sign-in on ${backend.name}`, () => {
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
      await sql`truncate accounts, identities, sessions, auth_flows, rate_limits, staff_setup_tokens, staff_devices restart identity cascade`.execute(
        handle.db,
      );
    });

    /** Creates a staff account and sets it up through its one-time link, as its owner would. */
    async function setUpStaff(
      email: string,
      role: 'admin' | 'moderator' = 'admin',
    ): Promise<{ accountId: string; secret: Uint8Array }> {
      const { accountId } = await addStaffAccount(t.deps, { email, role, displayName: 'Staff' });
      const link = new URL(await issueSetupLink(t.deps, accountId, 'http://localhost:3000'));
      const browser = new TestBrowser(t.app);
      const page = await browser.get(link.pathname);
      assert.equal(page.statusCode, 200);
      const text = /class="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1];
      assert.ok(text, 'the set-up page shows the authenticator key');
      const secret = decodeBase32IgnorePadding(text.replaceAll(' ', ''));
      const done = await browser.post(link.pathname, {
        password: PASSWORD,
        passwordAgain: PASSWORD,
        code: totpCodeAt(secret, t.clock.now),
      });
      assert.equal(done.statusCode, 303, done.body);
      // The link works once.
      assert.equal((await browser.get(link.pathname)).statusCode, 410);
      t.clock.advance(30);
      return { accountId, secret };
    }

    function signIn(browser: TestBrowser, email: string, password: string, code: string) {
      return browser.post('/staff/login', { email, password, code, returnTo: '/staff' });
    }

    it('sets up with a one-time link, then signs in with password and TOTP', async () => {
      const { secret } = await setUpStaff('editor@example.com');
      const browser = new TestBrowser(t.app);
      const res = await signIn(
        browser,
        'Editor@Example.com',
        PASSWORD,
        totpCodeAt(secret, t.clock.now),
      );
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/staff');
      const cookie = res.cookies.find((c) => c.name === 'byline_session');
      assert.equal(cookie?.sameSite, 'Strict', 'staff cookies are SameSite=Strict');
      assert.equal((await browser.get('/staff')).statusCode, 200);
      assert.equal((await browser.get('/admin/accounts')).statusCode, 200);
      const row = await handle.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
      assert.match(row.password_hash ?? '', /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    });

    it('refuses a wrong password, a wrong code and a replayed code alike', async () => {
      const { secret } = await setUpStaff('admin@example.com');
      const browser = new TestBrowser(t.app);
      const code = totpCodeAt(secret, t.clock.now);
      const wrongPassword = await signIn(browser, 'admin@example.com', `${PASSWORD}!`, code);
      const wrongCode = await signIn(
        browser,
        'admin@example.com',
        PASSWORD,
        code === '000000' ? '111111' : '000000',
      );
      const noAccount = await signIn(browser, 'nobody@example.com', PASSWORD, code);
      for (const res of [wrongPassword, wrongCode, noAccount]) {
        assert.equal(res.statusCode, 400);
        assert.match(res.body, /The address, password or code is not right/);
      }
      assert.equal((await signIn(browser, 'admin@example.com', PASSWORD, code)).statusCode, 303);
      const again = new TestBrowser(t.app);
      assert.equal(
        (await signIn(again, 'admin@example.com', PASSWORD, code)).statusCode,
        400,
        'the same code does not work twice',
      );
    });

    it('says set-up is complete, and to wait for the next code when the set-up code is sent again', async () => {
      for (const [prefix, language] of [
        ['', 'en'],
        ['/ko', 'ko'],
      ] as const) {
        await sql`truncate accounts, staff_setup_tokens, rate_limits restart identity cascade`.execute(
          handle.db,
        );
        const t9n = messages(language);
        const { accountId } = await addStaffAccount(t.deps, {
          email: 'new@example.com',
          role: 'editor',
        });
        const link = new URL(await issueSetupLink(t.deps, accountId, 'http://localhost:3000'));
        const browser = new TestBrowser(t.app);
        const page = await browser.get(`${prefix}${link.pathname}`);
        const text = /class="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1] ?? '';
        const secret = decodeBase32IgnorePadding(text.replaceAll(' ', ''));
        const code = totpCodeAt(secret, t.clock.now);
        const done = await browser.post(`${prefix}${link.pathname}`, {
          password: PASSWORD,
          passwordAgain: PASSWORD,
          code,
        });
        assert.equal(done.statusCode, 303);
        const location = done.headers.location ?? '';
        assert.equal(location, `${prefix}/staff/login?setup=done`);
        const login = await browser.get(location);
        assert.ok(login.body.includes(t9n.staffSetupDone), `${language}: set-up is complete`);
        // Within the same 30 seconds the authenticator still shows the code set-up just spent.
        const spent = await browser.post(`${prefix}/staff/login`, {
          email: 'new@example.com',
          password: PASSWORD,
          code,
          returnTo: `${prefix}/staff`,
        });
        assert.equal(spent.statusCode, 400);
        assert.ok(spent.body.includes(t9n.staffCodeUsed), `${language}: wait for the next code`);
        assert.ok(!spent.body.includes(t9n.staffSignInFailed));
        // A wrong password with the same spent code tells nothing about the code.
        const wrong = await browser.post(`${prefix}/staff/login`, {
          email: 'new@example.com',
          password: `${PASSWORD}!`,
          code,
          returnTo: `${prefix}/staff`,
        });
        assert.ok(wrong.body.includes(t9n.staffSignInFailed));
        assert.ok(!wrong.body.includes(t9n.staffCodeUsed));
        t.clock.advance(30);
        const next = await browser.post(`${prefix}/staff/login`, {
          email: 'new@example.com',
          password: PASSWORD,
          code: totpCodeAt(secret, t.clock.now),
          returnTo: `${prefix}/staff`,
        });
        assert.equal(next.statusCode, 303);
      }
    });

    it('refuses a common or too short password at set-up and keeps the link usable', async () => {
      const { accountId } = await addStaffAccount(t.deps, {
        email: 'new@example.com',
        role: 'moderator',
      });
      const link = new URL(await issueSetupLink(t.deps, accountId, 'http://localhost:3000'));
      const browser = new TestBrowser(t.app);
      const page = await browser.get(link.pathname);
      const text = /class="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1] ?? '';
      const code = totpCodeAt(decodeBase32IgnorePadding(text.replaceAll(' ', '')), t.clock.now);
      for (const password of ['password123', 'short']) {
        const res = await browser.post(link.pathname, { password, passwordAgain: password, code });
        assert.equal(res.statusCode, 400, password);
      }
      const hangul = '가'.repeat(64);
      const ok = await browser.post(link.pathname, {
        password: hangul,
        passwordAgain: hangul,
        code,
      });
      assert.equal(ok.statusCode, 303, 'a 64-character Hangul password is accepted');
    });

    it('gives staff pages to staff sessions only, not to a staff account’s reader session', async () => {
      const { accountId } = await setUpStaff('mod@example.com', 'moderator');
      const { token } = await createSession(t.deps, {
        accountId,
        kind: 'reader',
        method: 'email',
        userAgent: '',
        ip: '',
      });
      const browser = new TestBrowser(t.app);
      browser.cookies.set('byline_session', token);
      const res = await browser.get('/staff');
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /^\/staff\/login/);
      assert.equal((await browser.get('/staff', { accept: 'application/json' })).statusCode, 403);
    });

    it('limits sign-in attempts per account, across addresses and across app processes', async () => {
      const { secret } = await setUpStaff('target@example.com');
      // The owner signed in once from their own browser, which is known from then on.
      const owner = new TestBrowser(t.app, '198.51.100.7');
      assert.equal(
        (await signIn(owner, 'target@example.com', PASSWORD, totpCodeAt(secret, t.clock.now)))
          .statusCode,
        303,
      );
      assert.ok(owner.cookie('byline_device'), 'a device cookie is set at sign-in');
      // Later, in a fresh window (that sign-in was counted in the window it happened in).
      t.clock.advance(STAFF_SIGNIN_LIMITS.perAccount.windowSeconds);
      // A second app on the same database: another process behind the same load balancer.
      const other = await testApp(handle, { clock: t.clock });
      try {
        const { max } = STAFF_SIGNIN_LIMITS.perAccount;
        let accepted = 0;
        for (let i = 0; i < 2 * max; i++) {
          const app = i % 2 === 0 ? t.app : other.app;
          const browser = new TestBrowser(app, `192.0.2.${i + 1}`);
          const res = await signIn(browser, 'target@example.com', `wrong ${i} password`, '123456');
          if (res.statusCode === 429) assert.ok(Number(res.headers['retry-after']) > 0);
          else accepted += 1;
        }
        assert.equal(accepted, max, 'attempts past the limit are refused before checking');
        // An unknown browser is refused even with the right password until the window ends…
        const stranger = new TestBrowser(t.app, '198.51.100.8');
        const code = totpCodeAt(secret, t.clock.now);
        assert.equal(
          (await signIn(stranger, 'target@example.com', PASSWORD, code)).statusCode,
          429,
        );
        // …but the owner's own browser, from a new address, is not locked out.
        const travelling = new TestBrowser(t.app, '203.0.113.77');
        for (const [name, value] of owner.cookies)
          if (name === 'byline_device') travelling.cookies.set(name, value);
        assert.equal(
          (await signIn(travelling, 'target@example.com', PASSWORD, code)).statusCode,
          303,
        );
        t.clock.advance(STAFF_SIGNIN_LIMITS.perAccount.windowSeconds);
        const later = await signIn(
          stranger,
          'target@example.com',
          PASSWORD,
          totpCodeAt(secret, t.clock.now),
        );
        assert.equal(later.statusCode, 303, 'after the window, any browser may try again');
      } finally {
        await other.app.close();
      }
    });

    it('lets an admin suspend a reader and end their sessions, all of them at once', async () => {
      const { secret } = await setUpStaff('boss@example.com');
      const admin = new TestBrowser(t.app);
      await signIn(admin, 'boss@example.com', PASSWORD, totpCodeAt(secret, t.clock.now));
      const readers = [new TestBrowser(t.app), new TestBrowser(t.app)];
      for (const reader of readers) await reader.loginByEmail(t.mailer, 'troll@example.com');
      const live = async () =>
        Promise.all(
          readers.map(
            async (r) => (await r.get('/account/data', { accept: 'application/json' })).statusCode,
          ),
        );
      assert.deepEqual(await live(), [200, 200]);
      const identity = await handle.db
        .selectFrom('identities')
        .select('account_id')
        .where('subject', '=', 'troll@example.com')
        .executeTakeFirstOrThrow();
      const ended = await admin.post(`/admin/accounts/${identity.account_id}/sessions/end`);
      assert.equal(ended.statusCode, 303);
      assert.deepEqual(await live(), [401, 401]);
      await readers[0]?.loginByEmail(t.mailer, 'troll@example.com');
      const suspended = await admin.post(`/admin/accounts/${identity.account_id}/status`, {
        status: 'suspended',
      });
      assert.equal(suspended.statusCode, 303);
      assert.deepEqual(await live(), [401, 401]);
      // A suspended reader cannot log in again.
      const again = await new TestBrowser(t.app).loginByEmail(t.mailer, 'troll@example.com');
      assert.equal(again.statusCode, 403);
    });

    for (const [what, value] of [
      ['role', 'reader'],
      ['status', 'suspended'],
      ['board', 'on'],
    ] as const)
      it(`refuses an admin changing their own ${what} with the accounts page, the reason in their row`, async () => {
        const { accountId, secret } = await setUpStaff('self@example.com');
        const admin = new TestBrowser(t.app);
        await signIn(admin, 'self@example.com', PASSWORD, totpCodeAt(secret, t.clock.now));
        const before = await handle.db
          .selectFrom('accounts')
          .select(['role', 'status', 'on_board'])
          .where('id', '=', accountId)
          .executeTakeFirstOrThrow();

        const res = await admin.post(`/ko/admin/accounts/${accountId}/${what}`, { [what]: value });
        assert.equal(res.statusCode, 409, res.body.slice(0, 500));
        assert.match(res.body, /<html lang="ko"/);
        assert.match(res.body, /<table class="admin-accounts">/);
        // The reason sits in the admin's own row, the one the change was for.
        const row = /<tr>(?:(?!<\/tr>)[^])*self@example\.com(?:(?!<\/tr>)[^])*<\/tr>/.exec(
          res.body,
        );
        assert.ok(row, 'the admin’s row is on the page');
        assert.match(
          row[0],
          new RegExp(`<p id="account-${accountId}-error" class="field-error" role="alert">`),
        );
        assert.match(row[0], new RegExp(messages('ko').errorMessage.ACCOUNT_OWN_CHANGE));
        assert.deepEqual(
          await handle.db
            .selectFrom('accounts')
            .select(['role', 'status', 'on_board'])
            .where('id', '=', accountId)
            .executeTakeFirstOrThrow(),
          before,
        );

        const json = await admin.post(
          `/admin/accounts/${accountId}/${what}`,
          { [what]: value },
          { accept: 'application/json' },
        );
        assert.equal(json.statusCode, 409);
        const body = json.json<{ error: { code: string; message: string } }>();
        assert.equal(body.error.code, 'ACCOUNT_OWN_CHANGE');
        assert.equal(typeof body.error.message, 'string');
      });

    it('counts per client address, and a forged X-Forwarded-For does not reset it', async () => {
      const { max } = STAFF_SIGNIN_LIMITS.perClient;
      const browser = new TestBrowser(t.app, '203.0.113.99');
      let accepted = 0;
      for (let i = 0; i < max + 5; i++) {
        const res = await browser.post(
          '/staff/login',
          { email: `nobody${i}@example.com`, password: 'whatever password', code: '123456' },
          { 'x-forwarded-for': `10.0.${i}.1` },
        );
        if (res.statusCode !== 429) accepted += 1;
      }
      assert.equal(accepted, max);
    });

    it('believes X-Forwarded-For only from the configured proxy', async () => {
      const clock = testClock();
      const proxied = await testApp(handle, { env: { BYLINE_TRUSTED_PROXY: '127.0.0.1' }, clock });
      try {
        const { max } = STAFF_SIGNIN_LIMITS.perClient;
        // Through the proxy, each reader is counted by the address the proxy saw.
        for (let i = 0; i < max + 5; i++) {
          const res = await new TestBrowser(proxied.app, '127.0.0.1').post(
            '/staff/login',
            { email: 'nobody@example.com', password: 'whatever password', code: '123456' },
            { 'x-forwarded-for': `198.51.100.${i + 1}` },
          );
          assert.equal(res.statusCode, 400);
        }
        // Not through the proxy: the header is ignored and the socket's address counts.
        let accepted = 0;
        for (let i = 0; i < max + 5; i++) {
          const res = await new TestBrowser(proxied.app, '203.0.113.50').post(
            '/staff/login',
            { email: 'nobody@example.com', password: 'whatever password', code: '123456' },
            { 'x-forwarded-for': `198.51.100.${i + 1}` },
          );
          if (res.statusCode !== 429) accepted += 1;
        }
        assert.equal(accepted, max);
      } finally {
        await proxied.app.close();
      }
    });
  });
}
