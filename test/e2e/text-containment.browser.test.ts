import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { testApp, type TestApp } from '../../src/accounts/accounts.testing.js';
import { postComment } from '../../src/comments/comments.service.js';
import {
  publishedArticle,
  resetComments,
  testReader,
} from '../../src/comments/comments.testing.js';
import type { DatabaseHandle } from '../../src/db/db.js';
import { testBackends } from '../../src/db/db-test.js';
import { launchChromium, skipWithoutChromium } from './chromium.js';

/**
 * What one visible character may draw (issue 13, item 26). The server now refuses a character of
 * more than 32 code units, but text stored before that rule is still shown: a comment and a name
 * that are each one cluster of 61 joined emoji (drawn side by side, and never broken, since a line
 * cannot break inside a cluster) must not widen a 390-pixel page.
 */

const WIDE_CLUSTER = `👩${'\u200D👩'.repeat(60)}`;

for (const backend of testBackends().slice(0, 1)) {
  describe(
    `readers' text stays in its box, in Chromium, on ${backend.name}`,
    { skip: skipWithoutChromium },
    () => {
      let handle: DatabaseHandle;
      let t: TestApp;
      let browser: Browser | undefined;
      let url = '';

      before(async () => {
        handle = await backend.open();
        await resetComments(handle);
        t = await testApp(handle);
        const article = await publishedArticle(t.deps);
        const author = await testReader(t.deps, '작성자');
        const posted = await postComment(t.deps, {
          articleId: article.id,
          authorId: author,
          body: '곧 바뀔 댓글',
        });
        // Written past the service, as text kept from before the rule would be.
        await handle.db
          .updateTable('comments')
          .set({ body: WIDE_CLUSTER })
          .where('id', '=', posted.id)
          .execute();
        await handle.db
          .updateTable('accounts')
          .set({ display_name: WIDE_CLUSTER })
          .where('id', '=', author)
          .execute();
        const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
        url = `${address}${article.path}`;
        browser = await launchChromium();
      });
      after(async () => {
        await browser?.close();
        await t.app.close();
        await handle.close();
      });

      it('keeps a one-cluster comment and name from widening a phone-sized page', async () => {
        assert.ok(browser);
        const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load' });
        const body = page.locator('.comment-body', { hasText: '👩' }).first();
        await body.waitFor();
        const widths = await page.evaluate(() => ({
          document: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
        }));
        assert.ok(widths.document <= widths.viewport, `the page is ${widths.document} px wide`);
        for (const selector of ['.comment-body', '.comment-author']) {
          const box = await page.locator(selector, { hasText: '👩' }).first().boundingBox();
          assert.ok(
            box && box.x >= 0 && box.x + box.width <= widths.viewport,
            `${selector} ${JSON.stringify(box)}`,
          );
        }
        await context.close();
      });
    },
  );
}
