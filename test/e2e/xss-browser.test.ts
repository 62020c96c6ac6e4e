import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type APIResponse, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  frontPageArticle,
  latestOutboxCode,
  launchChromium,
  skipWithoutChromium,
} from './chromium.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * SECURITY.md S5 in Chromium against the real server (`byline serve`, PGlite): an XSS corpus,
 * posted as comments and as display names, over every page a reader sees it on, in both editions,
 * and as it arrives live in a second reader's browser. Every payload would set `window.__xss` or
 * open a dialog if it ran; the oracle is that neither happens, that the page reports no CSP
 * violation (our CSP forbids inline script, so one would mean markup was injected), that no link
 * inside a comment points at `javascript:` or `data:`, and that each payload reads back as text.
 */

const skip = skipWithoutChromium;

// Display names are at most 40 characters: short payloads, one per reader.
const AUTHOR_NAME = '"><img src=x onerror=window.__xss=41>';
const WATCHER_NAME = '<svg onload=alert(42)>${alert(43)}';

const CORPUS = [
  `<script>window.__xss=1</script>`,
  `<img src=x onerror="window.__xss=2">`,
  `"><svg onload=window.__xss=3>`,
  `javascript:window.__xss=4`,
  `<a href="javascript:window.__xss=5">링크</a>`,
  `https://example.com/"onmouseover="window.__xss=6"x="`,
  `https://example.com/<script>window.__xss=7</script>`,
  `</textarea><script>window.__xss=8</script>`,
  `<iframe srcdoc="<script>parent.__xss=9</script>"></iframe>`,
  `{{constructor.constructor('window.__xss=10')()}}`,
  '`${window.__xss=11}` ${alert(11)}',
  `data:text/html,<script>alert(12)</script>`,
  `[눌러 주세요](javascript:window.__xss=13) ![x](x" onerror="window.__xss=13)`,
  `\u202Ehttps://example.com/ <img src=x onerror=window.__xss=14> 굵게\u202C`,
  `<math><mi xlink:href="javascript:window.__xss=15">x</mi></math>`,
  `www.example.com/?q=<img src=x onerror=window.__xss=16>`,
  `https://example.com/#'><img src=x onerror=window.__xss=17>`,
  `<div style="background:url(javascript:window.__xss=18)">`,
  `<details open ontoggle=window.__xss=19>`,
  `&lt;img src=x onerror=window.__xss=20&gt; &#60;script&#62;`,
  `<meta http-equiv="refresh" content="0;url=javascript:window.__xss=21">`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgyMik8L3NjcmlwdD4=">22</a>`,
  `</script><script>window.__xss=23</script>`,
  `<form><button formaction=javascript:window.__xss=24>x</button></form>`,
  `<!--<img src="--><img src=x onerror=window.__xss=25//">`,
  `<noscript><p title="</noscript><img src=x onerror=window.__xss=26>">`,
  `<img src=x onerror=alert(27)>`,
  `https://example.com/?a=1&b=<svg/onload=window.__xss=28>'"\``,
  `<a href=" javascript:window.__xss=29">공백</a> JaVaScRiPt:window.__xss=29`,
  `https://javascript:window.__xss=30@example.com/ http://x.test/data:text/html,30`,
];

type Reader = { name: string; context: BrowserContext; page: Page };

/** What a browser shows as a comment's text: NFC, as the server stores it. */
const shown = (payload: string) => payload.normalize('NFC');

describe('the XSS corpus stays text on every sink, in Chromium', { skip }, () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let article = '';
  // Everything the oracle saw go wrong, with the page it happened on: asserted empty at the end.
  const findings: string[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-xss-browser-'));
    server = await startServer({
      BYLINE_DATA_DIR: dataDir,
      BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
      BYLINE_COMMENT_DUPLICATE_HOURS: '0',
      BYLINE_COMMENTS_PER_ARTICLE_PER_DAY: '100',
      // The whole corpus on one page of each list, so every payload is on every list page.
      BYLINE_COMMENT_PAGE_SIZE: '100',
    });
    article = await frontPageArticle(server.url);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A browser context wired to the oracle: dialogs, CSP violations and uncaught errors. */
  async function watchedContext(label: string): Promise<BrowserContext> {
    assert.ok(browser && server);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Added by the DevTools protocol, so the page's CSP does not apply to this listener.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.sample}`);
      });
    });
    context.on('page', (page) => {
      page.on('dialog', (dialog) => {
        findings.push(`${label}: dialog "${dialog.message()}" on ${page.url()}`);
        void dialog.dismiss();
      });
      page.on('console', (message) => {
        if (/Content Security Policy|CSP violation/i.test(message.text()))
          findings.push(`${label}: ${message.text()} on ${page.url()}`);
      });
      page.on('pageerror', (error) =>
        findings.push(`${label}: uncaught ${error.message} on ${page.url()}`),
      );
    });
    return context;
  }

  /** A reader in a browser of their own, logged in by e-mailed code, with a display name. */
  async function loggedInReader(label: string, email: string, name: string): Promise<Reader> {
    assert.ok(server);
    const context = await watchedContext(label);
    const page = await context.newPage();
    await page.goto(`${server.url}/login?returnTo=${encodeURIComponent(article)}`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.waitForURL((target) => target.pathname === '/login/email/code');
    await page
      .getByLabel('Six-digit code')
      .fill(latestOutboxCode(path.join(dataDir, 'outbox'), email));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((target) => target.pathname === '/account/name');
    await page.getByLabel('Display name').fill(name);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((target) => target.pathname !== '/account/name');
    return { name, context, page };
  }

  /** The oracle on the page as it stands now. */
  async function check(label: string, page: Page): Promise<void> {
    const state = await page.evaluate(() => ({
      flag: (window as unknown as { __xss?: unknown }).__xss,
      badLinks: [...document.querySelectorAll('.comment-body a')]
        .map((a) => a.getAttribute('href') ?? '')
        .filter((href) => /^\s*(javascript|data|vbscript):/i.test(href)),
    }));
    if (state.flag !== undefined)
      findings.push(`${label}: window.__xss = ${JSON.stringify(state.flag)} on ${page.url()}`);
    for (const href of state.badLinks) findings.push(`${label}: link to ${href} on ${page.url()}`);
  }

  /**
   * Hovers and clicks every link inside a comment. Requests leaving the test server are answered
   * 204 meanwhile, so a click on a link to example.com leaves the page where it is. (Routing only
   * here: intercepting every request of every page would slow the whole run.)
   */
  async function touchLinks(label: string, page: Page): Promise<number> {
    assert.ok(server);
    const origin = new URL(server.url).origin;
    const outside = (url: URL) => url.origin !== origin;
    await page.route(outside, (route) => route.fulfill({ status: 204 }));
    const links = page.locator('.comment-body a');
    const count = await links.count();
    for (let i = 0; i < count; i += 1) {
      const link = links.nth(i);
      await link.hover();
      await link.click();
      await check(`${label} after clicking link ${i}`, page);
    }
    await page.unroute(outside);
    return count;
  }

  it('has an oracle that sees a payload run, a dialog and a CSP violation', async () => {
    assert.ok(server);
    const context = await watchedContext('control');
    const page = await context.newPage();
    await page.goto(`${server.url}/policy`, { waitUntil: 'load' });
    // Under our CSP an injected inline handler is refused, and the refusal is reported.
    await page.evaluate(() => {
      document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__xss=1">');
    });
    // Without CSP (a blank page) the same markup runs, and a dialog opens.
    const blank = await context.newPage();
    await blank.setContent('<img src=x onerror="window.__xss=1;alert(1)">');
    await blank.waitForFunction(() => (window as { __xss?: unknown }).__xss !== undefined);
    await check('control', blank);
    // The violation is reported asynchronously: wait for it rather than for a fixed time.
    for (let tries = 0; tries < 100 && !findings.some((f) => /CSP/.test(f)); tries += 1)
      await page.waitForTimeout(50);
    const seen = findings.splice(0);
    assert.ok(
      seen.some((f) => /CSP violation|Content Security Policy/.test(f)),
      seen.join('\n'),
    );
    assert.ok(
      seen.some((f) => /dialog "1"/.test(f)),
      seen.join('\n'),
    );
    assert.ok(
      seen.some((f) => /window.__xss = 1/.test(f)),
      seen.join('\n'),
    );
    await context.close();
  });

  it('runs none of 30 payloads and 2 display names on any page, live or rendered', async () => {
    assert.ok(server);
    const base = server.url;
    const author = await loggedInReader('author', 'xss.author@example.com', AUTHOR_NAME);
    const watcher = await loggedInReader('watcher', 'xss.watcher@example.com', WATCHER_NAME);

    // The watcher keeps the article open: every comment below reaches it over server-sent events.
    const streamOpen = watcher.page.waitForResponse((r) => r.url().includes('/comments/live'), {
      timeout: 15_000,
    });
    await watcher.page.goto(`${base}${article}`, { waitUntil: 'load' });
    await author.page.goto(`${base}${article}`, { waitUntil: 'load' });
    const articleId = /\/articles\/(\d+)\//.exec(
      (await author.page.locator('[data-live-url]').getAttribute('data-live-url')) ?? '',
    )?.[1];
    assert.ok(articleId, 'the comment section names its article');
    // The watcher's live stream is open before anything is posted; the marker shows, after, that
    // the page was never reloaded.
    assert.equal((await streamOpen).status(), 200);
    await watcher.page.evaluate(
      () => ((window as { __sameDocument?: boolean }).__sameDocument = true),
    );

    // The first payload through the form, so the page's own script inserts the server's answer.
    const [first, ...rest] = CORPUS;
    assert.ok(first !== undefined);
    await author.page.getByLabel('Your comment').fill(first);
    await author.page.getByLabel(/I have read the Standards Board Policy/).check();
    await author.page.getByRole('button', { name: 'Post comment' }).click();
    const firstElement = author.page.locator('.comment-list > li.comment').first();
    await firstElement.waitFor();
    const ids = [(await firstElement.getAttribute('data-comment-id')) ?? ''];

    // The rest over HTTP with the author's cookies and CSRF token, as the enhanced form sends them.
    const csrf = await author.page.locator('input[name="_csrf"]').first().inputValue();
    for (const [index, body] of rest.entries()) {
      const response: APIResponse = await author.page.request.post(
        `${base}/articles/${articleId}/comments`,
        {
          form: { _csrf: csrf, body },
          headers: { accept: 'application/json', origin: new URL(base).origin },
        },
      );
      assert.equal(response.status(), 201, `payload ${index + 1}: ${await response.text()}`);
      const posted = (await response.json()) as { comment: { id: string } };
      ids.push(posted.comment.id);
    }
    assert.equal(ids.length, CORPUS.length);

    // Live: the watcher's page (and the author's) inserted all of them without a reload.
    for (const reader of [watcher, author]) {
      for (const id of ids)
        await reader.page.locator(`#comment-${id}`).waitFor({ state: 'attached', timeout: 15_000 });
      await check(`${reader.name} live`, reader.page);
      if (reader === watcher)
        assert.equal(
          await watcher.page.evaluate(
            () => (window as { __sameDocument?: boolean }).__sameDocument,
          ),
          true,
          'the watcher received the comments without a reload',
        );
      await assertShownAsText(`${reader.name} live`, reader.page, CORPUS);
      await touchLinks(`${reader.name} live`, reader.page);
    }

    // Every page that shows a comment or a display name, in both editions.
    const lists = [
      // The article lives in one edition; the Korean edition shows its comments on the list page.
      article,
      '/',
      '/ko',
      ...(['newest', 'oldest', 'top', 'ratio'] as const).flatMap((sort) => [
        `/articles/${articleId}/comments?sort=${sort}`,
        `/ko/articles/${articleId}/comments?sort=${sort}`,
      ]),
    ];
    let linksTouched = 0;
    let pagesVisited = 0;
    const visit = async (reader: Reader, where: string) => {
      const response = await reader.page.goto(`${base}${where}`, { waitUntil: 'load' });
      assert.equal(response?.status(), 200, `${reader.name} ${where}`);
      pagesVisited += 1;
      await check(`${reader.name} ${where}`, reader.page);
    };
    const headerShowsName = async (reader: Reader, where: string) => {
      const header = await reader.page.locator('header').first().innerText();
      assert.ok(header.includes(reader.name), `${reader.name} ${where}: name as text in ${header}`);
    };
    // The two readers tour at once, each in their own browser, to keep the run short.
    const authorTour = async () => {
      for (const where of [article, '/', '/ko', '/account/comments', '/ko/account/comments']) {
        await visit(author, where);
        await headerShowsName(author, where);
        if (where === '/' || where === '/ko') continue;
        await assertShownAsText(`author ${where}`, author.page, CORPUS);
        const touched = await touchLinks(`author ${where}`, author.page);
        linksTouched += touched;
      }
      // Each comment's edit box (the sink `</textarea>` aims at) and delete page, in one edition
      // each, alternating, so that both editions see every page.
      for (const [index, id] of ids.entries()) {
        const payload = shown(CORPUS[index] ?? '');
        const prefix = index % 2 === 0 ? '' : '/ko';
        await visit(author, `${prefix}/comments/${id}/edit`);
        // The edit box holds the payload exactly: `</textarea>` did not close it.
        assert.equal(await author.page.locator('textarea').first().inputValue(), payload);
        await visit(author, `${prefix}/comments/${id}/delete`);
        await assertShownAsText(`author ${prefix}/comments/${id}/delete`, author.page, [payload]);
      }
    };
    const watcherTour = async () => {
      for (const where of lists) {
        await visit(watcher, where);
        await headerShowsName(watcher, where);
        if (where === '/' || where === '/ko') continue;
        await assertShownAsText(`watcher ${where}`, watcher.page, CORPUS);
        // Links are hovered and clicked on the article; the lists render them the same way.
        if (where !== article) continue;
        const touched = await touchLinks(`watcher ${where}`, watcher.page);
        linksTouched += touched;
      }
      // Each comment's own page and report page, in the other edition from the author's tour.
      for (const [index, id] of ids.entries()) {
        const payload = shown(CORPUS[index] ?? '');
        const prefix = index % 2 === 0 ? '/ko' : '';
        await visit(watcher, `${prefix}/comments/${id}`);
        await assertShownAsText(`watcher ${prefix}/comments/${id}`, watcher.page, [payload]);
        await visit(watcher, `${prefix}/comments/${id}/report`);
        await assertShownAsText(`watcher ${prefix}/comments/${id}/report`, watcher.page, [payload]);
      }
    };
    await Promise.all([authorTour(), watcherTour()]);

    assert.deepEqual(findings, [], 'no payload ran, no CSP violation, no dangerous link');
    console.log(
      `S5: ${CORPUS.length} comment payloads + 2 display names, ${pagesVisited} pages, ` +
        `${linksTouched} links hovered and clicked: 0 executed`,
    );
    await author.context.close();
    await watcher.context.close();
  });

  /** Each payload reads back, character for character, as the text of a comment on the page. */
  async function assertShownAsText(label: string, page: Page, payloads: string[]): Promise<void> {
    const texts = (await page.locator('.comment-body').allInnerTexts()).map((t) => t.trim());
    for (const payload of payloads)
      assert.ok(
        texts.includes(shown(payload).trim()),
        `${label}: ${JSON.stringify(payload)} shown as text, among ${JSON.stringify(texts)}`,
      );
  }
});
