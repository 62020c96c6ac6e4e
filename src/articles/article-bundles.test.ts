import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestBrowser, testApp, type TestApp } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { loadDemoContentOnce } from './articles.transfer.js';

/**
 * A page loads only the browser bundles it uses (PageMeta.bundles, ADR 14): the comments island
 * on an article page, whose comment area it drives, and no script at all on the pages that list
 * articles or carry the site's own text.
 */

const scriptsOf = (html: string) => [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);

for (const backend of [testBackends()[0]].flatMap((b) => (b ? [b] : []))) {
  describe(`browser bundles on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let articlePath = '';

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle);
      const [first] = await loadDemoContentOnce(t.deps);
      assert.ok(first, 'the demo has articles');
      const row = await handle.db
        .selectFrom('articles')
        .select('path')
        .where('language', '=', 'en')
        .where('status', '=', 'published')
        .executeTakeFirstOrThrow();
      assert.ok(row.path, 'a published article has an address');
      articlePath = row.path;
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    it('loads the comments island on an article page, and only it', async () => {
      const page = await new TestBrowser(t.app).get(articlePath);
      assert.equal(page.statusCode, 200);
      const scripts = scriptsOf(page.body);
      assert.equal(scripts.length, 1, scripts.join(', '));
      assert.match(scripts[0] ?? '', /^\/assets\/comments\.[0-9a-f]{12}\.js$/);
    });

    it('loads no script on the home page, in either edition, or on the site pages', async () => {
      const visitor = new TestBrowser(t.app);
      for (const path of ['/', '/ko', '/privacy', '/ko/about', '/policy']) {
        const page = await visitor.get(path);
        assert.equal(page.statusCode, 200, path);
        assert.deepEqual(scriptsOf(page.body), [], path);
      }
    });
  });
}
