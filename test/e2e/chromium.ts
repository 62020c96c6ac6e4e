import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * What the browser journeys share: Debian's Chromium (never a downloaded one), the login code a
 * reader reads in the development outbox, and an article the demo front page links to.
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
