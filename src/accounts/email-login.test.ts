import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import {
  EMAIL_CODE_LIMITS,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_CODE_TTL_SECONDS,
} from './email-login.js';
import { TestBrowser, accountRowCounts, testApp, type TestApp } from './accounts.testing.js';

for (const backend of testBackends()) {
  describe(`e-mailed login codes on ${backend.name}`, () => {
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
      t.mailer.sent.length = 0;
    });

    it('logs a new reader in, asks their name, then shows it in the page header', async () => {
      const browser = new TestBrowser(t.app);
      const asked = await browser.post('/ko/login/email', {
        email: '  Kim.Reader@Example.COM ',
        returnTo: '/ko/policy',
      });
      assert.equal(asked.statusCode, 303);
      assert.equal(asked.headers.location, '/ko/login/email/code');
      const mail = t.mailer.sent.at(-1);
      assert.equal(mail?.to, 'kim.reader@example.com');
      assert.match(mail.subject, /로그인 코드/);
      const page = await browser.get('/ko/login/email/code');
      assert.match(page.body, /kim\.reader@example\.com/);

      const done = await browser.post('/ko/login/email/code', {
        code: t.mailer.lastCode('kim.reader@example.com'),
      });
      assert.equal(done.statusCode, 303);
      assert.equal(
        done.headers.location,
        `/ko/account/name?welcome=1&returnTo=${encodeURIComponent('/ko/policy')}`,
      );
      const named = await browser.post('/ko/account/name', {
        displayName: '김독자',
        returnTo: '/ko/policy',
      });
      assert.equal(named.headers.location, '/ko/policy');
      const policy = await browser.get('/ko/policy');
      assert.equal(policy.statusCode, 200);
      assert.match(policy.body, /class="account-name">김독자</);
      assert.equal(policy.headers['cache-control'], 'private, no-store');

      const counts = await accountRowCounts(handle);
      assert.deepEqual(counts, { accounts: 1, identities: 1, sessions: 1 });
      const identity = await handle.db
        .selectFrom('identities')
        .selectAll()
        .executeTakeFirstOrThrow();
      assert.equal(identity.provider, 'email');
      assert.equal(identity.subject, 'kim.reader@example.com');
    });

    it('keeps a reader on the site when returnTo hides another host behind dot segments', async () => {
      for (const returnTo of [
        '/.//evil.example/phish',
        '/%2e//evil.example',
        '/x/..//evil.example',
      ]) {
        await sql`truncate accounts, identities, sessions, auth_flows, rate_limits restart identity cascade`.execute(
          handle.db,
        );
        const browser = new TestBrowser(t.app);
        await browser.post('/login/email', { email: 'dots@example.com', returnTo });
        const done = await browser.post('/login/email/code', {
          code: t.mailer.lastCode('dots@example.com'),
        });
        assert.equal(done.statusCode, 303);
        assert.equal(done.headers.location, '/account/name?welcome=1&returnTo=%2F', returnTo);
        const named = await browser.post('/account/name', { displayName: '독자', returnTo });
        assert.equal(named.headers.location, '/account', returnTo);
      }
    });

    it('refuses a code once used, after it expires, and after too many wrong tries', async () => {
      const email = 'reader@example.com';
      // Used once: the second use finds nothing.
      const first = new TestBrowser(t.app);
      await first.post('/login/email', { email, returnTo: '/' });
      const code = t.mailer.lastCode(email);
      assert.equal((await first.post('/login/email/code', { code })).statusCode, 303);
      const replay = new TestBrowser(t.app);
      replay.cookies.set('byline_flow', 'x'.repeat(43));
      assert.equal((await replay.post('/login/email/code', { code })).statusCode, 400);
      assert.equal((await first.post('/login/email/code', { code })).statusCode, 400);

      // Expired: 10 minutes and one second later the right code is refused.
      const late = new TestBrowser(t.app);
      await late.post('/login/email', { email, returnTo: '/' });
      t.clock.advance(EMAIL_CODE_TTL_SECONDS + 1);
      const expired = await late.post('/login/email/code', { code: t.mailer.lastCode(email) });
      assert.equal(expired.statusCode, 400);
      assert.match(expired.body, /expired/);

      // Too many tries: after 5 wrong codes even the right one is refused.
      const guesser = new TestBrowser(t.app);
      await guesser.post('/login/email', { email, returnTo: '/' });
      const right = t.mailer.lastCode(email);
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 1; i < EMAIL_CODE_MAX_ATTEMPTS; i++)
        assert.equal((await guesser.post('/login/email/code', { code: wrong })).statusCode, 400);
      assert.equal((await guesser.post('/login/email/code', { code: wrong })).statusCode, 429);
      assert.equal((await guesser.post('/login/email/code', { code: right })).statusCode, 400);

      const counts = await accountRowCounts(handle);
      assert.deepEqual(counts, { accounts: 1, identities: 1, sessions: 1 });
    });

    it('limits code requests per address with 429 and Retry-After, across browsers', async () => {
      const email = 'limited@example.com';
      const { max } = EMAIL_CODE_LIMITS.perAddress;
      for (let i = 0; i < max; i++) {
        const browser = new TestBrowser(t.app, `198.51.100.${i + 1}`);
        assert.equal((await browser.post('/login/email', { email })).statusCode, 303);
      }
      const over = await new TestBrowser(t.app, '198.51.100.200').post('/login/email', { email });
      assert.equal(over.statusCode, 429);
      assert.ok(Number(over.headers['retry-after']) > 0);
      assert.equal(t.mailer.sent.length, max);
    });

    it('re-asks for a malformed address without sending anything', async () => {
      const browser = new TestBrowser(t.app);
      const res = await browser.post('/login/email', { email: 'not-an-address' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /aria-invalid="true"/);
      assert.equal(t.mailer.sent.length, 0);
    });
  });
}
