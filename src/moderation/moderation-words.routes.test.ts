import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { TestBrowser, testClock } from '../accounts/accounts.testing.js';
import { createSession } from '../accounts/sessions.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/db.js';
import type { RoleColumn } from '../db/db-schema.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import { PageCache } from '../http/page-cache.js';
import { resetPolicy } from '../policy/policy.testing.js';
import { listWordLists } from './moderation-words.service.js';
import { textOf } from '../http/routes.testing.js';

/** The admin's word lists page: who may use it, saving through the form, and a refused save. */

const PATH = '/admin/moderation/words';

for (const backend of testBackends()) {
  describe(`word lists page on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let app: FastifyInstance;
    let deps: AppDeps;
    let accountNumber = 0;
    const cache = new PageCache(true);

    before(async () => {
      handle = await backend.open();
      const clock = testClock(new Date('2026-12-01T10:00:00+09:00'));
      deps = testDeps(handle, { clock: clock.clock, contentChanged: () => cache.clear() });
      app = await buildApp(deps, { cache, mailer: null, providers: [] });
    });
    after(async () => {
      await app.close();
      await handle.close();
    });
    beforeEach(async () => {
      await handle.db.deleteFrom('moderation_words').execute();
      await resetPolicy(handle);
      cache.clear();
    });

    /** A browser holding a session of a new account in this role, and a CSRF cookie. */
    async function browserAs(role: RoleColumn): Promise<{ browser: TestBrowser; id: string }> {
      accountNumber += 1;
      const staff = role !== 'reader';
      const account = await handle.db
        .insertInto('accounts')
        .values({
          display_name: `직원 ${String(accountNumber)}`,
          role,
          staff_email: staff ? `staff${String(accountNumber)}@example.com` : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(deps, {
        accountId: account.id,
        kind: staff ? 'staff' : 'reader',
        method: staff ? 'password+totp' : 'email',
        userAgent: 'moderation-words.test',
        ip: '203.0.113.10',
      });
      const browser = new TestBrowser(app);
      browser.cookies.set('byline_session', token);
      await browser.get('/login'); // sets the CSRF cookie
      return { browser, id: account.id };
    }

    async function wordsChangedBy(adminId: string) {
      return handle.db
        .selectFrom('moderation_log')
        .select('detail')
        .where('action', '=', 'words_changed')
        .where('actor_id', '=', adminId)
        .execute();
    }

    it('lets an admin save both lists through the form and shows them back with a notice', async () => {
      const { browser, id } = await browserAs('admin');
      const page = await browser.get(PATH);
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.match(page.body, /name="_csrf"/);
      assert.match(page.body, /<label for="words-banned">Banned words<\/label>/);
      assert.match(page.body, /<label for="words-suspect">Suspect words<\/label>/);
      assert.match(textOf(page.body), /Now listed: 0 banned, 0 suspect\./);
      assert.match(textOf(page.body), /"ass" does not catch "class"/);

      const saved = await browser.post(PATH, {
        banned: '바보\r\nIDIOT\r\n바보\r\n',
        suspect: '광고\r\n\r\n도박',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(saved.headers.location, `${PATH}?saved=1`);
      assert.deepEqual(await listWordLists(deps), {
        banned: ['idiot', '바보'],
        suspect: ['광고', '도박'],
      });
      assert.deepEqual(
        (await wordsChangedBy(id)).map((row) => row.detail),
        [{ banned: 2, suspect: 2 }],
      );

      const after = await browser.get(`${PATH}?saved=1`);
      assert.equal(after.statusCode, 200);
      assert.match(textOf(after.body), /The word lists were saved\./);
      assert.match(textOf(after.body), /Now listed: 2 banned, 2 suspect\./);
      assert.match(
        after.body,
        /<textarea id="words-banned" name="banned"[^>]*>idiot\n바보<\/textarea>/,
      );

      const ko = await browser.get(`/ko${PATH}`);
      assert.equal(ko.statusCode, 200);
      assert.match(textOf(ko.body), /현재 금지어 2개, 검토 대상어 2개가 있습니다\./);
      assert.match(textOf(ko.body), /바보는 바보야도 잡아냅니다/);
      assert.doesNotMatch(textOf(ko.body), /저장했습니다/);
      const koSaved = await browser.post(`/ko${PATH}`, { banned: '멍청이', suspect: '' });
      assert.equal(koSaved.statusCode, 303);
      assert.equal(koSaved.headers.location, `/ko${PATH}?saved=1`);
      assert.deepEqual(await listWordLists(deps), { banned: ['멍청이'], suspect: [] });
    });

    it('answers 422 with the problem and the admin’s text kept, and saves nothing', async () => {
      const { browser, id } = await browserAs('admin');
      assert.equal((await browser.post(PATH, { banned: '바보', suspect: '광고' })).statusCode, 303);
      const long = '가'.repeat(61);
      const refused = await browser.post(PATH, { banned: `멍청이\n${long}`, suspect: '새 단어' });
      assert.equal(refused.statusCode, 422);
      const text = textOf(refused.body);
      assert.match(
        text,
        /Banned words, line 2: an entry is at most 60 characters\. Nothing was saved\./,
      );
      assert.ok(refused.body.includes(`멍청이\n${long}</textarea>`), 'the banned text is kept');
      assert.match(refused.body, /name="suspect"[^>]*>새 단어<\/textarea>/);
      assert.match(text, /Now listed: 1 banned, 1 suspect\./, 'counts are of the stored lists');

      const koBoth = await browser.post(`/ko${PATH}`, { banned: 'Spam', suspect: 'spam\n도박' });
      assert.equal(koBoth.statusCode, 422);
      assert.match(textOf(koBoth.body), /‘spam’이\(가\) 두 목록에 모두 있습니다\./);

      const control = await browser.post(PATH, { banned: '', suspect: '나쁜\t말' });
      assert.equal(control.statusCode, 422);
      assert.match(textOf(control.body), /Suspect words, line 1: the entry contains a tab/);

      assert.deepEqual(await listWordLists(deps), { banned: ['바보'], suspect: ['광고'] });
      assert.equal((await wordsChangedBy(id)).length, 1);
    });

    it('refuses the page to moderators, editors and readers, and sends anonymous visitors to the staff login', async () => {
      for (const role of ['moderator', 'editor', 'reporter', 'reader'] as const) {
        const { browser } = await browserAs(role);
        assert.equal((await browser.get(PATH)).statusCode, 403, role);
        assert.equal((await browser.get(`/ko${PATH}`)).statusCode, 403, role);
        const post = await browser.post(PATH, { banned: '바보', suspect: '' });
        assert.equal(post.statusCode, 403, role);
      }
      const anonymous = await new TestBrowser(app).get(`/ko${PATH}`);
      assert.equal(anonymous.statusCode, 303);
      assert.equal(
        anonymous.headers.location,
        `/ko/staff/login?returnTo=${encodeURIComponent(`/ko${PATH}`)}`,
      );
      assert.deepEqual(await listWordLists(deps), { banned: [], suspect: [] });
    });

    it('refuses a post without the CSRF token', async () => {
      const { browser } = await browserAs('admin');
      const forged = await app.inject({
        method: 'POST',
        url: PATH,
        headers: {
          cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
          origin: 'http://localhost:3000',
        },
        payload: new URLSearchParams({ banned: '바보', suspect: '' }).toString(),
      });
      assert.equal(forged.statusCode, 403);
      assert.deepEqual(await listWordLists(deps), { banned: [], suspect: [] });
    });
  });
}
