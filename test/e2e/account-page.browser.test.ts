import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertAccessible,
  latestOutboxCode,
  launchChromium,
  skipWithoutChromium,
} from './chromium.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * The account page on a phone (issue 13, item 6), in Chromium against the real server: a reader
 * logged in from four phones sees each named ("Chrome on Android"), and at 390 px wide neither
 * edition is wider than the screen nor sets text in columns a letter or two wide. With
 * BYLINE_SCREENSHOT_DIR set, the pages are saved there at 390 and 1280 px for a person to look at.
 */

const EMAIL = 'phone.reader@example.com';
const PHONES: readonly (readonly [string, string, string])[] = [
  [
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    'Chrome on Android',
    '안드로이드의 크롬',
  ],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    'Safari on iPhone',
    '아이폰의 사파리',
  ],
  [
    'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
    'Samsung Internet on Android',
    '안드로이드의 삼성 인터넷',
  ],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.4.5',
    'KakaoTalk’s browser on iPhone',
    '아이폰의 카카오톡 브라우저',
  ],
];

/** How the page lays out: its width beyond the screen, and text squeezed into narrow columns. */
async function layoutFaults(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const faults: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width)
      faults.push(
        `page is ${document.documentElement.scrollWidth} px wide on a ${width} px screen`,
      );
    for (const el of document.querySelectorAll('main *')) {
      const text = [...el.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => (node.textContent ?? '').trim())
        .join('');
      if (Array.from(text).length < 4) continue;
      const box = el.getBoundingClientRect();
      const fontSize = parseFloat(getComputedStyle(el).fontSize);
      // Three characters a line at the least: a column narrower sets a letter or two a line.
      if (box.width < fontSize * 3)
        faults.push(`"${text.slice(0, 20)}" in a column ${Math.round(box.width)} px wide`);
      if (box.right > width + 1) faults.push(`"${text.slice(0, 20)}" runs past the screen`);
    }
    return faults;
  });
}

describe('the account page at 390 px, in English and Korean', { skip: skipWithoutChromium }, () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let reader: Page | undefined;
  const shots = process.env.BYLINE_SCREENSHOT_DIR;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-account-page-'));
    [server, browser] = await Promise.all([
      startServer({ BYLINE_DATA_DIR: dataDir }),
      launchChromium(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Logs the reader in by e-mailed code from a browser that sends `userAgent`. */
  async function logInFrom(userAgent: string): Promise<Page> {
    assert.ok(browser && server);
    const context = await browser.newContext({
      userAgent,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`, { waitUntil: 'load' });
    await page.getByLabel('E-mail address').fill(EMAIL);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.waitForURL((target) => target.pathname === '/login/email/code');
    await page
      .getByLabel('Six-digit code')
      .fill(latestOutboxCode(path.join(dataDir, 'outbox'), EMAIL));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((target) => target.pathname !== '/login/email/code');
    if (new URL(page.url()).pathname === '/account/name') {
      await page.getByLabel('Display name').fill('휴대폰으로 읽는 독자');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL((target) => target.pathname !== '/account/name');
    }
    return page;
  }

  it('names each phone the reader is logged in from, in both editions', async () => {
    for (const [userAgent] of PHONES) reader = await logInFrom(userAgent);
    assert.ok(reader && server);
    await reader.goto(`${server.url}/account`, { waitUntil: 'load' });
    const english = await reader.locator('.session-list').innerText();
    await reader.goto(`${server.url}/ko/account`, { waitUntil: 'load' });
    const korean = await reader.locator('.session-list').innerText();
    for (const [userAgent, en, ko] of PHONES) {
      assert.ok(english.includes(en), `${en} in ${english}`);
      assert.ok(korean.includes(ko), `${ko} in ${korean}`);
      assert.ok(!english.includes(userAgent) && !korean.includes(userAgent));
    }
  });

  for (const [prefix, language] of [
    ['', 'en'],
    ['/ko', 'ko'],
  ] as const)
    it(`fits /account in ${language} on a 390 px screen, with no letter-wide columns`, async () => {
      assert.ok(reader && server);
      for (const width of [390, 1280]) {
        await reader.setViewportSize({ width, height: 844 });
        await reader.goto(`${server.url}${prefix}/account`, { waitUntil: 'load' });
        assert.deepEqual(await layoutFaults(reader), [], `${language} at ${width} px`);
        if (shots) {
          fs.mkdirSync(shots, { recursive: true });
          await reader.screenshot({
            path: path.join(shots, `account-${language}-${width}.png`),
            fullPage: true,
          });
        }
      }
      await reader.setViewportSize({ width: 390, height: 844 });
      await assertAccessible(reader, `${prefix}/account at 390 px`);
    });
});
