import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  frontPageArticle,
  logInByEmailedCode,
  launchChromium,
  skipWithoutChromium,
} from './chromium.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * A new reader's comment journey in Chromium against the real server (`byline serve`, PGlite):
 * log in with an e-mailed code from the comment area, watch `(0/250 characters)` count 250 Korean
 * characters and an emoji, be refused at 251 with nothing stored, post, and see a second reader's
 * browser receive the comment live (no reload), agree with it and reply, and the reply reach the first
 * browser live. The pages stay free of axe violations and console or CSP errors throughout.
 */

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const KOREAN_250 = '가나다라마바사아자차'.repeat(25);

const skip = skipWithoutChromium;

type Reader = { context: BrowserContext; page: Page; errors: string[] };

/** The article's id, from the live address its comment section carries. */
async function articleIdOf(page: Page): Promise<string> {
  const live = (await page.locator('[data-live-url]').getAttribute('data-live-url')) ?? '';
  const id = /\/articles\/(\d+)\//.exec(live)?.[1];
  assert.ok(id, 'the comment section names its article');
  return id;
}

describe('a reader comments, another sees it live, in Chromium', { skip }, () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let article = '';

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-comments-journey-'));
    server = await startServer({ BYLINE_DATA_DIR: dataDir });
    article = await frontPageArticle(server.url);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A reader in a browser of their own, logged in from the article's comment area. */
  async function loggedInReader(
    email: string,
    name: string,
    screen: 'desktop' | 'phone' = 'desktop',
  ): Promise<Reader> {
    assert.ok(browser && server);
    const context = await browser.newContext(
      screen === 'phone'
        ? { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true }
        : { viewport: { width: 1280, height: 900 } },
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    await page.goto(`${server.url}${article}`, { waitUntil: 'load' });
    const comments = page.getByRole('region', { name: 'Comments' });
    assert.match(
      await comments.innerText(),
      /To write comments, please log in to one of the accounts\./,
    );
    await comments.getByRole('link', { name: 'Log in', exact: true }).click();
    await page.waitForURL((target) => target.pathname === '/login');
    await logInByEmailedCode(page, path.join(dataDir, 'outbox'), email, name);
    await page.waitForURL(`${server.url}${article}#comments`);
    return { context, page, errors };
  }

  const counterText = (page: Page) =>
    page.locator('#comment-counter-main').evaluate((el) => el.textContent.replace(/^\D*\(/, '('));

  it('counts, refuses 251, posts, and a second browser receives the comment live', async () => {
    const first = await loggedInReader('first.commenter@example.com', '첫 독자');
    const second = await loggedInReader('second.commenter@example.com', 'Second Reader');
    const { page } = first;

    // The counter, as a new reader sees it.
    const box = page.getByLabel('Your comment');
    assert.equal(await counterText(page), '(0/250 characters)');
    await box.focus();
    await page.keyboard.insertText(KOREAN_250);
    assert.equal(await counterText(page), '(250/250 characters)');
    await page.keyboard.insertText('👍🏽');
    assert.equal(await counterText(page), '(251/250 characters)');
    assert.match(
      (await page.locator('#comment-counter-main').getAttribute('class')) ?? '',
      /\bover\b/,
    );

    // 251 refused by the server with a clear message; the text stays in the box.
    await page.getByLabel(/I have read the Standards Board Policy/).check();
    await page.getByRole('button', { name: 'Post comment' }).click();
    const error = page
      .locator('.comment-form[data-comment-form]')
      .first()
      .locator('[data-comment-error]');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.innerText(), /251 characters; the limit is 250/);
    assert.equal(await box.inputValue(), `${KOREAN_250}👍🏽`);
    assert.equal(await page.locator('.comment-list > .comment').count(), 0);

    // Back to 250 and one emoji counted as one: 249 Korean + 👍🏽 = 250.
    await box.fill(`${KOREAN_250.slice(1)}👍🏽`);
    assert.equal(await counterText(page), '(250/250 characters)');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const mine = page.locator('.comment-list > li.comment').first();
    await mine.waitFor();
    assert.equal(await counterText(page), '(0/250 characters)');
    const id = (await mine.getAttribute('data-comment-id')) ?? '';
    assert.match(id, /^\d+$/);

    // The second browser, open all along, receives it without reloading.
    const received = second.page.locator(`#comment-${id}`);
    await received.waitFor({ timeout: 15_000 });
    assert.match(await received.innerText(), /첫 독자/);
    assert.equal(await second.page.locator('[data-comment-count]').innerText(), '1');
    // The "no comments yet" line goes with the first comment, in both browsers.
    for (const reader of [first, second])
      assert.equal(await reader.page.locator('[data-comments-empty]').count(), 0);

    // Agree, in place.
    await received
      .getByRole('button', { name: /^Agree/ })
      .first()
      .click();
    await received.locator('[data-up-count]').filter({ hasText: '1' }).waitFor();
    assert.equal(
      await received.getByRole('button', { name: /^Agree/ }).getAttribute('aria-pressed'),
      'true',
    );
    // The author's page, open all along, shows the new count without reloading.
    await page
      .locator(`#comment-${id} > .comment-actions [data-up-count]`)
      .filter({ hasText: '1' })
      .waitFor({ timeout: 15_000 });

    // A reply, which reaches the first browser live.
    await received.getByText('Reply', { exact: true }).click();
    const replyForm = received.locator('form[data-comment-form]');
    await replyForm.getByLabel('Your reply').fill('동의합니다. 좋은 지적이에요 🙂');
    await replyForm.getByLabel(/I have read the Standards Board Policy/).check();
    await replyForm.getByRole('button', { name: 'Post reply' }).click();
    await received.locator('[data-replies-for] .comment').first().waitFor();
    await page.locator(`[data-replies-for="${id}"] .comment`).first().waitFor({ timeout: 15_000 });
    assert.match(await page.locator(`[data-replies-for="${id}"]`).innerText(), /동의합니다/);

    // Every other page that shows comments, in both languages, for the reader they belong to.
    const visits: [Reader, string][] = [
      [first, '/account/comments'],
      [first, '/ko/account/comments'],
      [first, `/comments/${id}`],
      [first, `/comments/${id}/edit`],
      [first, `/ko/comments/${id}/delete`],
      [second, `/comments/${id}/report`],
      [second, `/ko/articles/${await articleIdOf(page)}/comments?sort=top`],
    ];
    for (const [reader, where] of visits) {
      const response = await reader.page.goto(`${server?.url ?? ''}${where}`, {
        waitUntil: 'load',
      });
      assert.equal(response?.status(), 200, where);
      const axe = await new AxeBuilder({ page: reader.page }).withTags(AXE_TAGS).analyze();
      assert.deepEqual(
        axe.violations.map((v) => `${where} ${v.id}: ${v.nodes[0]?.target.join(' ') ?? ''}`),
        [],
      );
    }

    for (const reader of [first, second]) {
      const axe = await new AxeBuilder({ page: reader.page }).withTags(AXE_TAGS).analyze();
      assert.deepEqual(
        axe.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ') ?? ''}`),
        [],
      );
      assert.deepEqual(
        reader.errors.filter((e) => !/status of 422/.test(e)),
        [],
        'no console or CSP errors',
      );
      await reader.context.close();
    }
  });

  it('gives every control under a comment a 44 × 44 px target on a 390 px touch screen', async () => {
    const reader = await loggedInReader('touch.reader@example.com', 'Touch Reader', 'phone');
    const { page } = reader;
    assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true);
    const comment = page.locator('.comment-list > li.comment').first();
    await comment.waitFor();
    const boxes = await comment.evaluate((li) =>
      [
        ...li.querySelectorAll(
          ':scope > .comment-actions button, :scope > .comment-actions a, :scope > .comment-reply > summary, :scope > .comment-meta a',
        ),
        ...document.querySelectorAll('.comment-sort a'),
      ].map((element) => {
        const box = element.getBoundingClientRect();
        return { what: element.textContent.trim(), width: box.width, height: box.height };
      }),
    );
    const names = boxes.map((b) => b.what).join(' | ');
    for (const expected of [/^Agree/, /^Disagree/, /^Reply$/, /^Report$/, /^Newest$/])
      assert.ok(
        boxes.some((b) => expected.test(b.what)),
        `${expected.source} is measured: ${names}`,
      );
    const small = boxes.filter((b) => b.width < 44 || b.height < 44);
    assert.deepEqual(small, [], 'every target is at least 44 × 44 px');
    assert.deepEqual(reader.errors, [], 'no console or CSP errors');
    await reader.context.close();
  });
});
