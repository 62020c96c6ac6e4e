import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import { testApp } from '../../src/accounts/accounts.testing.js';
import { testBackends } from '../../src/db/db-test.js';
import { routesOfTree } from '../../src/http/routes.testing.js';
import type { Language } from '../../src/lib/language.js';
import { BUNDLES } from '../../src/features.js';
import { bundleAsset, loadAssets } from '../../src/views/assets.js';
import {
  addStaff,
  assertAccessible,
  launchChromium,
  logInByEmailedCode,
  newPerson,
  setUpAndSignInStaff,
  skipWithoutChromium,
  type Person,
  type Staff,
} from './chromium.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * Every page template of the app, in English and in Korean, checked with axe-core (WCAG 2.2 AA)
 * in Chromium against the real server (`byline serve`, PGlite), as the person it is for sees it:
 * reader pages, login pages, a logged-in reader's pages, staff pages and the error pages. The
 * data behind them is made through the real routes (comments, a report, a decision, an appeal),
 * so the case and appeal pages have something to show. The app's own route list is read back and
 * every GET route must be visited here or excluded with a reason: a new page cannot go unchecked.
 */

const EDITIONS: readonly Language[] = ['en', 'ko'];
const HIDDEN_COMMENT = '기자 양반, 이따위 기사를 쓰려면 펜을 내려놓으시죠.';
const KEPT_COMMENT = '지하철 엘리베이터 확충 계획, 반가운 소식입니다 👍🏽';
const REPORT_NOTE = '기자 개인을 향한 모욕입니다.';
const HIDE_NOTE = '기자 개인을 겨냥한 모욕이라 조항 2에 따라 숨깁니다.';
const APPEAL_REASON = '기사를 비판한 것이지 기자를 모욕한 것은 아닙니다.';

/** GET routes that are not pages, and why no template of theirs is checked. */
function notPages(): Record<string, string> {
  const assets = loadAssets(BUNDLES);
  return {
    [`GET ${assets.stylesheet.path}`]: 'the stylesheet',
    [`GET ${bundleAsset(assets, 'comments').path}`]: 'the comments script',
    [`GET ${bundleAsset(assets, 'newsroom-editor').path}`]: 'the newsroom editor’s script',
    [`GET ${assets.icon.path}`]: 'the site icon, SVG',
    'GET /favicon.ico': 'the site icon, for browsers that ask for it by name',
    'GET /healthz': 'health check for the load balancer, JSON',
    'GET /readyz': 'readiness check for the load balancer, JSON',
    'GET /api/openapi.json': 'the OpenAPI document, JSON, for staff',
    'GET /articles/:articleId/comments/live': 'a server-sent event stream, not a page',
    'GET /ko/articles/:articleId/comments/live': 'a server-sent event stream, not a page',
    'GET /account/data': 'the account export, a JSON attachment',
    'GET /auth/:provider/callback': 'redirects from the identity provider to the page left',
    'GET /moderation': 'redirects to the Pending queue',
    'GET /ko/moderation': 'redirects to the Korean Pending queue',
    'GET /newsroom': 'checked in newsroom-axe.browser.test.ts, with the newsroom’s stories',
    'GET /ko/newsroom': 'checked in newsroom-axe.browser.test.ts, with the newsroom’s stories',
    'GET /newsroom/stories/new':
      'the story editor: checked with axe in newsroom-axe.browser.test.ts',
    'GET /newsroom/stories/:id':
      'a story’s editor and workflow: checked with axe in newsroom-axe.browser.test.ts',
    'GET /newsroom/stories/:id/preview':
      'the article page of a draft: checked with axe in newsroom-axe.browser.test.ts',
    'GET /preview/:id': 'the same preview through a signed link: newsroom-axe.browser.test.ts',
    'GET /ko/newsroom/stories/new':
      'the story editor: checked with axe in newsroom-axe.browser.test.ts',
    'GET /ko/newsroom/stories/:id':
      'a story’s editor and workflow: checked with axe in newsroom-axe.browser.test.ts',
    'GET /ko/newsroom/stories/:id/preview':
      'the article page of a draft: checked with axe in newsroom-axe.browser.test.ts',
    'GET /ko/preview/:id': 'the same preview through a signed link: newsroom-axe.browser.test.ts',
    'GET /newsroom/stories/:id/revisions':
      'a story’s revisions: checked with axe in newsroom-revisions.browser.test.ts',
    'GET /ko/newsroom/stories/:id/revisions':
      'a story’s revisions: checked with axe in newsroom-revisions.browser.test.ts',
    'GET /newsroom/stories/:id/compare':
      'two revisions compared: checked with axe in newsroom-revisions.browser.test.ts',
    'GET /ko/newsroom/stories/:id/compare':
      'two revisions compared: checked with axe in newsroom-revisions.browser.test.ts',
  };
}

/** The app's GET routes, read from the router's printed tree as access.test.ts reads them. */
async function appGetRoutes(): Promise<string[]> {
  const [backend] = testBackends();
  assert.ok(backend);
  const handle = await backend.open();
  const t = await testApp(handle);
  try {
    await t.app.ready();
    return routesOfTree(t.app.printRoutes({ commonPrefix: false }))
      .filter((route) => route.method === 'GET')
      .map((route) => `GET ${route.url}`);
  } finally {
    await t.app.close();
    await handle.close();
  }
}

/** A route pattern as the edition registers it: `/ko` before the English one. */
function inEdition(language: Language, pattern: string): string {
  if (language === 'en') return pattern;
  return pattern === '/' ? '/ko' : `/ko${pattern}`;
}

/** Whether a path (query and fragment left out) is one the route pattern answers. */
function matches(pattern: string, where: string): boolean {
  const pathname = new URL(where, 'http://x').pathname;
  const source = pattern
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`).test(pathname);
}

const skip = skipWithoutChromium;

describe('every page template, in English and Korean, with no axe violations', { skip }, () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let admin: Staff = { email: '', setupPath: '' };
  let routes: string[] = [];
  /** Route pattern (`GET /ko/…`) → the address whose page was checked. */
  const visited = new Map<string, string>();
  const people: Person[] = [];
  const data = {
    articles: { en: '', ko: '' } as Record<Language, string>,
    articleId: '',
    hidden: '',
    kept: '',
    appeal: '',
  };
  let author: Person | undefined;
  let reporter: Person | undefined;
  let staff: Person | undefined;
  const url = (p: string) => `${server?.url ?? ''}${p}`;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-templates-'));
    const serving = (async () => {
      // The embedded database admits one process at a time: staff are added before serving.
      admin = await addStaff(dataDir, 'templates.admin@example.com', 'admin', '박편집');
      server = await startServer({
        BYLINE_DATA_DIR: dataDir,
        // Two comments by one reader within seconds; the gap rule has its own tests.
        BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
      });
    })();
    // All three at once; each keeps what it made, so that `after` stops it even if another failed.
    const settled = await Promise.allSettled([
      serving,
      launchChromium().then((launched) => (browser = launched)),
      appGetRoutes().then((listed) => (routes = listed)),
    ]);
    for (const result of settled) if (result.status === 'rejected') throw result.reason;
    for (const language of EDITIONS) {
      const front = inEdition(language, '/');
      const html = await fetch(url(front)).then((res) => res.text());
      const prefix = language === 'en' ? '' : '/ko';
      const found = new RegExp(`<a href="(${prefix}/\\d{4}/[^"]+)"`).exec(html)?.[1];
      assert.ok(found, `${front} links to an article`);
      data.articles[language] = found.replace(/^\/ko(?=\/)/, '');
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function person(): Promise<Person> {
    assert.ok(browser, 'Chromium started');
    const opened = await newPerson(browser);
    people.push(opened);
    return opened;
  }

  /**
   * Runs `visit` for both editions at once, English in `who`'s page and Korean in a second page
   * of the same browser context (same session): two cores check two pages at a time.
   */
  async function inBothEditions(
    who: Person,
    visit: (tab: Person, language: Language) => Promise<void>,
  ): Promise<void> {
    const page = await who.context.newPage();
    const tab: Person = { context: who.context, page, errors: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') tab.errors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (error) => tab.errors.push(`uncaught: ${error.message}`));
    try {
      await Promise.all([visit(who, 'en'), visit(tab, 'ko')]);
    } finally {
      await page.close();
    }
  }

  /**
   * Asserts the page `who` is on answered `status`, passes axe, and logged no error but
   * Chromium's own line for an error status; records the route pattern its template belongs to.
   */
  async function checkLoaded(
    who: Person,
    response: Response | null,
    status: number,
    route: string | undefined,
  ): Promise<void> {
    const where = new URL(who.page.url()).pathname;
    assert.equal(response?.status(), status, `${where} answers ${status}`);
    await assertAccessible(who.page, `${where} (${status})`);
    const own = `the server responded with a status of ${status}`;
    const errors = who.errors.splice(0).filter((e) => status < 400 || !e.includes(own));
    assert.deepEqual(errors, [], `no console or CSP errors on ${where}`);
    if (route === undefined) return;
    assert.ok(matches(route, where), `${where} is a page of ${route}`);
    visited.set(`GET ${route}`, where);
  }

  /**
   * Loads `where` in one edition and checks it as a page of the route `pattern` (English, or
   * null for an address no route answers).
   */
  async function check(
    who: Person,
    language: Language,
    pattern: string | null,
    where: string,
    status = 200,
  ): Promise<Page> {
    const response = await who.page.goto(url(inEdition(language, where)), { waitUntil: 'load' });
    const route = pattern === null ? undefined : inEdition(language, pattern);
    await checkLoaded(who, response, status, route);
    return who.page;
  }

  /** Submits the form `submit` is in and checks the page the server answers with. */
  async function checkAnswer(who: Person, submit: string, status: number): Promise<void> {
    const [response] = await Promise.all([
      who.page.waitForResponse((res) => res.request().method() === 'POST'),
      who.page.locator(submit).click(),
    ]);
    await who.page.waitForLoadState('load');
    await checkLoaded(who, response, status, undefined);
  }

  /** A reader logged in with an e-mailed code from the article's comment area, and back there. */
  async function reader(email: string, name: string): Promise<Person> {
    const who = await person();
    const article = data.articles.en;
    await who.page.goto(url(article), { waitUntil: 'load' });
    await who.page
      .getByRole('region', { name: 'Comments' })
      .getByRole('link', { name: 'Log in', exact: true })
      .click();
    await who.page.waitForURL((target) => target.pathname === '/login');
    await logInByEmailedCode(who.page, path.join(dataDir, 'outbox'), email, name);
    await who.page.waitForURL(url(`${article}#comments`));
    return who;
  }

  async function post(page: Page, text: string): Promise<string> {
    await page.getByLabel('Your comment').fill(text);
    const accept = page.locator('#accept-policy-main');
    if ((await accept.count()) > 0) await accept.check();
    await page.getByRole('button', { name: 'Post comment' }).click();
    const posted = page.locator('.comment-list > li.comment').filter({ hasText: text });
    await posted.waitFor();
    const id = (await posted.getAttribute('data-comment-id')) ?? '';
    assert.match(id, /^\d+$/);
    return id;
  }

  it('shows every public reader page and the 404 page', async () => {
    const visitor = await person();
    await inBothEditions(visitor, async (tab, language) => {
      const article = data.articles[language];
      await check(tab, language, '/', '/');
      const page = await check(tab, language, '/:year/:month/:day/:section/:slug', article);
      const link = async (kind: 'tag' | 'author') => {
        const href = await page.locator(`a[href*="/${kind}/"]`).first().getAttribute('href');
        assert.ok(href, `the article links to a ${kind} page`);
        return href.replace(/^\/ko(?=\/)/, '');
      };
      const tag = await link('tag');
      const byline = await link('author');
      await check(tab, language, '/section/:slug', '/section/national');
      await check(tab, language, '/tag/:slug', tag);
      await check(tab, language, '/author/:slug', byline);
      await check(tab, language, '/policy', '/policy');
      await check(tab, language, '/policy/versions/:version', '/policy/versions/1');
      await check(tab, language, '/transparency', '/transparency');
      await check(tab, language, '/corrections', '/corrections');
      for (const key of ['privacy', 'terms', 'about'])
        await check(tab, language, `/${key}`, `/${key}`);
      await check(tab, language, null, '/no-such-page', 404);
    });
  });

  it('shows the login pages: login, its error, the e-mailed code entry, staff sign-in', async () => {
    await Promise.all(
      EDITIONS.map(async (language) => {
        const visitor = await person();
        const page = await check(visitor, language, '/login', '/login');
        // A 400 form error: the form again, with the address and what is wrong with it.
        await page.locator('input[name="email"]').fill('not an address');
        await checkAnswer(visitor, 'form.login-email button[type="submit"]', 400);
        await page.locator('input[name="email"]').fill(`code.entry.${language}@example.com`);
        await page.locator('form.login-email button[type="submit"]').click();
        await page.waitForURL((target) => target.pathname.endsWith('/login/email/code'));
        await check(visitor, language, '/login/email/code', '/login/email/code');
        await check(visitor, language, '/staff/login', '/staff/login');
        // A set-up link that is not (or no longer) valid.
        const expired = `/staff/setup/${'x'.repeat(43)}`;
        await check(visitor, language, '/staff/setup/:token', expired, 410);
      }),
    );
  });

  it('makes a comment, a report, a decision and an appeal through the real routes', async () => {
    author = await reader('author@example.com', '첫 독자');
    data.hidden = await post(author.page, HIDDEN_COMMENT);
    data.kept = await post(author.page, KEPT_COMMENT);
    const live = (await author.page.locator('[data-live-url]').getAttribute('data-live-url')) ?? '';
    data.articleId = /\/articles\/(\d+)\//.exec(live)?.[1] ?? assert.fail('an article id');

    reporter = await reader('reporter@example.com', 'Second Reader');
    await reporter.page.goto(url(`/comments/${data.hidden}/report`), { waitUntil: 'load' });
    await reporter.page.getByLabel('2. No abuse').check();
    await reporter.page.getByLabel(/Note for the standards board/).fill(REPORT_NOTE);
    await reporter.page.getByRole('button', { name: 'Send report' }).click();
    await reporter.page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();

    // The admin's set-up page, in both editions, before the set-up that uses it up.
    staff = await person();
    for (const language of EDITIONS)
      await check(staff, language, '/staff/setup/:token', admin.setupPath);
    await setUpAndSignInStaff(staff.page, url(''), admin, `/moderation/comments/${data.hidden}`);
    const desk = staff.page;
    await desk.getByRole('button', { name: 'Review this one' }).click();
    await desk.getByText(/You are reviewing this until/).waitFor();
    const decide = desk.getByRole('region', { name: 'Decision' });
    await decide.getByLabel('Hide', { exact: true }).check();
    await decide.getByLabel('2. No abuse').check();
    await decide.getByLabel(/Note to the reader/).fill(HIDE_NOTE);
    await decide.getByRole('button', { name: 'Record decision' }).click();
    await desk.getByRole('status').filter({ hasText: 'Decision recorded.' }).waitFor();
    assert.deepEqual(staff.errors.splice(0), [], 'no console or CSP errors at the desk');
  });

  it("shows a logged-in reader's pages, the 403 page and 422 form errors", async () => {
    const [writer, flagger] = [author, reporter];
    assert.ok(writer && flagger, 'the readers of the previous step');
    const { hidden, kept } = data;
    await inBothEditions(writer, async (tab, language) => {
      await check(tab, language, '/account', '/account');
      await check(tab, language, '/account/name', '/account/name');
      const mine = await check(tab, language, '/account/comments', '/account/comments');
      assert.match(await mine.locator(`#comment-${hidden}`).innerText(), new RegExp(HIDE_NOTE));
      await check(tab, language, '/comments/:commentId', `/comments/${kept}`);
      await check(tab, language, '/comments/:commentId/edit', `/comments/${kept}/edit`);
      await check(tab, language, '/comments/:commentId/delete', `/comments/${kept}/delete`);
      const thread = `/articles/${data.articleId}/comments?sort=top`;
      await check(tab, language, '/articles/:articleId/comments', thread);
      const appealPath = `/account/comments/${hidden}/appeal`;
      const appeal = await check(tab, language, '/account/comments/:id/appeal', appealPath);
      // A 422 form error: a reason of blanks comes back with the form and what is wrong.
      await appeal.locator('#appeal-reason').fill('   ');
      await checkAnswer(tab, 'main form button[type="submit"]', 422);
      // A 403: a reader at the staff desk.
      await check(tab, language, '/staff', '/staff', 403);
    });
    await inBothEditions(flagger, async (tab, language) => {
      const reportPath = `/comments/${kept}/report`;
      const report = await check(tab, language, '/comments/:commentId/report', reportPath);
      // A 422 error page: a report that names no clause (the browser's own check taken away).
      await report.evaluate(() => {
        for (const radio of document.querySelectorAll('input[name="clause"]'))
          radio.removeAttribute('required');
      });
      await checkAnswer(tab, 'main form button[type="submit"]', 422);
    });

    // The appeal itself, for the staff pages that follow.
    await writer.page.goto(url(`/account/comments/${hidden}/appeal`), { waitUntil: 'load' });
    await writer.page.locator('#appeal-reason').fill(APPEAL_REASON);
    await writer.page.getByRole('button', { name: 'Send appeal' }).click();
    await writer.page.waitForURL((target) => target.pathname === '/account/comments');
    assert.deepEqual(writer.errors.splice(0), []);
  });

  it('shows every staff page: desk, queues, case, appeal, accounts, staff, policy, words', async () => {
    const desk = staff;
    assert.ok(desk, 'the admin of the set-up step');
    const queue = await check(desk, 'en', '/moderation/queue/:queue', '/moderation/queue/appeals');
    const href = await queue
      .getByRole('link', { name: /^Appeal #\d+$/ })
      .first()
      .getAttribute('href');
    data.appeal = /\/moderation\/appeals\/(\d+)$/.exec(href ?? '')?.[1] ?? assert.fail(href ?? '');
    await inBothEditions(desk, async (tab, language) => {
      await check(tab, language, '/staff', '/staff');
      await check(tab, language, '/staff/comments', '/staff/comments');
      await check(tab, language, '/admin/accounts', '/admin/accounts');
      const staffPage = await check(tab, language, '/newsroom/staff', '/newsroom/staff');
      // A 400 form error: the invitation comes back with what was typed and what is wrong.
      await staffPage.locator('#invite-email').fill('not an address');
      await staffPage.locator('#invite-name').fill('김민지');
      await checkAnswer(tab, '.staff-invite button[type="submit"]', 400);
      await check(tab, language, '/admin/policy', '/admin/policy');
      for (const name of ['pending', 'reported', 'recent', 'appeals'])
        await check(tab, language, '/moderation/queue/:queue', `/moderation/queue/${name}`);
      const casePath = `/moderation/comments/${data.hidden}`;
      const casePage = await check(tab, language, '/moderation/comments/:id', casePath);
      assert.match(await casePage.locator('main').innerText(), new RegExp(REPORT_NOTE));
      const appealPath = `/moderation/appeals/${data.appeal}`;
      const appealPage = await check(tab, language, '/moderation/appeals/:id', appealPath);
      assert.match(await appealPage.locator('main').innerText(), new RegExp(APPEAL_REASON));
      await check(tab, language, '/admin/moderation/words', '/admin/moderation/words');
      await check(tab, language, '/admin/pages', '/admin/pages');
      const editor = await check(tab, language, '/admin/pages/:key', '/admin/pages/privacy');
      // A 422 form error: an empty text comes back with the form and what is wrong with it.
      await editor.locator('#site-page-en').fill('');
      await editor.evaluate(() => {
        document.querySelector('#site-page-en')?.removeAttribute('required');
      });
      await checkAnswer(tab, 'main form button[type="submit"]', 422);
    });
  });

  it('has visited every GET route of the app, or says why it is not a page', async () => {
    for (const p of people.splice(0)) await p.context.close();
    const excluded = notPages();
    const routeSet = new Set(routes);
    assert.ok(routes.length > 40, `the route list was read (${routes.length} GET routes)`);
    const unchecked = routes.filter((route) => !visited.has(route) && !(route in excluded));
    assert.deepEqual(unchecked, [], 'GET routes neither visited nor excluded with a reason');
    const stale = Object.keys(excluded).filter((route) => !routeSet.has(route));
    assert.deepEqual(stale, [], 'exclusions for routes the app no longer has');
    const both = [...visited.keys()].filter((route) => route in excluded);
    assert.deepEqual(both, [], 'routes both visited and excluded');
  });
});
