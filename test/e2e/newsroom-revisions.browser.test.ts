import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { testApp, type TestApp } from '../../src/accounts/accounts.testing.js';
import { createSession } from '../../src/accounts/sessions.js';
import type { DatabaseHandle } from '../../src/db/db.js';
import { testBackends } from '../../src/db/db-test.js';
import { createStory, saveStory } from '../../src/newsroom/newsroom.service.js';
import { ensureSections, staffAccount, storyContent } from '../../src/newsroom/newsroom.testing.js';
import type { StoryActor } from '../../src/newsroom/story.js';
import {
  assertAccessible,
  launchChromium,
  newPerson,
  skipWithoutChromium,
  type Person,
} from './chromium.js';

/**
 * The revisions pages in Chromium, in both editions: the list, a comparison and the page of a
 * restore kept aside after a conflict, each checked with axe (WCAG 2.2 AA) with the site's real
 * stylesheet and CSP, and used with the keyboard alone (compare two revisions, restore one).
 */

const [pglite] = testBackends();

describe('newsroom revisions in Chromium', { skip: skipWithoutChromium }, () => {
  let handle: DatabaseHandle;
  let t: TestApp;
  let browser: Browser;
  let person: Person;
  let base = '';
  let editor: StoryActor;
  let storyId = '';

  before(async () => {
    assert.ok(pglite);
    handle = await pglite.open();
    t = await testApp(handle);
    await ensureSections(handle);
    const account = await staffAccount(handle, 'editor', '박지호');
    editor = { accountId: account.id, role: 'editor' };
    const first = storyContent({
      headline: '지하철 요금 3월부터 오른다',
      summary: '서울시가 지하철 기본요금을 150원 올린다.',
      language: 'ko',
      body: {
        type: 'doc',
        content: [
          '첫 문단이다.',
          '둘째 문단이다.',
          '셋째 문단이다.',
          '서울시가 요금을 올린다.',
        ].map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
      },
    });
    const { id } = await createStory(t.deps, editor, first);
    storyId = id;
    const saved = await saveStory(t.deps, editor, id, 1, {
      ...first,
      headline: '지하철·버스 요금 3월부터 오른다',
      tags: ['교통'],
      bylines: [{ name: '김민지', email: 'minji@example.com' }],
      body: {
        type: 'doc',
        content: [
          '첫 문단이다.',
          '둘째 문단이다.',
          '셋째 문단이다.',
          '서울시는 요금을 150원 올린다.',
        ].map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
      },
    });
    assert.equal(saved.kind, 'saved');
    const { token } = await createSession(t.deps, {
      accountId: account.id,
      kind: 'staff',
      method: 'password+totp',
      userAgent: 'revisions.browser.test',
      ip: '127.0.0.1',
    });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    person = await newPerson(browser);
    await person.context.addCookies([{ name: 'byline_session', value: token, url: base }]);
  });

  after(async () => {
    await browser.close();
    await t.app.close();
    await handle.close();
  });

  for (const prefix of ['', '/ko']) {
    it(`passes axe on the list and a comparison${prefix ? ' in Korean' : ''}`, async () => {
      const { page } = person;
      const list = await page.goto(`${base}${prefix}/newsroom/stories/${storyId}/revisions`);
      assert.equal(list?.status(), 200);
      await assertAccessible(page, `${prefix}/newsroom/stories/:id/revisions`);
      // The compare form, with the keyboard: the older revision chosen, then submitted.
      await page.focus('#compare-from');
      await page.keyboard.press('End');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Home');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/compare\?from=1&to=2$/);
      await assertAccessible(page, `${prefix}/newsroom/stories/:id/compare`);
      const removed = await page.locator('.diff-removed').first().textContent();
      assert.match(removed ?? '', prefix ? /\[삭제: 지하철 \(끝: 삭제\)\]/ : /\[removed: 지하철 /);
      assert.deepEqual(person.errors, []);
    });
  }

  it('restores with the keyboard, and shows a restore kept aside after a conflict', async () => {
    const { page } = person;
    await page.goto(`${base}/ko/newsroom/stories/${storyId}/revisions`);
    // Someone saves meanwhile: the page's restore is now based on an older revision.
    const current = await saveStory(t.deps, editor, storyId, 2, storyContent({ language: 'ko' }));
    assert.equal(current.kind, 'saved');
    await page.focus('form[action$="/revisions/1/restore"] button');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/revisions/1/restore')),
      page.keyboard.press('Enter'),
    ]);
    assert.equal(response.status(), 409);
    await page.waitForLoadState();
    assert.match((await page.textContent('main')) ?? '', /제4판으로 보관/);
    await assertAccessible(page, '/ko/newsroom/stories/:id/revisions/:number/restore (409)');
    // Chromium logs the page's own 409 as a failed load; anything else (a CSP refusal) is a fault.
    assert.deepEqual(
      person.errors.filter((e) => !e.includes('status of 409 (Conflict)')),
      [],
    );
  });
});
