import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { textOf } from '../http/routes.testing.js';
import { messages } from '../features.js';
import { TestBrowser, testApp, type TestApp } from './accounts.testing.js';
import { totpCodeAt } from './credentials/totp.js';
import { EMAIL_CODE_LIMITS, EMAIL_CODE_MAX_ATTEMPTS } from './email-login.js';
import { STAFF_SIGNIN_LIMITS, addStaffAccount, issueSetupLink } from './staff.service.js';

/**
 * Brute force against one account (docs/SECURITY.md, item 10, battery S7): 200 scripted wrong
 * passwords, and 200 wrong e-mailed codes, sent over an hour of the test clock from one address
 * and from twenty. The figure is the attempts actually checked against the secret in an hour,
 * which must be what the limit constants allow, and at most ASVS 4.0.3's 100; the real owner,
 * from a new address, must still get in.
 */

const PASSWORD = '기사는 사실로 말하고 댓글은 원칙으로 지킨다';
const HOUR = 3_600;
const ASVS_CEILING = 100;
const t_en = messages('en');

type Attempt = { at: number; ip: string };

/** Twenty documentation addresses, one for each attempt in turn. */
const twenty = (i: number) => `192.0.2.${(i % 20) + 1}`;
const one = () => '203.0.113.66';

/**
 * What the staff limits let through, restated from their documented rules (ADR 8): fixed windows,
 * the client's counted first and every attempt counting in it, then the account's.
 */
function staffModel(attempts: readonly Attempt[]): boolean[] {
  const hits = new Map<string, number>();
  const spend = (key: string, at: number, limit: { max: number; windowSeconds: number }) => {
    const id = `${key}@${Math.floor(at / limit.windowSeconds)}`;
    const n = (hits.get(id) ?? 0) + 1;
    hits.set(id, n);
    return n <= limit.max;
  };
  return attempts.map(
    ({ at, ip }) =>
      spend(`client:${ip}`, at, STAFF_SIGNIN_LIMITS.perClient) &&
      spend('account', at, STAFF_SIGNIN_LIMITS.perAccount),
  );
}

/** The most of these moments that fall in any one hour. */
function busiestHour(moments: readonly number[]): number {
  const sorted = [...moments].sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j += 1) {
    while ((sorted[j] ?? 0) - (sorted[i] ?? 0) >= HOUR) i += 1;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

for (const backend of testBackends()) {
  describe(`brute force against one account on ${backend.name}`, () => {
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
      t.mailer.sent.length = 0;
    });

    /** Seconds since the epoch on the test clock. */
    const now = () => t.clock.now.getTime() / 1000;
    /** Moves the clock to the start of the next hour, and returns it. */
    function nextHour(): number {
      t.clock.advance(HOUR - (now() % HOUR));
      return now();
    }
    function moveTo(seconds: number): void {
      assert.ok(seconds >= now(), 'the clock only moves forward');
      t.clock.advance(seconds - now());
    }

    function retriesLater(response: LightMyRequestResponse): void {
      assert.equal(response.statusCode, 429);
      assert.ok(Number(response.headers['retry-after']) > 0, 'a 429 says when to retry');
    }

    async function setUpStaff(email: string): Promise<Uint8Array> {
      const { accountId } = await addStaffAccount(t.deps, { email, role: 'admin' });
      const link = new URL(await issueSetupLink(t.deps, accountId, 'http://localhost:3000'));
      const browser = new TestBrowser(t.app, '198.51.100.200');
      const page = await browser.get(link.pathname);
      const text = /class="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1] ?? '';
      const secret = decodeBase32IgnorePadding(text.replaceAll(' ', ''));
      const done = await browser.post(link.pathname, {
        password: PASSWORD,
        passwordAgain: PASSWORD,
        code: totpCodeAt(secret, t.clock.now),
      });
      assert.equal(done.statusCode, 303, done.body);
      t.clock.advance(30);
      return secret;
    }

    it('checks at most the documented number of 200 wrong staff passwords an hour, and lets the owner in', async (ctx) => {
      const email = 'target.staff@example.com';
      const secret = await setUpStaff(email);
      const signIn = (browser: TestBrowser, password: string, code: string) =>
        browser.post('/staff/login', { email, password, code, returnTo: '/staff' });
      // The owner signed in once from their own browser, which is known from then on.
      const owner = new TestBrowser(t.app, '198.51.100.7');
      assert.equal(
        (await signIn(owner, PASSWORD, totpCodeAt(secret, t.clock.now))).statusCode,
        303,
      );
      const { perAccount } = STAFF_SIGNIN_LIMITS;
      const windowsInAnHour = HOUR / perAccount.windowSeconds;

      const cases = [
        { name: '1 address, spread over an hour', ip: one, offset: (i: number) => i * 18 },
        { name: '20 addresses, spread over an hour', ip: twenty, offset: (i: number) => i * 18 },
        {
          // Bursts on both sides of each window's edges: 5 windows fall in one 60-minute span.
          name: '20 addresses, in bursts at the windows’ edges',
          ip: twenty,
          offset: (i: number) => {
            const w = perAccount.windowSeconds;
            return [w - 1, w, 2 * w, 3 * w, w - 2 + HOUR][Math.floor(i / 40)] ?? assert.fail();
          },
        },
      ];
      for (const [n, c] of cases.entries()) {
        const start = nextHour();
        const attempts: Attempt[] = [];
        const accepted: number[] = [];
        for (let i = 0; i < 200; i += 1) {
          moveTo(start + c.offset(i));
          attempts.push({ at: now(), ip: c.ip(i) });
          const res = await signIn(new TestBrowser(t.app, c.ip(i)), `wrong ${i}`, '123456');
          if (res.statusCode === 429) retriesLater(res);
          else {
            assert.equal(res.statusCode, 400, res.body);
            accepted.push(now());
          }
        }
        const expected = staffModel(attempts).filter(Boolean).length;
        const perHour = busiestHour(accepted);
        ctx.diagnostic(
          `staff, ${c.name}: 200 sent, ${accepted.length} checked; busiest hour ${perHour} ` +
            `(expected ${expected}; ADR 8: ${perAccount.max}/${perAccount.windowSeconds / 60} min; ` +
            `ceiling ${ASVS_CEILING})`,
        );
        assert.equal(accepted.length, expected);
        assert.ok(perHour <= ASVS_CEILING);
        // In one clock hour, the account's windows allow 4 × 10; a span across 5 windows, 5 × 10.
        const bound = (n === 2 ? windowsInAnHour + 1 : windowsInAnHour) * perAccount.max;
        assert.ok(perHour <= bound, `${perHour} ≤ ${bound}`);

        // The owner's browser, from an address it never used, is not locked out.
        t.clock.advance(30);
        const travelling = new TestBrowser(t.app, `203.0.113.${100 + n}`);
        travelling.cookies.set('byline_device', owner.cookie('byline_device') ?? assert.fail());
        const res = await signIn(travelling, PASSWORD, totpCodeAt(secret, t.clock.now));
        assert.equal(res.statusCode, 303, `owner after "${c.name}": ${res.statusCode}`);
      }
    });

    it('checks at most the documented number of 200 wrong e-mailed codes an hour, and the reader still gets a fresh code', async (ctx) => {
      const email = 'target.reader@example.com';
      // The reader logged in before, from their own browser.
      const owner = new TestBrowser(t.app, '198.51.100.8');
      assert.equal((await owner.loginByEmail(t.mailer, email)).statusCode, 303);
      assert.equal((await owner.post('/logout')).statusCode, 303);

      /** A browser's cookies carried from one address to the next, as a botnet would. */
      const jar = new Map<string, string>();
      const attackerPost = async (ip: string, url: string, form: Record<string, string>) => {
        const browser = new TestBrowser(t.app, ip);
        for (const [name, value] of jar) browser.cookies.set(name, value);
        const res = await browser.post(url, form);
        jar.clear();
        for (const [name, value] of browser.cookies) jar.set(name, value);
        return res;
      };

      for (const [n, c] of [
        { name: '1 address', ip: one, addresses: 1 },
        { name: '20 addresses', ip: twenty, addresses: 20 },
      ].entries()) {
        const start = nextHour();
        jar.clear();
        let live = false;
        let compared = 0;
        let limited = 0;
        let codesRefused = 0;
        for (let i = 0; i < 200; i += 1) {
          moveTo(start + i * 18);
          const ip = c.ip(i);
          // A code dies after 5 wrong tries: the attacker asks for another one for the address.
          if (!live) {
            const asked = await attackerPost(ip, '/login/email', { email, returnTo: '/' });
            if (asked.statusCode === 429) {
              retriesLater(asked);
              codesRefused += 1;
            } else assert.equal(asked.statusCode, 303);
            live = asked.statusCode === 303;
          }
          const right = live ? t.mailer.lastCode(email) : '';
          const guess =
            String(i).padStart(6, '0') === right ? '999999' : String(i).padStart(6, '0');
          const res = await attackerPost(ip, '/login/email/code', { code: guess });
          const text = textOf(res.body);
          // Compared with the code: a wrong code with tries left, or the last try of a code.
          if (res.statusCode === 400 && text.includes('That code is not right.')) compared += 1;
          else if (res.statusCode === 429 && text.includes(t_en.emailCodeTooMany)) {
            compared += 1;
            live = false;
          } else {
            // Not compared: refused by the limits, or no live code to compare with.
            if (res.statusCode === 429) {
              retriesLater(res);
              limited += 1;
            } else {
              assert.equal(res.statusCode, 400, res.body);
              assert.ok(text.includes(t_en.emailCodeExpired), text);
              live = false;
            }
          }
        }
        // Each code allows 5 tries; an address gets 5 codes an hour; each client 30 checks.
        const expected = Math.min(
          Math.min(
            EMAIL_CODE_LIMITS.perAddress.max,
            EMAIL_CODE_LIMITS.perClient.max * c.addresses,
          ) * EMAIL_CODE_MAX_ATTEMPTS,
          EMAIL_CODE_LIMITS.checksPerClient.max * c.addresses,
        );
        ctx.diagnostic(
          `e-mailed codes, ${c.name}: 200 guesses in an hour, ${compared} compared with a code ` +
            `(expected ${expected}, ceiling ${ASVS_CEILING}); ${limited} refused by the check ` +
            `limit, the rest with no live code; ${codesRefused} code requests refused`,
        );
        assert.equal(compared, expected);
        assert.ok(compared <= ASVS_CEILING);

        // The address's shared budget is spent: a browser the account does not know is refused…
        const stranger = new TestBrowser(t.app, `203.0.113.${200 + n}`);
        retriesLater(await stranger.post('/login/email', { email, returnTo: '/' }));
        // …but the reader, in their own browser at a new address, gets a fresh code and logs in.
        const travelling = new TestBrowser(t.app, `203.0.113.${150 + n}`);
        for (const [name, value] of owner.cookies) travelling.cookies.set(name, value);
        const asked = await travelling.post('/login/email', { email, returnTo: '/' });
        assert.equal(asked.statusCode, 303, `the owner asks for a code after "${c.name}"`);
        const login = await travelling.post('/login/email/code', {
          code: t.mailer.lastCode(email),
        });
        assert.equal(login.statusCode, 303);
        assert.equal((await travelling.post('/logout')).statusCode, 303);
        for (const [name, value] of travelling.cookies) owner.cookies.set(name, value);
      }
    });
  });
}
