import type { Messages } from '../views/i18n.js';

/**
 * A session's browser and system as a reader recognises them ("Chrome on Android"), read from
 * the User-Agent header its login sent. The raw header is kept in `sessions.user_agent` and goes
 * into the data download; the account page shows only these names, which fit a phone's width.
 * Only the products a reader of a Korean and English newspaper is likely to use are named;
 * anything else is "unknown", never a guess.
 */

export type BrowserName =
  'kakaotalk' | 'naver' | 'whale' | 'samsung' | 'edge' | 'opera' | 'firefox' | 'chrome' | 'safari';

export type SystemName = 'iphone' | 'ipad' | 'android' | 'chromeos' | 'windows' | 'macos' | 'linux';

export type UserAgentNames = { browser: BrowserName | null; system: SystemName | null };

/**
 * Most specific first: in-app browsers and Chromium's offspring carry `Chrome/` and `Safari/`
 * too, and Chrome carries `Safari/`, so a later test would take them for their ancestor.
 */
const BROWSERS: readonly (readonly [BrowserName, RegExp])[] = [
  ['kakaotalk', /KAKAOTALK/i],
  ['naver', /NAVER\(inapp/],
  ['whale', /\bWhale\//],
  ['samsung', /\bSamsungBrowser\//],
  ['edge', /\bEdg(?:e|A|iOS)?\//],
  ['opera', /\b(?:OPR|OPiOS)\//],
  ['firefox', /\b(?:Firefox|FxiOS)\//],
  ['chrome', /\b(?:Chrome|CriOS|Chromium)\//],
  ['safari', /\bVersion\/[\d.]+.*\bSafari\//],
];

/** iPhones and iPads also say "like Mac OS X", and Android says "Linux": they come first. */
const SYSTEMS: readonly (readonly [SystemName, RegExp])[] = [
  ['iphone', /\biPhone\b/],
  ['ipad', /\biPad\b/],
  ['android', /\bAndroid\b/],
  ['chromeos', /\bCrOS\b/],
  ['windows', /\bWindows\b/],
  ['macos', /\bMacintosh\b|\bMac OS X\b/],
  ['linux', /\bLinux\b/],
];

/**
 * The header is whatever the client sent, up to the server's header limit; only the first part
 * is read, as every product token that matters comes well before this, and no pattern here can
 * take more than linear time on it.
 */
const READ_CHARACTERS = 512;

export function nameUserAgent(userAgent: string): UserAgentNames {
  const head = userAgent.slice(0, READ_CHARACTERS);
  const browser = BROWSERS.find(([, pattern]) => pattern.test(head))?.[0] ?? null;
  const system = SYSTEMS.find(([, pattern]) => pattern.test(head))?.[0] ?? null;
  return { browser, system };
}

/** The names in the reader's language: "Chrome on Android", "안드로이드의 크롬". */
export function userAgentLabel(t: Messages, userAgent: string): string {
  const { browser, system } = nameUserAgent(userAgent);
  if (browser === null)
    return system === null
      ? t.accountSessionUnknownDevice
      : t.accountSessionUnknownOn(t.accountSessionSystem[system]);
  const name = t.accountSessionBrowser[browser];
  return system === null ? name : t.accountSessionOn(name, t.accountSessionSystem[system]);
}
