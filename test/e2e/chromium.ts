import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { totpCodeAt } from '../../src/accounts/credentials/totp.js';
import { runCli } from './cli-process.js';

/**
 * What the browser journeys share: Debian's Chromium (never a downloaded one), the login code a
 * reader reads in the development outbox, an article the demo front page links to, and staff
 * accounts added with the CLI, set up and signed in with password and authenticator code.
 */

export const CHROMIUM = '/usr/bin/chromium';

/** The reason a browser suite is skipped, or false when Chromium is installed. */
export const skipWithoutChromium = fs.existsSync(CHROMIUM)
  ? false
  : 'Chromium is not installed (apt-get install chromium): browser checks not run';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

/** The code in the newest message to `to` in the outbox, from an English-language login. */
export function latestOutboxCode(outbox: string, to: string): string {
  for (const file of fs.readdirSync(outbox).sort().reverse()) {
    const message = fs.readFileSync(path.join(outbox, file), 'utf8');
    if (!message.includes(`To: ${to}`)) continue;
    const match = /login code is (\d{6})/.exec(message);
    if (match?.[1]) return match[1];
  }
  throw new Error(`no login code for ${to} in ${outbox}`);
}

/** The first article the English front page links to. */
export async function frontPageArticle(baseUrl: string): Promise<string> {
  const html = await fetch(`${baseUrl}/`).then((res) => res.text());
  const found = /<a href="(\/\d{4}\/[^"]+)"/.exec(html)?.[1];
  if (!found) throw new Error('the front page links to no article');
  return found;
}

/** A staff account made with `byline user add`, before its owner has set it up. */
export type Staff = { email: string; setupPath: string };

/** The password every staff account in the browser journeys is given at set-up. */
export const STAFF_PASSWORD = '기사는 사실로 말하고 댓글은 원칙으로 지킨다';

/**
 * Adds a staff account with the CLI and returns its one-time set-up link as a path, valid on
 * whatever address the server gets. Must run before `byline serve` starts on `dataDir`: the
 * embedded database admits one process at a time.
 */
export async function addStaff(
  dataDir: string,
  email: string,
  role: 'moderator' | 'reporter' | 'editor' | 'admin',
  name: string,
): Promise<Staff> {
  const added = await runCli(['user', 'add', '--email', email, '--role', role, '--name', name], {
    BYLINE_DATA_DIR: dataDir,
  });
  assert.equal(added.code, 0, added.stderr);
  const link = /https?:\/\/\S+\/staff\/setup\/[A-Za-z0-9_-]{43}/.exec(added.stdout)?.[0];
  assert.ok(link, `byline user add prints a set-up link: ${added.stdout}`);
  return { email, setupPath: new URL(link).pathname };
}

/**
 * Sets the account up through its one-time link on `page` (STAFF_PASSWORD, and the authenticator
 * key the page shows), then signs in on the page `returnTo` sends the staff member to, and leaves
 * `page` there. The sign-in code is the next time step's: the set-up used the current one, and a
 * code never works twice.
 */
export async function setUpAndSignInStaff(
  page: Page,
  baseUrl: string,
  account: Staff,
  returnTo: string,
): Promise<void> {
  const setup = await page.goto(`${baseUrl}${account.setupPath}`, { waitUntil: 'load' });
  assert.equal(setup?.status(), 200, account.setupPath);
  const text = await page.locator('.totp-secret').innerText();
  const secret = decodeBase32IgnorePadding(text.replaceAll(' ', ''));
  await page.getByLabel('New password', { exact: true }).fill(STAFF_PASSWORD);
  await page.getByLabel('New password again').fill(STAFF_PASSWORD);
  await page.getByLabel('Code from your authenticator app').fill(totpCodeAt(secret, new Date()));
  await page.getByRole('button', { name: 'Save and finish' }).click();
  await page.waitForURL((target) => target.pathname === '/staff/login');

  const response = await page.goto(`${baseUrl}${returnTo}`, { waitUntil: 'load' });
  assert.ok(response);
  await page.waitForURL((target) => target.pathname === '/staff/login');
  await page.getByLabel('E-mail address').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
  await page
    .getByLabel('Code from your authenticator app')
    .fill(totpCodeAt(secret, new Date(Date.now() + 30_000)));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((target) => target.pathname !== '/staff/login');
}

/**
 * On the login page: asks for an e-mailed code, types it back from the outbox, and chooses a
 * display name (a first login). The caller waits for the page the login returns to.
 */
export async function logInByEmailedCode(
  page: Page,
  outbox: string,
  email: string,
  name: string,
): Promise<void> {
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.waitForURL((target) => target.pathname === '/login/email/code');
  await page.getByLabel('Six-digit code').fill(latestOutboxCode(outbox, email));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((target) => target.pathname === '/account/name');
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
}

/** The WCAG 2.2 AA rule sets every browser journey checks with axe-core. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Asserts that axe-core finds nothing on `page`, naming each violation's rule and nodes. Legacy
 * mode runs axe.run in the page itself instead of finishing in a blank page opened for each
 * check, which costs a page per check; it loses only cross-origin frames, which no page of ours
 * has.
 */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode().analyze();
  const found = results.violations.map(
    (v) =>
      `${where} ${v.id} [${v.impact ?? '?'}] ${v.help}: ${v.nodes
        .map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`.replaceAll('\n', ' '))
        .join(' | ')}`,
  );
  assert.deepEqual(found, [], `axe found violations on ${where}`);
}

/** A person in a browser context of their own, with everything its pages logged as errors. */
export type Person = { context: BrowserContext; page: Page; errors: string[] };

/**
 * Opens a context and a page that records console errors and uncaught exceptions. Chromium
 * reports a CSP violation as a console error, so this one list covers both.
 */
export async function newPerson(browser: Browser): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { context, page, errors };
}
