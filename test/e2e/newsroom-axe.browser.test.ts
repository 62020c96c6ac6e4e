import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createSession } from '../../src/accounts/sessions.js';
import { testApp, testClock, type TestApp } from '../../src/accounts/accounts.testing.js';
import type { DatabaseHandle } from '../../src/db/db.js';
import { testBackends } from '../../src/db/db-test.js';
import type { Language } from '../../src/lib/language.js';
import {
  createStory,
  publishNow,
  saveStory,
  scheduleStory,
  submitStory,
} from '../../src/newsroom/newsroom.service.js';
import { ensureSections, staffAccount, storyContent } from '../../src/newsroom/newsroom.testing.js';
import type { StoryActor } from '../../src/newsroom/story.js';
import { assertAccessible, launchChromium, skipWithoutChromium } from './chromium.js';

/**
 * The newsroom's pages checked with axe-core (WCAG 2.2 AA) in Debian's Chromium, in English and
 * Korean, on a phone (390 px) and a desk (1280 px), signed in as an editor: the app runs in this
 * process on PGlite, its data made through the newsroom's services. A newsroom page joins the
 * check by adding its address, and what it needs made, to NEWSROOM_PAGES.
 */

const EDITIONS: readonly Language[] = ['en', 'ko'];
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;

/** What the pages' set-ups share: the app, its clock, an editor, and what was made (by name). */
type Fixture = {
  t: TestApp;
  editor: StoryActor;
  reporter: StoryActor;
  made: Map<string, string>;
};

type NewsroomPage = {
  /** The page's address in the English edition (the Korean one is under /ko). */
  path: (made: Fixture['made']) => string;
  /** Makes what the page shows, before any page is visited. */
  setup?: (fixture: Fixture) => Promise<void>;
  /** What the page must hold (a CSS selector), so axe never passes a page left empty by mistake. */
  shows: string;
};

/** Stories in every state the list shows, and one scheduled story left late. */
async function storiesOfEveryKind({ t, editor, reporter, made }: Fixture): Promise<void> {
  const deps = t.deps;
  const draft = await createStory(deps, reporter, storyContent({ headline: 'Draft on fares' }));
  made.set('draft', draft.id);
  const korean = await createStory(
    deps,
    reporter,
    storyContent({ language: 'ko', section: 'business', headline: '서울 지하철 요금 인상' }),
  );
  await submitStory(deps, reporter, korean.id);
  const content = storyContent({ headline: 'Market opens higher' });
  const live = await createStory(deps, editor, content);
  await publishNow(deps, editor, live.id);
  await saveStory(deps, editor, live.id, 1, { ...content, summary: 'Revised summary.' });
  await submitStory(deps, editor, live.id);
  const due = new Date(Math.ceil((t.clock.now.getTime() + 60_000) / 60_000) * 60_000);
  const scheduled = await createStory(deps, editor, storyContent({ headline: 'Budget at noon' }));
  await scheduleStory(deps, editor, scheduled.id, due);
  // The scheduler has not run, and the story is now more than a minute late.
  t.clock.advance(180);
}

/** Every newsroom page axe checks; a page added to the newsroom is added here. */
const NEWSROOM_PAGES: readonly NewsroomPage[] = [
  { path: () => '/newsroom', setup: storiesOfEveryKind, shows: '.newsroom-late' },
  { path: () => '/newsroom?review=1', shows: '.newsroom-stories tbody tr' },
  // Filters open, and nothing found: the empty state.
  {
    path: () => `/newsroom?q=${encodeURIComponent('없는 제목')}&language=ko`,
    shows: '.newsroom-empty',
  },
];

function inEdition(language: Language, path: string): string {
  return language === 'en' ? path : `/ko${path}`;
}

for (const backend of testBackends().slice(0, 1)) {
  describe(
    `the newsroom's pages pass axe in both editions, phone and desk (${backend.name})`,
    { skip: skipWithoutChromium },
    () => {
      let handle: DatabaseHandle;
      let t: TestApp;
      let browser: Browser | undefined;
      let baseUrl = '';
      let token = '';
      const made = new Map<string, string>();

      before(async () => {
        handle = await backend.open();
        t = await testApp(handle, { clock: testClock(new Date('2026-12-07T09:00:00Z')) });
        await ensureSections(handle);
        const editor = await staffAccount(t.deps, 'editor', '박편집');
        const reporter = await staffAccount(t.deps, 'reporter', 'Kim Min-ji');
        const fixture: Fixture = {
          t,
          editor: { accountId: editor.id, role: 'editor' },
          reporter: { accountId: reporter.id, role: 'reporter' },
          made,
        };
        for (const page of NEWSROOM_PAGES) await page.setup?.(fixture);
        // Signed in as the tests' browser journeys sign staff in: a staff session's cookie.
        ({ token } = await createSession(t.deps, {
          accountId: editor.id,
          kind: 'staff',
          method: 'password+totp',
          userAgent: 'newsroom-axe',
          ip: '127.0.0.1',
        }));
        baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
        browser = await launchChromium();
      });
      after(async () => {
        await browser?.close();
        await t.app.close();
        await handle.close();
      });

      for (const viewport of VIEWPORTS) {
        it(`finds nothing at ${viewport.width} px`, async () => {
          assert.ok(browser, 'Chromium started');
          const context = await browser.newContext({ viewport });
          await context.addCookies([{ name: 'byline_session', value: token, url: baseUrl }]);
          const page = await context.newPage();
          const errors: string[] = [];
          page.on('console', (m) => {
            if (m.type() === 'error') errors.push(m.text());
          });
          page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
          try {
            for (const entry of NEWSROOM_PAGES) {
              for (const language of EDITIONS) {
                const where = inEdition(language, entry.path(made));
                const response = await page.goto(`${baseUrl}${where}`, { waitUntil: 'load' });
                assert.equal(response?.status(), 200, where);
                assert.ok(
                  (await page.locator(entry.shows).count()) > 0,
                  `${where}: ${entry.shows}`,
                );
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
            await context.close();
          }
        });
      }
    },
  );
}
