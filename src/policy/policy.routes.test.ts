import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TestBrowser, testClock, type TestClock } from '../accounts/accounts.testing.js';
import { createSession } from '../accounts/sessions.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/db.js';
import type { RoleColumn } from '../db/db-schema.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { PageCache } from '../http/page-cache.js';
import { getCurrentPolicy } from './policy.service.js';
import { resetPolicy } from './policy.testing.js';
import { textOf } from '../http/routes.testing.js';

/** The policy's pages: reading any version, accepting the one in force, and the admin's editor. */

/** The editor's fields for version 1, as the browser would send them back untouched. */
async function editorFields(deps: AppDeps, basedOn = 1): Promise<[string, string][]> {
  const policy = await getCurrentPolicy(deps);
  const fields: [string, string][] = [
    ['basedOn', String(basedOn)],
    ['introEn', policy.intro.en],
    ['introKo', policy.intro.ko],
    ['noteEn', 'Clause 8 was removed; clause 9 was added.'],
    ['noteKo', '제8조를 삭제하고 제9조를 신설했습니다.'],
  ];
  const row = (n: number, kept: boolean, title: [string, string], text: [string, string]) =>
    fields.push(
      ['clauseNumber', String(n)],
      ['clauseKept', kept ? '1' : '0'],
      ['titleEn', title[0]],
      ['titleKo', title[1]],
      ['textEn', text[0]],
      ['textKo', text[1]],
    );
  for (const c of policy.clauses)
    row(c.number, true, [c.title.en, c.title.ko], [c.text.en, c.text.ko]);
  row(9, false, ['Be kind', '친절하게'], ['Assume good faith.', '선의를 전제해 주세요.']);
  row(10, false, ['', ''], ['', '']);
  fields.push(['remove', '8']);
  return fields;
}

function withField(fields: [string, string][], name: string, index: number, value: string) {
  let seen = -1;
  return fields.map(([key, old]): [string, string] => {
    if (key !== name) return [key, old];
    seen += 1;
    return [key, seen === index ? value : old];
  });
}

for (const backend of testBackends()) {
  describe(`policy pages on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let app: FastifyInstance;
    let deps: AppDeps;
    let clock: TestClock;
    let accountNumber = 0;
    const cache = new PageCache(true);

    before(async () => {
      handle = await backend.open();
      clock = testClock(new Date('2026-12-01T10:00:00+09:00'));
      deps = testDeps(handle, { clock: clock.clock, contentChanged: () => cache.clear() });
      app = await buildApp(deps, { cache, mailer: null, providers: [] });
    });
    after(async () => {
      await app.close();
      await handle.close();
    });
    beforeEach(async () => {
      await resetPolicy(handle);
      cache.clear();
    });

    /** A browser holding a session of a new account in this role, and a CSRF cookie. */
    async function browserAs(role: RoleColumn, kind: 'reader' | 'staff'): Promise<TestBrowser> {
      accountNumber += 1;
      const account = await handle.db
        .insertInto('accounts')
        .values({
          display_name: `독자 ${String(accountNumber)}`,
          role,
          staff_email: kind === 'staff' ? `staff${String(accountNumber)}@example.com` : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(deps, {
        accountId: account.id,
        kind,
        method: kind === 'staff' ? 'password+totp' : 'email',
        userAgent: 'policy.test',
        ip: '203.0.113.10',
      });
      const browser = new TestBrowser(app);
      browser.cookies.set('byline_session', token);
      await browser.get('/login'); // sets the CSRF cookie
      return browser;
    }

    /** Posts repeated fields, which TestBrowser.post (one value per name) cannot. */
    async function postFields(
      browser: TestBrowser,
      url: string,
      fields: [string, string][],
    ): Promise<LightMyRequestResponse> {
      const body = new URLSearchParams([['_csrf', browser.cookie('byline_csrf') ?? ''], ...fields]);
      return app.inject({
        method: 'POST',
        url,
        remoteAddress: browser.ip,
        headers: {
          cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          origin: 'http://localhost:3000',
        },
        payload: body.toString(),
      });
    }

    async function versionCount(): Promise<number> {
      const row = await handle.db
        .selectFrom('policy_versions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    it('shows version 1 in English at /policy and in Korean at /ko/policy, with clause anchors and history', async () => {
      const en = await app.inject({ url: '/policy' });
      assert.equal(en.statusCode, 200);
      const enText = textOf(en.body);
      assert.match(enText, /Version 1, in force since 30 Nov\. 2026/);
      assert.match(enText, /Comments are a place for readers to discuss what we publish\./);
      for (let n = 1; n <= 8; n += 1)
        assert.ok(en.body.includes(`id="clause-${String(n)}"`), `clause ${String(n)}`);
      assert.match(enText, /Decisions and appeals/);
      assert.match(
        en.body,
        /<a href="\/policy\/versions\/1">Version 1, 30 Nov\. 2026<\/a> \(in force\)/,
      );
      assert.match(enText, /First version\./);

      const ko = await app.inject({ url: '/ko/policy' });
      assert.equal(ko.statusCode, 200);
      const koText = textOf(ko.body);
      assert.match(koText, /제1판, 2026\.11\.30 시행/);
      assert.match(koText, /욕설·모욕 금지/);
      assert.match(koText, /심의위원회\(모더레이터\)는 모든 댓글에 아래 조항을 적용하며/);
      assert.match(
        ko.body,
        /<a href="\/ko\/policy\/versions\/1">제1판, 2026\.11\.30<\/a> \(시행 중\)/,
      );
      assert.doesNotMatch(koText, /Decisions and appeals/);
    });

    it('shows a version at /policy/versions/:version and answers 404 for one that does not exist', async () => {
      const v1 = await app.inject({ url: '/ko/policy/versions/1' });
      assert.equal(v1.statusCode, 200);
      assert.match(textOf(v1.body), /심의위원회 운영 원칙 제1판/);
      assert.match(textOf(v1.body), /현재 시행 중인 판입니다\./);
      assert.ok(v1.body.includes('id="clause-8"'));
      for (const url of [
        '/policy/versions/2',
        '/policy/versions/0',
        '/policy/versions/01',
        '/policy/versions/abc',
        '/ko/policy/versions/-1',
        '/policy/versions/99999999999999999999',
      ])
        assert.equal((await app.inject({ url })).statusCode, 404, url);
    });

    it('lets an admin publish version 2 from the editor, and keeps version 1 readable', async () => {
      // An anonymous reader's page is kept by the cache; publishing must replace it.
      assert.match(textOf((await app.inject({ url: '/policy' })).body), /Version 1,/);
      const admin = await browserAs('admin', 'staff');
      const editor = await admin.get('/admin/policy');
      assert.equal(editor.statusCode, 200);
      assert.equal(editor.headers['cache-control'], 'no-store');
      assert.match(editor.body, /name="_csrf"/);
      assert.match(
        editor.body,
        /<textarea id="row-0-title-ko" name="titleKo"[^>]*>기사와 관련된 내용<\/textarea>/,
      );
      assert.match(textOf(editor.body), /New clause 9 .*New clause 10/);
      assert.equal((editor.body.match(/name="remove"/g) ?? []).length, 8);

      clock.advance(60);
      const published = await postFields(admin, '/admin/policy', await editorFields(deps));
      assert.equal(published.statusCode, 303, published.body);
      assert.equal(published.headers.location, '/policy');

      const page = await app.inject({ url: '/policy' });
      const text = textOf(page.body);
      assert.match(text, /Version 2, in force since 01 Dec\. 2026/);
      assert.ok(page.body.includes('id="clause-9"'));
      assert.ok(!page.body.includes('id="clause-8"'), 'the removed clause is gone');
      assert.match(text, /Be kind/);
      assert.match(text, /Clause 8 was removed; clause 9 was added\./);
      assert.match(page.body, /href="\/policy\/versions\/2"/);
      assert.match(page.body, /href="\/policy\/versions\/1"/);
      const ko = textOf((await app.inject({ url: '/ko/policy' })).body);
      assert.match(ko, /제2판, 2026\.12\.01 시행/);
      assert.match(ko, /친절하게/);
      assert.match(ko, /제8조를 삭제하고 제9조를 신설했습니다\./);

      const v1 = await app.inject({ url: '/policy/versions/1' });
      assert.equal(v1.statusCode, 200);
      assert.match(textOf(v1.body), /This version is no longer in force\./);
      assert.ok(v1.body.includes('id="clause-8"'));
      const row = await handle.db
        .selectFrom('policy_versions')
        .select('published_by')
        .where('version', '=', 2)
        .executeTakeFirstOrThrow();
      assert.ok(row.published_by !== null);
    });

    it('answers 422 with everything the admin typed when the draft breaks a rule, and saves nothing', async () => {
      const admin = await browserAs('admin', 'staff');
      const fields = withField(await editorFields(deps), 'titleKo', 2, '');
      const en = await postFields(admin, '/admin/policy', fields);
      assert.equal(en.statusCode, 422);
      const text = textOf(en.body);
      assert.match(text, /Clause 3: write its title and text in both languages\./);
      assert.match(text, /제8조를 삭제하고 제9조를 신설했습니다\./, 'the note is kept');
      assert.match(text, /선의를 전제해 주세요\./, 'the new clause is kept');
      assert.match(en.body, /name="remove" value="8" checked/);
      // The reason sits in the clause it concerns, not above a form of many clauses.
      assert.match(
        en.body,
        /<legend>Clause 3<\/legend><p id="row-2-error" class="field-error" role="alert">Clause 3: write/,
      );
      assert.doesNotMatch(en.body, /id="policy-error"/);

      const ko = await postFields(admin, '/ko/admin/policy', fields);
      assert.equal(ko.statusCode, 422);
      assert.match(textOf(ko.body), /제3조: 제목과 내용을 두 언어로 모두 써 주세요\./);

      const noteInEnglishOnly = withField(await editorFields(deps), 'noteKo', 0, '');
      const note = await postFields(admin, '/ko/admin/policy', noteInEnglishOnly);
      assert.equal(note.statusCode, 422);
      assert.match(textOf(note.body), /바뀐 내용은 두 언어로 모두 쓰거나 모두 비워 두세요\./);
      assert.match(note.body, /<p id="policy-note-error" class="field-error"/);

      const broken = await postFields(admin, '/admin/policy', [['basedOn', 'one']]);
      assert.equal(broken.statusCode, 400);
      assert.equal(await versionCount(), 1);

      // Version 2 removes clause 8; a crafted form then gives number 8 to a new rule.
      assert.equal(
        (await postFields(admin, '/admin/policy', await editorFields(deps))).statusCode,
        303,
      );
      const reuse = withField(await editorFields(deps, 2), 'clauseNumber', 8, '8');
      const refused = await postFields(admin, '/admin/policy', reuse);
      assert.equal(refused.statusCode, 422);
      assert.match(textOf(refused.body), /not valid\. Nothing was saved\./);
      assert.equal(await versionCount(), 2);
    });

    it('answers 409 and keeps the form when another version was published during the edit', async () => {
      const admin = await browserAs('admin', 'staff');
      // Two admins opened the editor on version 1; the first one publishes.
      const fields = await editorFields(deps);
      assert.equal((await postFields(admin, '/admin/policy', fields)).statusCode, 303);
      const stale = await postFields(admin, '/admin/policy', fields);
      assert.equal(stale.statusCode, 409);
      assert.match(textOf(stale.body), /Another version was published while you were editing/);
      assert.match(textOf(stale.body), /선의를 전제해 주세요\./);
      assert.equal(await versionCount(), 2);
    });

    it('refuses the editor to readers and other staff, and sends anonymous visitors to the staff login', async () => {
      const cases: [RoleColumn, 'reader' | 'staff'][] = [
        ['reader', 'reader'],
        ['editor', 'staff'],
        ['moderator', 'staff'],
      ];
      for (const [role, kind] of cases) {
        const browser = await browserAs(role, kind);
        assert.equal((await browser.get('/admin/policy')).statusCode, 403, role);
        const post = await postFields(browser, '/admin/policy', await editorFields(deps));
        assert.equal(post.statusCode, 403, role);
      }
      const anonymous = await new TestBrowser(app).get('/ko/admin/policy');
      assert.equal(anonymous.statusCode, 303);
      assert.equal(anonymous.headers.location, '/ko/staff/login?returnTo=%2Fko%2Fadmin%2Fpolicy');
      assert.equal(await versionCount(), 1);
    });

    it('records a reader’s acceptance from the policy page and sends them back where they were', async () => {
      const reader = await browserAs('reader', 'reader');
      const page = await reader.get('/ko/policy?returnTo=%2Fko%2F2026%2F11%2F30%2Fnews%2Fx');
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'private, no-store');
      assert.match(textOf(page.body), /제1판에 동의합니다/);
      assert.match(page.body, /name="returnTo" value="\/ko\/2026\/11\/30\/news\/x"/);

      const accepted = await reader.post('/ko/policy/accept', {
        version: '1',
        returnTo: '/ko/2026/11/30/news/x',
      });
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers.location, '/ko/2026/11/30/news/x');
      assert.match(textOf((await reader.get('/ko/policy')).body), /제1판에 동의하셨습니다\./);
      const again = await reader.post('/policy/accept', {
        version: '1',
        returnTo: 'https://evil.example/',
      });
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, '/policy');
      const rows = await handle.db.selectFrom('policy_acceptances').selectAll().execute();
      assert.equal(rows.length, 1);

      const old = await reader.post(
        '/policy/accept',
        { version: '2' },
        { accept: 'application/json' },
      );
      assert.equal(old.statusCode, 409);
      assert.match(old.body, /POLICY_CHANGED/);
      const anonymous = await new TestBrowser(app).post('/policy/accept', { version: '1' });
      assert.equal(anonymous.statusCode, 401);
    });
  });
}
