import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Language } from '../../src/lib/language.js';
import { assertAccessible, launchChromium, skipWithoutChromium } from './chromium.js';
import { openNewsroom, type NewsroomFixture } from './newsroom-fixture.js';

/**
 * The newsroom's pages checked with axe-core (WCAG 2.2 AA) in Debian's Chromium, in English and
 * Korean, on a phone (390 px) and a desk (1280 px), signed in as an editor (the staff page as an
 * admin): the app runs in this process on PGlite, its stories made through the newsroom's services
 * (test/e2e/newsroom-fixture.ts). A newsroom page joins the check by adding its address to
 * NEWSROOM_PAGES.
 */

const EDITIONS: readonly Language[] = ['en', 'ko'];
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;

type NewsroomPage = {
  /** The page's address in the English edition (the Korean one is under /ko). */
  path: (made: NewsroomFixture['made']) => string;
  /** What the page must hold (a CSS selector), so axe never passes a page left empty by mistake. */
  shows: string;
  /** Who looks: an editor unless the page is the admin's. */
  as?: 'admin';
};

const story = (made: NewsroomFixture['made'], name: string) =>
  `/newsroom/stories/${made.get(name) ?? '0'}`;

/** Every newsroom page axe checks; a page added to the newsroom is added here. */
const NEWSROOM_PAGES: readonly NewsroomPage[] = [
  { path: () => '/newsroom', shows: '.newsroom-late' },
  { path: () => '/newsroom?review=1', shows: '.newsroom-stories tbody tr' },
  // Filters open, and nothing found: the empty state.
  {
    path: () => `/newsroom?q=${encodeURIComponent('없는 제목')}&language=ko`,
    shows: '.newsroom-empty',
  },
  { path: () => '/newsroom/stories/new', shows: '[data-editor-mount] [contenteditable]' },
  { path: (made) => story(made, 'review'), shows: '[data-editor-mount] [contenteditable]' },
  // Published with a revision in review, a correction form, and notes.
  { path: (made) => story(made, 'live'), shows: '#correction-body' },
  { path: (made) => story(made, 'sentBack'), shows: '.story-note-sent-back' },
  { path: (made) => story(made, 'scheduled'), shows: '.story-late' },
  { path: (made) => `${story(made, 'review')}/preview`, shows: 'article' },
  { path: (made) => `${story(made, 'live')}/revisions`, shows: '.revision-table' },
  { path: (made) => `${story(made, 'live')}/compare?from=1&to=2`, shows: '.diff-added' },
  { path: () => '/newsroom/staff', shows: '.staff-invite', as: 'admin' },
];

function inEdition(language: Language, path: string): string {
  return language === 'en' ? path : `/ko${path}`;
}

describe(
  `the newsroom's pages pass axe in both editions, phone and desk`,
  { skip: skipWithoutChromium },
  () => {
    let newsroom: NewsroomFixture | undefined;
    let browser: Browser | undefined;

    before(async () => {
      newsroom = await openNewsroom();
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await newsroom?.close();
    });

    for (const viewport of VIEWPORTS) {
      it(`finds nothing at ${viewport.width} px`, async () => {
        assert.ok(browser && newsroom, 'Chromium and the newsroom started');
        const { baseUrl, tokens, made } = newsroom;
        const errors: string[] = [];
        const signedIn = async (token: string) => {
          assert.ok(browser);
          const context = await browser.newContext({ viewport });
          await context.addCookies([{ name: 'byline_session', value: token, url: baseUrl }]);
          const page = await context.newPage();
          page.on('console', (m) => {
            if (m.type() === 'error') errors.push(`${m.text()} (${page.url()})`);
          });
          page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
          return { context, page };
        };
        const people = {
          editor: await signedIn(tokens.editor),
          admin: await signedIn(tokens.admin),
        };
        try {
          for (const entry of NEWSROOM_PAGES) {
            const { page } = people[entry.as ?? 'editor'];
            for (const language of EDITIONS) {
              const where = inEdition(language, entry.path(made));
              const response = await page.goto(`${baseUrl}${where}`, { waitUntil: 'load' });
              assert.equal(response?.status(), 200, where);
              assert.ok((await page.locator(entry.shows).count()) > 0, `${where}: ${entry.shows}`);
              // Folded filters hide their fields from axe: open them so they are checked too.
              await page.evaluate(() => {
                for (const details of document.querySelectorAll('details')) details.open = true;
              });
              await assertAccessible(page, `${where} at ${viewport.width} px`);
              const widths = await page.evaluate(() => ({
                page: document.documentElement.scrollWidth,
                viewport: window.innerWidth,
              }));
              assert.ok(widths.page <= widths.viewport, `${where} is ${widths.page} px wide`);
            }
          }
          assert.deepEqual(errors, [], 'no console or CSP errors');
        } finally {
          await people.editor.context.close();
          await people.admin.context.close();
        }
      });
    }
  },
);
