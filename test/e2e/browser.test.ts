import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import { OAuth2Server } from 'oauth2-mock-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/lib/project-root.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * The reader pages in a real browser: accessibility (axe-core), console and CSP errors, the
 * article's visible promises, the keyboard path, and screenshots for a person to look at.
 * Debian's Chromium is driven by playwright-core, which never downloads a browser of its own.
 */

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(projectRoot(), 'test-results', 'screenshots');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 390, height: 844 };

type Viewport = { width: number; height: number };
/** A page under check, with everything it reported to the console while loaded. */
type Visit = { page: Page; errors: string[]; close(): Promise<void> };

/** The first article link on an edition's front page, found in the server's HTML. */
async function firstArticlePath(baseUrl: string, edition: '' | '/ko'): Promise<string> {
  const html = await fetch(`${baseUrl}${edition || '/'}`).then((res) => res.text());
  const pattern = new RegExp(`<a href="(${edition}/\\d{4}/[^"]+)"`);
  const found = pattern.exec(html)?.[1];
  assert.ok(found, `${edition || '/'} links to at least one article`);
  return found;
}

/**
 * Opens a fresh page and records console errors and uncaught exceptions. Chromium reports a CSP
 * violation as a console error ("Refused to load … violates the following Content Security
 * Policy directive"), so this one list covers both.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The code in the newest message to `to` in the development outbox, as a person would read it. */
function latestOutboxCode(outbox: string, to: string): string {
  const files = fs.readdirSync(outbox).sort();
  for (const file of files.reverse()) {
    const message = fs.readFileSync(path.join(outbox, file), 'utf8');
    if (!message.includes(`To: ${to}`)) continue;
    const match = /login code is (\d{6})/.exec(message);
    if (match?.[1]) return match[1];
  }
  throw new Error(`no login code for ${to} in ${outbox}`);
}

async function openPage(browser: Browser, viewport: Viewport = DESKTOP): Promise<Visit> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors, close: () => context.close() };
}

/** Loads a path and asserts its status; navigation waits for the load event. */
async function visit(page: Page, url: string, status: number): Promise<void> {
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.equal(response?.status(), status, `${url} answers ${status}`);
}

/** One line per violation: what a developer needs to find and fix it. */
function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((v) => {
      const target = v.nodes[0]?.target.join(' ') ?? '(no node)';
      return `- ${v.id} [${v.impact ?? 'unknown impact'}] at ${target}: ${v.help} (${v.nodes.length} node(s))`;
    })
    .join('\n');
}

async function assertAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  assert.equal(
    results.violations.length,
    0,
    `axe found violations on ${where}:\n${describeViolations(results.violations)}`,
  );
}

const STATUS_TEXT: Partial<Record<number, string>> = { 404: 'Not Found', 410: 'Gone' };

/** Chromium logs the main document's own error status as a console error; error pages expect it. */
function unexpectedErrors(errors: readonly string[], status: number, url: string): string[] {
  const text = STATUS_TEXT[status];
  if (text === undefined) return [...errors];
  const own = `the server responded with a status of ${status} (${text}) (${url})`;
  return errors.filter((e) => !e.startsWith('Failed to load resource: ') || !e.endsWith(own));
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(fs.existsSync(file) && fs.statSync(file).size > 0, `${file} exists and is not empty`);
}

type PageCase = { name: string; path: () => string; status: number };

const skip = fs.existsSync(CHROMIUM)
  ? false
  : 'Chromium is not installed (apt-get install chromium): browser checks not run';

describe('the reader pages in Chromium', { skip }, () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  // An OpenID Connect provider on loopback, configured as the generic one.
  const idp = new OAuth2Server();
  const articles = { en: '', ko: '' };
  const url = (p: string) => `${server?.url ?? ''}${p}`;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-browser-'));
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await idp.issuer.keys.generate('RS256');
    await idp.start(0, '127.0.0.1');
    idp.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
      token.payload.sub = 'oidc-reader-1';
      token.payload.name = 'Reader From Test ID';
    });
    // The callback address is built on the public URL, so the server needs a known port.
    const port = await freePort();
    server = await startServer({
      BYLINE_DATA_DIR: dataDir,
      BYLINE_PORT: String(port),
      BYLINE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BYLINE_OIDC_ISSUER: idp.issuer.url ?? '',
      BYLINE_OIDC_CLIENT_ID: 'byline-test',
      BYLINE_OIDC_CLIENT_SECRET: 'test-secret',
      BYLINE_OIDC_LABEL: 'Test ID',
    });
    articles.en = await firstArticlePath(server.url, '');
    articles.ko = await firstArticlePath(server.url, '/ko');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  // The browser first: its keep-alive connections would otherwise hold the server's close open.
  after(async () => {
    await browser?.close();
    await server?.stop();
    await idp.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function withPage<T>(viewport: Viewport, check: (visit: Visit) => Promise<T>): Promise<T> {
    assert.ok(browser, 'Chromium started');
    const opened = await openPage(browser, viewport);
    try {
      return await check(opened);
    } finally {
      await opened.close();
    }
  }

  const pages: PageCase[] = [
    { name: 'the English front page', path: () => '/', status: 200 },
    { name: 'the Korean front page', path: () => '/ko', status: 200 },
    { name: 'an English article', path: () => articles.en, status: 200 },
    { name: 'a Korean article', path: () => articles.ko, status: 200 },
    { name: 'the English national section', path: () => '/section/national', status: 200 },
    { name: 'the Korean national section', path: () => '/ko/section/national', status: 200 },
    { name: 'the English policy', path: () => '/policy', status: 200 },
    { name: 'the Korean policy', path: () => '/ko/policy', status: 200 },
    { name: 'the English login page', path: () => '/login', status: 200 },
    { name: 'the Korean login page', path: () => '/ko/login', status: 200 },
    { name: 'the staff sign-in page', path: () => '/staff/login', status: 200 },
    { name: 'the Korean staff sign-in page', path: () => '/ko/staff/login', status: 200 },
    {
      name: 'an expired staff set-up link',
      path: () => `/staff/setup/${'x'.repeat(43)}`,
      status: 410,
    },
    { name: 'the page-not-found page', path: () => '/no-such-page', status: 404 },
  ];

  for (const { name, path: pathOf, status } of pages) {
    it(`shows ${name} with no accessibility violations and no console or CSP errors`, () =>
      withPage(DESKTOP, async ({ page, errors }) => {
        const where = url(pathOf());
        await visit(page, where, status);
        await assertAccessible(page, where);
        assert.deepEqual(unexpectedErrors(errors, status, where), [], `errors on ${where}`);
      }));
  }

  it('shows an English article with its dates, byline and comment prompt, and no orphan counter', () =>
    withPage(DESKTOP, async ({ page }) => {
      await visit(page, url(articles.en), 200);
      const text = await page.locator('body').innerText();
      for (const expected of [
        'Published: ',
        'BY ',
        'To write comments, please log in to one of the accounts.',
      ])
        assert.ok(text.includes(expected), `the article shows "${expected}"`);
      assert.ok(!text.includes('(0/250'), 'no counter without a text box');
    }));

  it('leads from the article to the Standards Board Policy', () =>
    withPage(DESKTOP, async ({ page }) => {
      await visit(page, url(articles.en), 200);
      const comments = page.getByRole('region', { name: 'Comments' });
      await comments.getByRole('link', { name: 'Standards Board Policy' }).click();
      await page.waitForURL(url('/policy'));
      assert.equal(new URL(page.url()).pathname, '/policy');
    }));

  it('logs a new reader in with an e-mailed code from the outbox, shows their name, logs out', () =>
    withPage(DESKTOP, async ({ page }) => {
      const article = url(articles.en);
      await visit(page, article, 200);
      const comments = page.getByRole('region', { name: 'Comments' });
      await comments.getByRole('link', { name: 'Log in', exact: true }).click();
      await page.waitForURL((target) => target.pathname === '/login');
      await page.getByLabel('E-mail address').fill('new.reader@example.com');
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.waitForURL((target) => target.pathname === '/login/email/code');
      const code = latestOutboxCode(path.join(dataDir, 'outbox'), 'new.reader@example.com');
      await page.getByLabel('Six-digit code').fill(code);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((target) => target.pathname === '/account/name');
      await page.getByLabel('Display name').fill('김독자 Reader');
      await page.getByRole('button', { name: 'Save' }).click();
      // Back at the comments of the article the reader was reading.
      await page.waitForURL(`${article}#comments`);
      const banner = page.getByRole('banner');
      assert.equal(await banner.getByRole('link', { name: '김독자 Reader' }).count(), 1);
      const axe = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(
        axe.violations.map((v) => v.id),
        [],
      );
      await banner.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(article);
      assert.equal(await banner.getByRole('link', { name: '김독자 Reader' }).count(), 0);
      assert.equal(await banner.getByRole('link', { name: 'Log in' }).count(), 1);
    }));

  it('logs a reader in through the OpenID Connect provider on loopback and back', () =>
    withPage(DESKTOP, async ({ page }) => {
      const article = url(articles.en);
      await visit(page, article, 200);
      await page.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
      await page.waitForURL((target) => target.pathname === '/login');
      await page.getByRole('button', { name: 'Continue with Test ID' }).click();
      // To the provider, which answers at once, and back through our callback to the article.
      await page.waitForURL(article);
      const banner = page.getByRole('banner');
      assert.equal(await banner.getByRole('link', { name: 'Reader From Test ID' }).count(), 1);
      await banner.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(article);
      assert.equal(await banner.getByRole('link', { name: 'Log in' }).count(), 1);
    }));

  it('focuses the skip link on the first Tab, and Enter moves to the main content', () =>
    withPage(DESKTOP, async ({ page }) => {
      await visit(page, url(articles.en), 200);
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.textContent.trim());
      assert.equal(focused, 'Skip to content');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash === '#main');
      const target = await page.evaluate(() => document.querySelector(':target')?.id);
      assert.equal(target, 'main');
    }));

  const shots = [
    { name: 'article-en-desktop', article: 'en', viewport: DESKTOP },
    { name: 'article-en-mobile', article: 'en', viewport: MOBILE },
    { name: 'article-ko-desktop', article: 'ko', viewport: DESKTOP },
    { name: 'article-ko-mobile', article: 'ko', viewport: MOBILE },
  ] as const;
  for (const shot of shots) {
    it(`saves a full-page screenshot, ${shot.name}.png`, () =>
      withPage(shot.viewport, async ({ page }) => {
        await visit(page, url(articles[shot.article]), 200);
        await screenshot(page, shot.name);
      }));
  }
});
