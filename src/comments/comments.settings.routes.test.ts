import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TestBrowser, testApp, type TestApp } from '../accounts/accounts.testing.js';
import { createSession } from '../accounts/sessions.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { publishedArticle, resetComments } from './comments.testing.js';

/** The editors' thread settings page: a refused form comes back as typed, nothing saved. */

let accountNumber = 0;

for (const backend of testBackends()) {
  describe(`comment thread settings forms on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let editor: TestBrowser;
    let sectionId: string;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle);
      // Publishing an article brings its section into being.
      await publishedArticle(t.deps);
      const section = await handle.db
        .selectFrom('sections')
        .select('id')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      sectionId = section.id;
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });
    beforeEach(async () => {
      await resetComments(handle);
      accountNumber += 1;
      const account = await handle.db
        .insertInto('accounts')
        .values({
          display_name: `편집자 ${String(accountNumber)}`,
          role: 'editor',
          staff_email: `settings-editor${String(accountNumber)}@example.com`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(t.deps, {
        accountId: account.id,
        kind: 'staff',
        method: 'password+totp',
        userAgent: 'comments.settings.test',
        ip: '203.0.113.10',
      });
      editor = new TestBrowser(t.app);
      editor.cookies.set('byline_session', token);
      await editor.get('/login');
    });

    async function savedSettings() {
      return {
        sections: await handle.db.selectFrom('comment_section_settings').selectAll().execute(),
        articles: await handle.db.selectFrom('comment_article_settings').selectAll().execute(),
      };
    }

    /** The hours field of one row, with the error it points to, as the refused page shows it. */
    function assertHoursRefused(html: string, row: string, typed: string): void {
      const escaped = typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      assert.match(
        html,
        new RegExp(
          `<input id="close-${row}" name="closeAfterHours" type="text"[^>]*value="${escaped}"` +
            `[^>]*aria-invalid="true" aria-describedby="close-${row}-error"`,
        ),
      );
      assert.match(
        html,
        new RegExp(`<p id="close-${row}-error" class="field-error" role="alert">`),
      );
    }

    for (const typed of ['-1', 'abc', '999999', '87601'])
      it(`refuses a section closing after "${typed}" hours with the row shown back as typed`, async () => {
        const res = await editor.post(`/staff/comments/sections/${sectionId}`, {
          state: 'closed',
          closeAfterHours: typed,
          premoderated: 'on',
        });
        assert.equal(res.statusCode, 422, res.body);
        assertHoursRefused(res.body, `section-${sectionId}`, typed);
        // The row's other fields keep what was chosen, not the saved (inherited) values.
        const row = res.body.slice(res.body.indexOf(`id="state-section-${sectionId}"`));
        assert.match(row, /^[^]*?<option value="closed" selected>/);
        assert.match(
          row.slice(row.indexOf('name="premoderated"')),
          /^[^]*?<option value="on" selected>/,
        );
        assert.deepEqual(await savedSettings(), { sections: [], articles: [] });
      });

    it('refuses an article closing after bad hours on the Korean page, the article form kept', async () => {
      const article = await publishedArticle(t.deps);
      const res = await editor.post(`/ko/staff/comments/articles/${article.id}`, {
        state: 'open',
        closeAfterHours: '1.5',
        premoderated: '',
      });
      assert.equal(res.statusCode, 422, res.body);
      assert.match(res.body, /<html lang="ko"/);
      assertHoursRefused(res.body, 'article', '1.5');
      assert.match(res.body, new RegExp(`action="/ko/staff/comments/articles/${article.id}"`));
      assert.match(res.body, /0부터 87600까지/);
      assert.deepEqual(await savedSettings(), { sections: [], articles: [] });
    });

    it('answers a refused hours value as JSON to a client that asks for JSON', async () => {
      const res = await editor.post(
        `/staff/comments/sections/${sectionId}`,
        { state: '', closeAfterHours: 'abc', premoderated: '' },
        { accept: 'application/json' },
      );
      assert.equal(res.statusCode, 422);
      const body = res.json<{ error: { code: string; message: string } }>();
      assert.equal(body.error.code, 'THREAD_HOURS_INVALID');
      assert.equal(typeof body.error.message, 'string');
      assert.deepEqual(await savedSettings(), { sections: [], articles: [] });
    });

    it('keeps refusing a state no form offers as a bad request', async () => {
      const res = await editor.post(`/staff/comments/sections/${sectionId}`, {
        state: 'ajar',
        closeAfterHours: '',
        premoderated: '',
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(await savedSettings(), { sections: [], articles: [] });
    });

    it('answers bad hours for a section that does not exist with not found', async () => {
      const res = await editor.post('/staff/comments/sections/999999', {
        closeAfterHours: '-1',
      });
      assert.equal(res.statusCode, 404);
    });

    it('saves valid hours, so the refusals above are of the value alone', async () => {
      const res = await editor.post(`/staff/comments/sections/${sectionId}`, {
        state: '',
        closeAfterHours: '48',
        premoderated: '',
      });
      assert.equal(res.statusCode, 303, res.body);
      const { sections } = await savedSettings();
      assert.equal(sections.length, 1);
    });

    it('refuses an article address over 2,000 characters whole instead of cutting it', async () => {
      const article = await publishedArticle(t.deps);
      // The article's own path with padding after it: cut at 2,000 it would still not be found,
      // and the page would have said "not found" about an address the editor never typed.
      const typed = `${article.path}?${'x'.repeat(2_001 - article.path.length)}`;
      const res = await editor.get(`/staff/comments?article=${encodeURIComponent(typed)}`);
      assert.equal(res.statusCode, 422, res.body.slice(0, 500));
      assert.match(
        res.body,
        /<input id="article-path" name="article" type="text" value="[^"]*" aria-invalid="true" aria-describedby="article-path-error"/,
      );
      const kept = /<input id="article-path" name="article" type="text" value="([^"]*)"/.exec(
        res.body,
      )?.[1];
      assert.equal(kept?.length, typed.length, 'the address is shown back whole');
      assert.match(res.body, /<p id="article-path-error" class="field-error" role="alert">/);
      assert.doesNotMatch(res.body, /No published article at that address/);

      const json = await editor.get(`/staff/comments?article=${encodeURIComponent(typed)}`, {
        accept: 'application/json',
      });
      assert.equal(json.statusCode, 422);
      assert.equal(json.json<{ error: { code: string } }>().error.code, 'THREAD_ADDRESS_TOO_LONG');
    });

    it('still finds an article at an address of up to 2,000 characters', async () => {
      const article = await publishedArticle(t.deps);
      const res = await editor.get(`/staff/comments?article=${encodeURIComponent(article.path)}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`action="/staff/comments/articles/${article.id}"`));
    });
  });
}
