import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { DatabaseHandle } from '../db/db.js';
import type { RoleColumn } from '../db/db-schema.js';
import { testBackends } from '../db/db-test.js';
import { randomToken } from '../lib/tokens.js';
import { TestBrowser, testApp, type TestApp } from './accounts.testing.js';
import { changeStaffRole } from './staff-admin.service.js';
import type { Mail, Mailer } from './mail.js';
import { createSession, type SessionKind } from './sessions.js';

/**
 * The admin's staff page (staff-admin.routes.tsx): inviting by e-mail in the admin's language,
 * the link shown when it was not mailed, refusals that keep the form, a new set-up link, role
 * changes and the refusal of one's own, and who may use each route, as a table.
 */

/** A mail server that keeps what it is given: mail is the outside world. */
class SmtpRecorder implements Mailer {
  readonly kind = 'smtp' as const;
  readonly sent: Mail[] = [];
  failing = false;
  send(mail: Mail): Promise<void> {
    if (this.failing) return Promise.reject(new Error('550 mailbox unavailable'));
    this.sent.push(mail);
    return Promise.resolve();
  }
}

type LogLine = { msg: string; actor?: string; target?: string; role?: string; url?: string };

function setupLinkIn(text: string): string {
  const link = /https?:\/\/\S+\/staff\/setup\/[\w-]+/.exec(text)?.[0];
  assert.ok(link, `a set-up link in: ${text}`);
  return link;
}

const JSON_ACCEPT = { accept: 'application/json' };

for (const backend of testBackends()) {
  describe(`the admin's staff page on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let smtp: SmtpRecorder;
    let logLines: LogLine[];
    let accountNumber = 0;

    before(async () => {
      handle = await backend.open();
      smtp = new SmtpRecorder();
      logLines = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          for (const text of chunk.toString().split('\n').filter(Boolean))
            logLines.push(JSON.parse(text) as LogLine);
          callback();
        },
      });
      t = await testApp(handle, { app: { mailer: smtp, log: pino({ level: 'info' }, stream) } });
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });
    beforeEach(async () => {
      await sql`truncate accounts, identities, sessions, auth_flows, rate_limits, staff_setup_tokens, staff_devices restart identity cascade`.execute(
        handle.db,
      );
      smtp.sent.length = 0;
      smtp.failing = false;
      logLines.length = 0;
    });

    /** An account with a session of this kind, and a browser holding it and a CSRF cookie. */
    async function signedIn(
      app: TestApp,
      role: RoleColumn,
      kind: SessionKind = 'staff',
    ): Promise<{ browser: TestBrowser; accountId: string }> {
      accountNumber += 1;
      const account = await handle.db
        .insertInto('accounts')
        .values({
          display_name: `관리자 ${accountNumber}`,
          role,
          staff_email: role === 'reader' ? null : `person${accountNumber}@example.com`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(app.deps, {
        accountId: account.id,
        kind,
        method: kind === 'staff' ? 'password+totp' : 'email',
        userAgent: 'staff-admin.test',
        ip: '203.0.113.10',
      });
      const browser = new TestBrowser(app.app);
      browser.cookies.set('byline_csrf', randomToken());
      browser.cookies.set('byline_session', token);
      return { browser, accountId: account.id };
    }

    async function staffRow(email: string) {
      return handle.db
        .selectFrom('accounts')
        .select(['id', 'role', 'display_name', 'password_hash'])
        .where('staff_email', '=', email)
        .executeTakeFirst();
    }

    it('invites a colleague from the Korean edition: account, Korean mail, Korean link', async () => {
      const { browser, accountId } = await signedIn(t, 'admin');
      const invited = await browser.post('/ko/newsroom/staff/invite', {
        email: ' Kim.Minji@Example.COM ',
        name: '김민지',
        role: 'reporter',
      });
      assert.equal(invited.statusCode, 303, invited.body);
      assert.equal(invited.headers.location, '/ko/newsroom/staff?done=invited');
      const row = await staffRow('kim.minji@example.com');
      assert.equal(row?.role, 'reporter');
      assert.equal(row.display_name, '김민지');
      assert.equal(row.password_hash, null);

      assert.equal(smtp.sent.length, 1);
      const mail = smtp.sent[0];
      assert.equal(mail?.to, 'kim.minji@example.com');
      assert.match(mail.subject, /스태프 계정/);
      assert.match(mail.text, /기자/);
      assert.match(mail.text, new RegExp(`관리자 ${accountNumber}님이`));
      const link = new URL(setupLinkIn(mail.text));
      assert.match(link.pathname, /^\/ko\/staff\/setup\//);
      const setup = await new TestBrowser(t.app).get(link.pathname);
      assert.equal(setup.statusCode, 200);
      assert.match(setup.body, /kim\.minji@example\.com/);

      const list = await browser.get('/ko/newsroom/staff?done=invited');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /초대를 보냈습니다/);
      assert.match(list.body, /김민지/);
      assert.match(list.body, /설정 대기 중\(링크는 .+까지 유효\)/);
      assert.doesNotMatch(list.body, /\/staff\/setup\//, 'a mailed link is not shown');

      const logged = logLines.find((l) => l.msg === 'staff invited');
      assert.equal(logged?.actor, accountId, 'the invitation is logged with who made it');
      assert.equal(logged.target, row.id);
      assert.doesNotMatch(JSON.stringify(logLines), /\/staff\/setup\/[\w-]{20}/);
    });

    it('sends the invitation in English from the English edition', async () => {
      const { browser } = await signedIn(t, 'admin');
      const invited = await browser.post('/newsroom/staff/invite', {
        email: 'editor@example.com',
        name: 'Park Editor',
        role: 'editor',
      });
      assert.equal(invited.statusCode, 303);
      const mail = smtp.sent.at(-1);
      assert.match(mail?.subject ?? '', /Your staff account at/);
      assert.match(mail?.text ?? '', /\(Editor\)/);
      assert.match(new URL(setupLinkIn(mail?.text ?? '')).pathname, /^\/staff\/setup\//);
    });

    it('shows the link once, saying it was not mailed, when the site sends no mail', async () => {
      for (const [mailer, said] of [
        [null, /no mail server configured/],
        ['outbox', /written to the outbox/],
      ] as const) {
        const app = await testApp(handle, { app: mailer === null ? { mailer: null } : {} });
        try {
          const { browser } = await signedIn(app, 'admin');
          const email = `${mailer ?? 'none'}@example.com`;
          const invited = await browser.post('/newsroom/staff/invite', {
            email,
            name: 'Lee Reporter',
            role: 'reporter',
          });
          assert.equal(invited.statusCode, 200, invited.body);
          assert.match(invited.body, said);
          assert.match(invited.body, /It is shown only this once/);
          const link = setupLinkIn(invited.body);
          assert.equal(
            (await new TestBrowser(app.app).get(new URL(link).pathname)).statusCode,
            200,
          );
          assert.ok(await staffRow(email));
          const again = await browser.get('/newsroom/staff');
          assert.doesNotMatch(again.body, /\/staff\/setup\//, 'the link is not shown again');
        } finally {
          await app.app.close();
        }
      }
    });

    it('shows the link when the mail server refuses the message, and keeps the account', async () => {
      const { browser } = await signedIn(t, 'admin');
      smtp.failing = true;
      const invited = await browser.post('/newsroom/staff/invite', {
        email: 'bounce@example.com',
        name: 'Bounce',
        role: 'moderator',
      });
      assert.equal(invited.statusCode, 200);
      assert.match(invited.body, /mail server refused/);
      setupLinkIn(invited.body);
      assert.equal((await staffRow('bounce@example.com'))?.role, 'moderator');
    });

    it('refuses an address already on the staff, keeping the form (409)', async () => {
      const { browser } = await signedIn(t, 'admin');
      const first = await browser.post('/ko/newsroom/staff/invite', {
        email: 'taken@example.com',
        name: '처음',
        role: 'reporter',
      });
      assert.equal(first.statusCode, 303);
      const again = await browser.post('/ko/newsroom/staff/invite', {
        email: 'TAKEN@example.com',
        name: '두 번째 사람',
        role: 'editor',
      });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /이미 있습니다/);
      assert.match(again.body, /value="두 번째 사람"/, 'the name typed is kept');
      assert.match(again.body, /<option value="editor" selected/);
      const json = await browser.post(
        '/newsroom/staff/invite',
        { email: 'taken@example.com', name: 'x', role: 'editor' },
        JSON_ACCEPT,
      );
      assert.equal(json.statusCode, 409);
      assert.equal(json.json<{ error: { code: string } }>().error.code, 'STAFF_EMAIL_TAKEN');
      assert.equal(smtp.sent.length, 1);
      const count = await handle.db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('staff_email', 'is not', null)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 2, 'the admin and the first invitation only');
    });

    it('refuses an address that is not one with 400, and a name that cannot be shown', async () => {
      const { browser } = await signedIn(t, 'admin');
      const bad = await browser.post('/newsroom/staff/invite', {
        email: 'not an address',
        name: 'Kept Name',
        role: 'editor',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Nobody was invited/);
      assert.match(bad.body, /value="not an address"/);
      assert.match(bad.body, /value="Kept Name"/);
      const json = await browser.post(
        '/newsroom/staff/invite',
        { email: 'not an address', name: 'x', role: 'editor' },
        JSON_ACCEPT,
      );
      assert.equal(json.json<{ error: { code: string } }>().error.code, 'STAFF_EMAIL_INVALID');
      const noName = await browser.post(
        '/newsroom/staff/invite',
        { email: 'noname@example.com', name: '  ', role: 'editor' },
        JSON_ACCEPT,
      );
      assert.equal(noName.statusCode, 400);
      assert.equal(noName.json<{ error: { code: string } }>().error.code, 'DISPLAY_NAME_INVALID');
      const badRole = await browser.post('/newsroom/staff/invite', {
        email: 'r@example.com',
        name: 'R',
        role: 'reader',
      });
      assert.equal(badRole.statusCode, 400, 'a role the form does not offer');
      assert.equal(smtp.sent.length, 0);
      assert.equal(await staffRow('noname@example.com'), undefined);
    });

    it('sends a new set-up link; the earlier one stops working', async () => {
      const { browser } = await signedIn(t, 'admin');
      await browser.post('/newsroom/staff/invite', {
        email: 'slow@example.com',
        name: 'Slow',
        role: 'reporter',
      });
      const first = new URL(setupLinkIn(smtp.sent[0]?.text ?? ''));
      const row = await staffRow('slow@example.com');
      assert.ok(row);
      const resent = await browser.post(`/ko/newsroom/staff/${row.id}/setup-link`);
      assert.equal(resent.statusCode, 303);
      assert.equal(resent.headers.location, '/ko/newsroom/staff?done=resent');
      assert.equal(smtp.sent.length, 2);
      const mail = smtp.sent[1];
      assert.equal(mail?.to, 'slow@example.com');
      assert.match(mail.text, /새 링크/);
      const second = new URL(setupLinkIn(mail.text));
      const visitor = new TestBrowser(t.app);
      assert.equal((await visitor.get(first.pathname)).statusCode, 410);
      assert.equal((await visitor.get(second.pathname)).statusCode, 200);
      assert.equal((await browser.post('/newsroom/staff/999999/setup-link')).statusCode, 404);
      const waiting = await browser.get('/newsroom/staff');
      assert.match(waiting.body, /Waiting for set-up \(link valid until/);
      t.clock.advance(25 * 3_600);
      const later = await (await signedIn(t, 'admin')).browser.get('/newsroom/staff');
      assert.match(later.body, /Waiting for set-up \(no live link\)/);
      assert.equal((await visitor.get(second.pathname)).statusCode, 410);
    });

    it('sends no set-up link to someone already set up (409)', async () => {
      const { browser } = await signedIn(t, 'admin');
      const ready = await signedIn(t, 'editor');
      await handle.db
        .updateTable('accounts')
        .set({ password_hash: 'argon2id-hash', totp_secret: 'JBSWY3DPEHPK3PXP' })
        .where('id', '=', ready.accountId)
        .execute();
      const refused = await browser.post(`/newsroom/staff/${ready.accountId}/setup-link`);
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /already set up/);
      assert.equal(smtp.sent.length, 0);
      const list = await browser.get('/newsroom/staff');
      assert.match(list.body, />Set up</);
    });

    it('changes a role, ends that person’s sessions, and logs who did it', async () => {
      const admin = await signedIn(t, 'admin');
      const reporter = await signedIn(t, 'reporter');
      assert.equal((await reporter.browser.get('/staff')).statusCode, 200);
      const changed = await admin.browser.post(`/newsroom/staff/${reporter.accountId}/role`, {
        role: 'editor',
      });
      assert.equal(changed.statusCode, 303);
      assert.equal(changed.headers.location, '/newsroom/staff?done=role');
      const row = await handle.db
        .selectFrom('accounts')
        .select('role')
        .where('id', '=', reporter.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(row.role, 'editor');
      const after = await reporter.browser.get('/staff', JSON_ACCEPT);
      assert.equal(after.statusCode, 401, 'the old session carried the old role');
      const logged = logLines.find((l) => l.msg === 'staff role changed');
      assert.deepEqual(
        { actor: logged?.actor, target: logged?.target, role: logged?.role },
        { actor: admin.accountId, target: reporter.accountId, role: 'editor' },
      );
      const page = await admin.browser.get('/newsroom/staff?done=role');
      assert.match(page.body, /The role was changed/);
      assert.equal(
        (await admin.browser.post('/newsroom/staff/999999/role', { role: 'editor' })).statusCode,
        404,
      );
      const reader = await signedIn(t, 'reader', 'reader');
      const notStaff = await admin.browser.post(`/newsroom/staff/${reader.accountId}/role`, {
        role: 'admin',
      });
      assert.equal(notStaff.statusCode, 404, 'a reader is made staff by invitation, not here');
    });

    it('refuses an admin’s change of their own role, so the last admin stays (409)', async () => {
      const admin = await signedIn(t, 'admin');
      const own = await admin.browser.post(`/ko/newsroom/staff/${admin.accountId}/role`, {
        role: 'reporter',
      });
      assert.equal(own.statusCode, 409);
      assert.match(own.body, /본인 계정의 역할/);
      const json = await admin.browser.post(
        `/newsroom/staff/${admin.accountId}/role`,
        { role: 'editor' },
        JSON_ACCEPT,
      );
      assert.equal(json.json<{ error: { code: string } }>().error.code, 'ACCOUNT_OWN_CHANGE');
      const row = await handle.db
        .selectFrom('accounts')
        .select('role')
        .where('id', '=', admin.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(row.role, 'admin');
      assert.equal((await admin.browser.get('/newsroom/staff')).statusCode, 200);
    });

    it('refuses an admin demoted meanwhile (FORBIDDEN) rather than leave no admin', async () => {
      const a = await signedIn(t, 'admin');
      const b = await signedIn(t, 'admin');
      // B demotes A; A's change, made meanwhile with A's page still open, must not go through.
      const demoted = await b.browser.post(`/newsroom/staff/${a.accountId}/role`, {
        role: 'editor',
      });
      assert.equal(demoted.statusCode, 303);
      await assert.rejects(
        changeStaffRole(t.deps, { actorId: a.accountId, accountId: b.accountId, role: 'editor' }),
        { code: 'FORBIDDEN' },
      );
      const roles = await handle.db
        .selectFrom('accounts')
        .select(['id', 'role'])
        .where('id', 'in', [a.accountId, b.accountId])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        roles.map((r) => r.role),
        ['editor', 'admin'],
      );
    });

    it('is linked from the staff home for admins only, in each edition', async () => {
      const admin = await signedIn(t, 'admin');
      const editor = await signedIn(t, 'editor');
      assert.match(
        (await admin.browser.get('/staff')).body,
        /href="\/newsroom\/staff">Newsroom staff</,
      );
      assert.match(
        (await admin.browser.get('/ko/staff')).body,
        /href="\/ko\/newsroom\/staff">편집국 스태프</,
      );
      assert.doesNotMatch((await editor.browser.get('/staff')).body, /\/newsroom\/staff"/);
    });

    it('refuses a POST without its CSRF token', async () => {
      const { browser } = await signedIn(t, 'admin');
      const forged = await t.app.inject({
        method: 'POST',
        url: '/newsroom/staff/invite',
        headers: {
          cookie: [...browser.cookies].map(([n, v]) => `${n}=${v}`).join('; '),
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          origin: 'http://localhost:3000',
        },
        payload: 'email=forged%40example.com&name=F&role=admin',
      });
      assert.equal(forged.statusCode, 403);
      assert.equal(await staffRow('forged@example.com'), undefined);
    });

    it('admits admins alone to every route of the page, as the table says', async () => {
      const target = await signedIn(t, 'reporter');
      const routes = [
        { method: 'GET', url: '/newsroom/staff', form: {} },
        {
          method: 'POST',
          url: '/newsroom/staff/invite',
          form: { email: 'table@example.com', name: '표', role: 'reporter' },
        },
        { method: 'POST', url: `/newsroom/staff/${target.accountId}/setup-link`, form: {} },
        {
          method: 'POST',
          url: `/newsroom/staff/${target.accountId}/role`,
          form: { role: 'editor' },
        },
      ] as const;
      const states: readonly { name: string; role: RoleColumn | null; kind: SessionKind }[] = [
        { name: 'anonymous', role: null, kind: 'reader' },
        { name: 'reader', role: 'reader', kind: 'reader' },
        { name: 'moderator', role: 'moderator', kind: 'staff' },
        { name: 'reporter', role: 'reporter', kind: 'staff' },
        { name: 'editor', role: 'editor', kind: 'staff' },
        { name: 'admin on a reader session', role: 'admin', kind: 'reader' },
        { name: 'admin', role: 'admin', kind: 'staff' },
      ];
      const expected: Record<string, number> = {
        anonymous: 401,
        reader: 403,
        moderator: 403,
        reporter: 403,
        editor: 403,
        'admin on a reader session': 403,
      };
      // The admin: the page, and a success for each change, but for the second invitation of
      // one address (the English edition's went first), a conflict.
      const adminStatus = (method: string, url: string): number =>
        method === 'GET' ? 200 : url === '/ko/newsroom/staff/invite' ? 409 : 303;
      const actual: Record<string, string> = {};
      const wanted: Record<string, string> = {};
      for (const state of states) {
        for (const edition of ['', '/ko']) {
          for (const r of routes) {
            const browser =
              state.role === null
                ? new TestBrowser(t.app)
                : (await signedIn(t, state.role, state.kind)).browser;
            if (state.role === null) browser.cookies.set('byline_csrf', randomToken());
            const url = `${edition}${r.url}`;
            const response =
              r.method === 'GET'
                ? await browser.get(url, JSON_ACCEPT)
                : await browser.post(url, { ...r.form }, JSON_ACCEPT);
            const key = `${state.name} ${r.method} ${url}`;
            actual[key] = String(response.statusCode);
            wanted[key] = String(expected[state.name] ?? adminStatus(r.method, url));
          }
        }
      }
      assert.deepEqual(actual, wanted);
    });
  });
}
