import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/lib/project-root.js';
import {
  addStaff,
  frontPageArticle,
  launchChromium,
  logInByEmailedCode,
  setUpAndSignInStaff,
} from './chromium.js';
import { startServer } from './cli-process.js';
import { openNewsroom } from './newsroom-fixture.js';

/**
 * Screenshots for a person to look at, run by hand after changing what readers, moderators or the
 * newsroom see: `node --import tsx test/e2e/screenshots.ts [name-filter]`. It serves a fresh demo
 * site, logs a reader in, posts and reports a comment, signs a moderator in, and saves every page
 * below at 390 and 1280 px in both editions to `test-results/screenshots/pages/`. The newsroom's
 * pages are shot from an app in this process (test/e2e/newsroom-fixture.ts), whose fixed clock
 * leaves one scheduled story late. The browser tests check what can be asserted; this is for what
 * has to be seen.
 */

const OUT = path.join(projectRoot(), 'test-results', 'screenshots', 'pages');
const WIDTHS = [390, 1280] as const;
const filter = process.argv[2] ?? '';

type Who = 'anonymous' | 'reader' | 'moderator';
/** `part`: a selector to photograph instead of the whole page. */
type Shot = { name: string; who: Who; path: (edition: '' | '/ko') => string; part?: string };

async function save(page: Page, name: string, part?: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const file = path.join(OUT, `${name}-${width}.png`);
    if (part) await page.locator(part).first().screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    const note = scroll > width ? `  ← ${scroll} px wide, wider than the screen` : '';
    console.log(`${path.relative(projectRoot(), file)}${note}`);
  }
}

/** The newsroom's pages, as an editor (the staff page as an admin) sees them. */
async function newsroomShots(browser: Browser): Promise<void> {
  const newsroom = await openNewsroom();
  const { baseUrl, tokens, made } = newsroom;
  try {
    const signedIn = async (token: string) => {
      const context = await browser.newContext();
      await context.addCookies([{ name: 'byline_session', value: token, url: baseUrl }]);
      return context.newPage();
    };
    const editor = await signedIn(tokens.editor);
    const admin = await signedIn(tokens.admin);
    const story = (name: string) => `/newsroom/stories/${made.get(name) ?? '0'}`;
    const shots: { name: string; page: Page; path: (edition: '' | '/ko') => string }[] = [
      { name: 'newsroom-list', page: editor, path: (e) => `${e}/newsroom` },
      { name: 'newsroom-editor', page: editor, path: (e) => `${e}${story('review')}` },
      { name: 'newsroom-published', page: editor, path: (e) => `${e}${story('live')}` },
      { name: 'newsroom-new', page: editor, path: (e) => `${e}/newsroom/stories/new` },
      { name: 'newsroom-preview', page: editor, path: (e) => `${e}${story('review')}/preview` },
      { name: 'newsroom-revisions', page: editor, path: (e) => `${e}${story('live')}/revisions` },
      {
        name: 'newsroom-compare',
        page: editor,
        path: (e) => `${e}${story('live')}/compare?from=1&to=2`,
      },
      { name: 'newsroom-staff', page: admin, path: (e) => `${e}/newsroom/staff` },
      { name: 'newsroom-corrections', page: editor, path: (e) => `${e}/corrections` },
      {
        name: 'newsroom-article-corrected',
        page: editor,
        path: (e) => made.get(e ? 'liveKoPath' : 'livePath') ?? '/',
      },
    ];
    for (const shot of shots.filter((s) => s.name.includes(filter))) {
      for (const edition of ['', '/ko'] as const) {
        await shot.page.goto(`${baseUrl}${shot.path(edition)}`, { waitUntil: 'load' });
        await save(shot.page, `${shot.name}-${edition ? 'ko' : 'en'}`);
      }
    }
  } finally {
    await newsroom.close();
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-screenshots-'));
  const moderatorAccount = await addStaff(dataDir, 'desk@example.com', 'moderator', '김심의');
  const server = await startServer({ BYLINE_DATA_DIR: dataDir });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const url = (p: string) => `${server.url}${p}`;
    const article = await frontPageArticle(server.url);
    const koHtml = await fetch(url('/ko')).then((res) => res.text());
    const koArticle = /<a href="(\/ko\/\d{4}\/[^"]+)"/.exec(koHtml)?.[1] ?? '/ko';

    const people = {} as Record<Who, Page>;
    people.anonymous = await (await browser.newContext()).newPage();

    const reader = await (await browser.newContext()).newPage();
    await reader.goto(url('/login'));
    await logInByEmailedCode(reader, path.join(dataDir, 'outbox'), 'reader@example.com', '이독자');
    await reader.waitForURL((target) => target.pathname !== '/account/name');
    await reader.goto(url(article));
    await reader.getByLabel('Your comment').fill('버스 노선이 늘어난다니 반갑습니다. Good news.');
    await reader.getByLabel(/I have read the Standards Board Policy/).check();
    await reader.getByRole('button', { name: 'Post comment' }).click();
    const posted = reader.locator('.comment-list > li.comment').first();
    await posted.waitFor();
    const commentId = (await posted.getAttribute('data-comment-id')) ?? '';
    people.reader = reader;

    const moderator = await (await browser.newContext()).newPage();
    await setUpAndSignInStaff(moderator, server.url, moderatorAccount, '/moderation');
    people.moderator = moderator;

    const articleIn = (edition: '' | '/ko') => (edition ? koArticle : article);
    const shots: Shot[] = [
      { name: 'comments-logged-out', who: 'anonymous', path: articleIn, part: '#comments' },
      { name: 'comments-logged-in', who: 'reader', path: articleIn, part: '#comments' },
      { name: 'account', who: 'reader', path: (e) => `${e}/account` },
      { name: 'my-comments', who: 'reader', path: (e) => `${e}/account/comments` },
      { name: 'desk-queue', who: 'moderator', path: (e) => `${e}/moderation/queue/recent` },
      {
        name: 'desk-case',
        who: 'moderator',
        path: (e) => `${e}/moderation/comments/${commentId}`,
      },
    ];
    await newsroomShots(browser);
    for (const shot of shots.filter((s) => s.name.includes(filter))) {
      for (const edition of ['', '/ko'] as const) {
        const page = people[shot.who];
        await page.goto(url(shot.path(edition)), { waitUntil: 'load' });
        await save(page, `${shot.name}-${edition ? 'ko' : 'en'}`, shot.part);
      }
    }
  } finally {
    await browser?.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
