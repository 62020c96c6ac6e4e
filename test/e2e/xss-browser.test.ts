import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { visibleLength } from '../../src/comments/comment-text.js';
import { WORD_MAX, foldForMatching } from '../../src/moderation/moderation-words.js';
import { normaliseSitePageText, readSitePage } from '../../src/pages/site-page.js';
import {
  addStaff,
  frontPageArticle,
  logInByEmailedCode,
  launchChromium,
  setUpAndSignInStaff,
  skipWithoutChromium,
  type Staff,
} from './chromium.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * docs/SECURITY.md, battery S5 in Chromium against the real server (`byline serve`, PGlite): an XSS
 * corpus, posted as comments and as display names, over every page a reader sees it on, in both
 * editions, and as it arrives live in a second reader's browser. Every payload would set
 * `window.__xss` or open a dialog if it ran; the oracle is that neither happens, that the page
 * reports no CSP violation (our CSP forbids inline script, so one would mean markup was injected),
 * that no link on the page points at `javascript:` or `data:`, that no element carries an inline
 * event handler or is a frame, and that each payload reads back as text. The second test takes the
 * same corpus through the standards board (docs/SECURITY.md, item 20: the moderation desk is a sink
 * too): the queues and their text filter, the case pages, decision notes, appeals, the admin's word
 * lists and the transparency report.
 */

const skip = skipWithoutChromium;

// Display names are at most 40 characters: short payloads, one per reader.
const AUTHOR_NAME = '"><img src=x onerror=window.__xss=41>';
const WATCHER_NAME = '<svg onload=alert(42)>${alert(43)}';
const REPORTER_NAME = '<img src=x onerror=window.__xss=44>';
const MODERATOR_NAME = '"><svg onload=window.__xss=45>';
const ADMIN_NAME = '</title><script>window.__xss=46</script>';
const EDITOR_NAME = '"><img src=x onerror=window.__xss=47>';

/**
 * A story written through the newsroom with a payload in every field a person types
 * (docs/SECURITY.md, item 20): each stays text in the newsroom, the preview and the article.
 */
const STORY = {
  headline: '"><script>window.__xss=60</script><img src=x onerror=window.__xss=61>',
  summary: '</textarea><script>window.__xss=62</script>',
  byline: '<svg onload=window.__xss=63>',
  credit: '<img src=x onerror=window.__xss=64>',
  tags: ['<img src=x onerror=window.__xss=65>', '"><script>window.__xss=66</script>'],
  bodyText: '<img src=x onerror=window.__xss=67> 본문',
  note: '</li><script>window.__xss=68</script>',
  correction: '<img src=x onerror=window.__xss=69> 정정',
};
/** A body document with a `javascript:` link: refused whole, the form given back. */
const HOSTILE_BODY = JSON.stringify({
  type: 'doc',
  content: [
    {
      type: 'paragraph',
      content: [
        {
          type: 'text',
          text: '눌러 주세요',
          marks: [{ type: 'link', attrs: { href: 'javascript:window.__xss=70' } }],
        },
      ],
    },
  ],
});
const STORY_BODY = JSON.stringify({
  type: 'doc',
  content: [
    { type: 'paragraph', content: [{ type: 'text', text: STORY.bodyText }] },
    {
      type: 'paragraph',
      content: [
        {
          type: 'text',
          text: '출처',
          marks: [{ type: 'link', attrs: { href: 'https://example.com/"onmouseover="x' } }],
        },
      ],
    },
  ],
});

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
  `\u200Bhttps://example.com/ <img src=x onerror=window.__xss=14> 굵게\u200B`,
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

/** The payloads short enough to be a word list's entry, counted as the server counts. */
const WORD_PAYLOADS = CORPUS.filter((p) => visibleLength(p) <= WORD_MAX);

/** Three links hold a comment for the desk (BYLINE_HOLD_MAX_LINKS is 2 by default). */
const THREE_LINKS = 'https://a.example/1 https://b.example/2 https://c.example/3';

/**
 * The i-th payload's companions on the desk, each another payload of the corpus, so that every
 * payload is also a report note, a moderator's note and an appeal reason.
 */
const companion = (index: number, shift: number) => CORPUS[(index + shift) % CORPUS.length] ?? '';

type Reader = { name: string; context: BrowserContext; page: Page };

/** What a browser shows as a comment's text: NFC, as the server stores it. */
const shown = (payload: string) => payload.normalize('NFC');

describe('the XSS corpus stays text on every sink, in Chromium', { skip }, () => {
  let dataDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let article = '';
  let staff: Record<'moderator' | 'admin' | 'editor', Staff> | undefined;
  // What the reader pages test leaves for the desk test: the article's id, the corpus's comments
  // (in CORPUS order) and their author, still logged in.
  let corpusArticleId = '';
  let corpusIds: string[] = [];
  let corpusAuthor: Reader | undefined;
  // Everything the oracle saw go wrong, with the page it happened on: asserted empty at the end.
  const findings: string[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-xss-browser-'));
    // The embedded database admits one process at a time: staff are added before serving.
    staff = {
      moderator: await addStaff(dataDir, 'xss.mod@example.com', 'moderator', MODERATOR_NAME),
      admin: await addStaff(dataDir, 'xss.admin@example.com', 'admin', ADMIN_NAME),
      editor: await addStaff(dataDir, 'xss.editor@example.com', 'editor', EDITOR_NAME),
    };
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
    await logInByEmailedCode(page, path.join(dataDir, 'outbox'), email, name);
    await page.waitForURL((target) => target.pathname !== '/account/name');
    return { name, context, page };
  }

  let pagesVisited = 0;

  /** Opens `where` in the person's tab, expects a 200, and runs the oracle on it. */
  async function visit(who: Reader, where: string, status = 200): Promise<void> {
    assert.ok(server);
    const response = await who.page.goto(`${server.url}${where}`, { waitUntil: 'load' });
    assert.equal(response?.status(), status, `${who.name} ${where}`);
    pagesVisited += 1;
    await check(`${who.name} ${where}`, who.page);
  }

  /** The oracle on the page as it stands now. */
  async function check(label: string, page: Page): Promise<void> {
    const state = await page.evaluate(() => ({
      flag: (window as unknown as { __xss?: unknown }).__xss,
      // In the body only: the head's links (stylesheet, icons) are ours, not a payload.
      badLinks: [...document.body.querySelectorAll('[href], [formaction], [action], [src]')]
        .flatMap((el) => ['href', 'formaction', 'action', 'src'].map((a) => el.getAttribute(a)))
        .filter((url) => url !== null && /^\s*(javascript|data|vbscript):/i.test(url)),
      // Our pages carry no inline handler (the CSP forbids them) and no frame: one found is
      // injected markup, whether or not the CSP then stopped it from running.
      injected: [...document.querySelectorAll('*')]
        .filter(
          (el) =>
            /^(iframe|frame|object|embed|base)$/i.test(el.tagName) ||
            (el.tagName === 'META' && el.hasAttribute('http-equiv')) ||
            [...el.attributes].some((a) => /^on/i.test(a.name)),
        )
        .map((el) => el.outerHTML.slice(0, 120)),
    }));
    if (state.flag !== undefined)
      findings.push(`${label}: window.__xss = ${JSON.stringify(state.flag)} on ${page.url()}`);
    for (const url of state.badLinks) findings.push(`${label}: link to ${url} on ${page.url()}`);
    for (const html of state.injected) findings.push(`${label}: element ${html} on ${page.url()}`);
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
    const visitedBefore = pagesVisited;
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
      `S5: ${CORPUS.length} comment payloads + 2 display names, ` +
        `${pagesVisited - visitedBefore} pages, ${linksTouched} links hovered and clicked: ` +
        `0 executed`,
    );
    await watcher.context.close();
    // The author stays logged in: the desk test hides their comments and they appeal.
    corpusArticleId = articleId;
    corpusIds = ids;
    corpusAuthor = author;
  });

  it('runs none of them on the standards board’s desk, case pages, appeals and word lists', async () => {
    assert.ok(server && staff && corpusAuthor, 'runs after the reader pages test');
    assert.equal(corpusIds.length, CORPUS.length);
    const base = server.url;
    const author = corpusAuthor;
    const ids = corpusIds;
    const visitedBefore = pagesVisited;
    const edition = (index: number) => (index % 2 === 0 ? '' : '/ko');

    // 1. The author posts each payload again with three links: held, it waits under Pending.
    // Meanwhile a reader with a payload for a name reports each published one, citing clause 2
    // with another payload as the note.
    const reporter = await loggedInReader('reporter', 'xss.reporter@example.com', REPORTER_NAME);
    const held: string[] = [];
    const postHeld = async () => {
      const csrf = await csrfOf(author);
      for (const payload of CORPUS) {
        const response = await send(
          author,
          `/articles/${corpusArticleId}/comments`,
          { _csrf: csrf, body: `${payload} ${THREE_LINKS}` },
          201,
        );
        held.push(((await response.json()) as { comment: { id: string } }).comment.id);
      }
    };
    const report = async () => {
      await reporter.page.goto(`${base}${article}`, { waitUntil: 'load' });
      const csrf = await csrfOf(reporter);
      for (const [index, id] of ids.entries())
        await send(
          reporter,
          `/comments/${id}/report`,
          { _csrf: csrf, clause: '2', note: companion(index, 1) },
          201,
        );
    };
    await Promise.all([postHeld(), report()]);
    await reporter.context.close();

    // 2. The moderator (a payload for a name too) reads the Reported and Pending queues, in both
    // editions, with report counts, and filters the Reported queue by a payload.
    const moderator = await staffMember('moderator', staff.moderator, '/moderation');
    // The revision each decision needs: the one the Reported queue's checkboxes carry.
    const revs = new Map<string, string>();
    for (const prefix of ['', '/ko']) {
      await visit(moderator, `${prefix}/moderation/queue/reported`);
      await assertShownAsText(`moderator ${prefix} reported`, moderator.page, CORPUS);
      for (const value of await moderator.page
        .locator('input[name="item"]')
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))) {
        const [id = '', rev = ''] = value.split(':');
        revs.set(id, rev);
      }
      const counts = await moderator.page.locator('.desk-reports').allInnerTexts();
      assert.equal(counts.length, CORPUS.length, 'every reported comment shows its reports');
      if (prefix === '') for (const c of counts) assert.match(c, /1 open report: clause 2 ×1/);
      await visit(moderator, `${prefix}/moderation/queue/pending`);
      const heldTexts = CORPUS.map((p) => `${p} ${THREE_LINKS}`);
      await assertShownAsText(`moderator ${prefix} pending`, moderator.page, heldTexts);
    }
    await filterBy(moderator, '/moderation/queue/reported', CORPUS[1] ?? '', CORPUS[1] ?? '');

    // 3. They hide each reported comment citing clause 2, with a payload as the note.
    const deskCsrf = await csrfOf(moderator);
    for (const [index, id] of ids.entries())
      await send(
        moderator,
        `/moderation/comments/${id}/decide`,
        {
          _csrf: deskCsrf,
          rev: revs.get(id) ?? '',
          decision: 'reject',
          clause: '2',
          note: companion(index, 2),
        },
        303,
      );

    // 4. At once: the moderator reads every case page (thread, report notes, the reader's history,
    // the log with the note) and filters the Recent and Pending queues by each payload; the author
    // reads the decisions on "My comments", in both editions, and appeals each with a payload.
    const caseTour = async () => {
      for (const [index, id] of ids.entries()) {
        const where = `${edition(index)}/moderation/comments/${id}`;
        await visit(moderator, where);
        const page = moderator.page;
        const focus = await page.locator('.desk-focus .comment-body').innerText();
        assert.equal(focus.trim(), shown(CORPUS[index] ?? '').trim(), `${where}: the comment`);
        const reports = await page.locator('section[aria-labelledby="reports-title"]').innerText();
        assertIncludes(`${where} reports`, reports, [REPORTER_NAME, companion(index, 1)]);
        const log = await page.locator('section[aria-labelledby="history-title"]').innerText();
        assertIncludes(`${where} log`, log, [MODERATOR_NAME, companion(index, 2)]);
        // The held copy's case page: the same view, its body with links, pending.
        if (index % 5 === 0)
          await visit(moderator, `${edition(index + 1)}/moderation/comments/${held[index] ?? ''}`);
      }
      for (const [index, payload] of CORPUS.entries()) {
        const queue = index % 2 === 0 ? 'recent' : 'pending';
        const expected = queue === 'recent' ? payload : `${payload} ${THREE_LINKS}`;
        await filterBy(moderator, `${edition(index)}/moderation/queue/${queue}`, payload, expected);
      }
    };
    const appealTour = async () => {
      for (const prefix of ['', '/ko']) {
        await visit(author, `${prefix}/account/comments`);
        for (const [index, id] of ids.entries()) {
          const decided = await author.page.locator(`#comment-${id}`).innerText();
          assertIncludes(`author ${prefix}/account/comments`, decided, [companion(index, 2)]);
        }
      }
      // The first appeal through the form, refused once as too long: the form keeps the text.
      const [firstId, ...restIds] = ids;
      assert.ok(firstId !== undefined);
      await visit(author, `/account/comments/${firstId}/appeal`);
      const tooLong = `${CORPUS[7] ?? ''} ${'길'.repeat(500)}`;
      await author.page.getByLabel(/Your reason/).fill(tooLong);
      const [refused] = await Promise.all([
        author.page.waitForResponse((r) => r.url().endsWith(`/account/comments/${firstId}/appeal`)),
        author.page.getByRole('button', { name: 'Send appeal' }).click(),
      ]);
      assert.equal(refused.status(), 422, 'APPEAL_INVALID');
      await author.page.waitForLoadState('load');
      await check('author refused appeal', author.page);
      assert.equal(await author.page.getByLabel(/Your reason/).inputValue(), tooLong);
      await author.page.getByLabel(/Your reason/).fill(companion(0, 3));
      await author.page.getByRole('button', { name: 'Send appeal' }).click();
      await author.page.waitForURL((target) => target.pathname === '/account/comments');
      await check('author after appealing', author.page);
      const csrf = await csrfOf(author);
      for (const [index, id] of restIds.entries()) {
        await visit(author, `${edition(index + 1)}/account/comments/${id}/appeal`);
        await send(
          author,
          `/account/comments/${id}/appeal`,
          { _csrf: csrf, reason: companion(index + 1, 3) },
          303,
        );
      }
    };
    await Promise.all([caseTour(), appealTour()]);

    // 5. The moderator reads the Appeals queue and every appeal's case page (the reason, the
    // decision appealed with its note); the admin saves payloads as words and reads them back;
    // both read the transparency report.
    const appealsTour = async () => {
      const appealPaths: string[] = [];
      for (const prefix of ['', '/ko']) {
        await visit(moderator, `${prefix}/moderation/queue/appeals`);
        const items = (await moderator.page.locator('.desk-item').allInnerTexts()).join('\n');
        assertIncludes(
          `moderator ${prefix}/moderation/queue/appeals`,
          items,
          CORPUS.map((_, index) => companion(index, 3)),
        );
        await assertShownAsText(`moderator ${prefix} appeals`, moderator.page, CORPUS);
        if (prefix === '')
          for (const href of await moderator.page
            .locator('.desk-item a[href*="/moderation/appeals/"]')
            .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '')))
            appealPaths.push(href);
      }
      assert.equal(appealPaths.length, CORPUS.length);
      for (const [index, where] of appealPaths.entries()) {
        await visit(moderator, `${edition(index)}${where}`);
        const main = await moderator.page.locator('main').innerText();
        // Newest first: the body tells which appeal this is, and so which reason and note.
        const body = (await moderator.page.locator('.desk-focus .comment-body').innerText()).trim();
        const at = CORPUS.findIndex((p) => shown(p).trim() === body);
        assert.ok(at >= 0, `${where}: the appealed comment as text: ${body}`);
        assertIncludes(where, main, [companion(at, 3), companion(at, 2), MODERATOR_NAME]);
      }
      for (const where of ['/transparency', '/ko/transparency']) await visit(moderator, where);
    };
    const adminTour = async () => {
      const admin = await staffMember('admin', staff?.admin, '/admin/moderation/words');
      await saveWordLists(admin);
      await saveSitePagePayloads(admin);
      await visit(admin, '/ko/admin/moderation/words');
      await visit(admin, '/ko/moderation/queue/recent');
      await assertShownAsText('admin /ko/moderation/queue/recent', admin.page, CORPUS.slice(-10));
      await admin.context.close();
    };
    await Promise.all([appealsTour(), adminTour()]);

    assert.deepEqual(findings, [], 'no payload ran, no CSP violation, no dangerous link');
    console.log(
      `S5 desk: ${CORPUS.length} payloads as comments, held comments, report notes, notes to ` +
        `the reader, appeal reasons, queue filters; ${WORD_PAYLOADS.length} as words; the ` +
        `readable ones as a site page; ` +
        `3 more names (reporter, moderator, admin); ${pagesVisited - visitedBefore} pages: 0 executed`,
    );
    await moderator.context.close();
  });

  it('runs none of the payloads written into a story, in the newsroom, the previews and the article', async (ctx) => {
    assert.ok(server);
    const editor = await staffMember('editor', staff?.editor, '/newsroom/stories/new');
    const page = editor.page;
    const visitedBefore = pagesVisited;
    const section = await page
      .locator('select[name="section"] option')
      .first()
      .getAttribute('value');
    const fields = (body: string): [string, string][] => [
      ['headline', STORY.headline],
      ['summary', STORY.summary],
      ['body', body],
      ['slug', 'xss-newsroom-story'],
      ['section', section ?? ''],
      ['tags', STORY.tags.join(', ')],
      ['bylineName', STORY.byline],
      ['bylineEmail', ''],
      ['credit', STORY.credit],
      ['language', 'en'],
      ['translation', ''],
    ];

    // A document with a javascript: link is refused, and the page gives every field back as text.
    await submitThroughPage(editor, '/newsroom/stories', fields(HOSTILE_BODY), 422);
    assert.equal(await page.locator('input[name="headline"]').inputValue(), STORY.headline);
    assert.equal(await page.locator('textarea[name="summary"]').inputValue(), STORY.summary);
    await submitThroughPage(editor, '/newsroom/stories', fields(STORY_BODY), 303);
    const storyPath = new URL(page.url()).pathname;
    assert.match(storyPath, /^\/newsroom\/stories\/\d+$/);
    assert.equal(await page.locator('input[name="headline"]').inputValue(), STORY.headline);
    await submitThroughPage(editor, `${storyPath}/notes`, [['note', STORY.note]], 303);
    assertIncludes('story notes', await textOf(page.locator('.story-notes')), [
      STORY.note,
      EDITOR_NAME,
    ]);
    const link = await page.locator('#preview-link').inputValue();

    // The previews: the staff one, and the signed link opened by someone outside the newsroom.
    await visit(editor, `${storyPath}/preview`);
    assertIncludes('staff preview', await textOf(page.locator('main')), [
      STORY.headline,
      STORY.summary,
      STORY.bodyText,
      STORY.credit,
      ...STORY.tags,
    ]);
    await assertBylineShown('staff preview', page);
    const outsider = await watchedContext('outsider');
    const outside = await outsider.newPage();
    // The link names the public address the server was given; this server listens elsewhere.
    const { pathname, search } = new URL(link);
    const opened = await outside.goto(`${server.url}${pathname}${search}`, { waitUntil: 'load' });
    assert.equal(opened?.status(), 200, link);
    pagesVisited += 1;
    await check('signed preview', outside);
    assertIncludes('signed preview', await textOf(outside.locator('main')), [STORY.headline]);

    // Published, then corrected: the article, its corrections and every list that shows it.
    await visit(editor, storyPath);
    await submitThroughPage(editor, `${storyPath}/publish`, [], 303);
    await submitThroughPage(
      editor,
      `${storyPath}/corrections`,
      [
        ['kind', 'correction'],
        ['body', STORY.correction],
      ],
      303,
    );
    const articlePath = await page
      .locator('a', { hasText: 'The published article' })
      .getAttribute('href');
    assert.ok(articlePath);
    await visit(editor, articlePath);
    assertIncludes('article', await textOf(page.locator('main')), [
      STORY.headline,
      STORY.summary,
      STORY.bodyText,
      STORY.correction,
    ]);
    await assertBylineShown('article', page);
    const readerTab = await outsider.newPage();
    const read = await readerTab.goto(`${server.url}${articlePath}`, { waitUntil: 'load' });
    assert.equal(read?.status(), 200);
    pagesVisited += 1;
    await check('reader article', readerTab);
    for (const where of [
      '/newsroom',
      '/ko/newsroom',
      `/newsroom?q=${encodeURIComponent(STORY.headline.slice(0, 40))}`,
      '/',
      '/corrections',
      '/ko/corrections',
    ])
      await visit(editor, where);
    await visit(editor, '/newsroom?status=published');
    assertIncludes('newsroom list', await textOf(page.locator('main')), [STORY.headline]);
    ctx.diagnostic(
      `newsroom: ${Object.keys(STORY).length} fields and a staff name, ` +
        `${pagesVisited - visitedBefore} pages: 0 executed`,
    );
    await outsider.close();
    await editor.context.close();
    assert.deepEqual(findings, []);
  });

  /** The article's byline reads as the payload's text (the page writes bylines in capitals). */
  async function assertBylineShown(label: string, page: Page): Promise<void> {
    const text = (await textOf(page.locator('main'))).toLowerCase();
    assert.ok(text.includes(STORY.byline.toLowerCase()), `${label}: the byline in ${text}`);
  }

  /** The text an element holds, as written: innerText would follow CSS (an upper-cased byline). */
  async function textOf(locator: Locator): Promise<string> {
    return (await locator.textContent()) ?? '';
  }

  /**
   * Submits a form the person's page builds (through the DevTools protocol, which the CSP does
   * not govern), so the answer is rendered in the tab under the site's CSP, then checks it.
   */
  async function submitThroughPage(
    who: Reader,
    action: string,
    fields: [string, string][],
    status: number,
  ): Promise<void> {
    const sent: [string, string][] = [['_csrf', await csrfOf(who)], ...fields];
    // A submitted form always ends in a new document (the answer, or its redirect's target),
    // even at the address the tab is on: its load is what to wait for.
    const loaded = who.page.waitForEvent('load');
    const [response] = await Promise.all([
      who.page.waitForResponse(
        (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === action,
      ),
      who.page.evaluate(
        ({ action, fields }: { action: string; fields: [string, string][] }) => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = action;
          for (const [name, value] of fields) {
            const input = document.createElement('textarea');
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.submit();
        },
        { action, fields: sent },
      ),
    ]);
    // A redirect's body cannot be read: the text is asked for only when the status is wrong.
    if (response.status() !== status)
      assert.fail(`${who.name} ${action}: ${response.status()} ${await response.text()}`);
    await loaded;
    pagesVisited += 1;
    await check(`${who.name} POST ${action}`, who.page);
  }

  /** A staff member in a watched browser of their own, signed in, where `returnTo` leads. */
  async function staffMember(label: string, account: Staff | undefined, returnTo: string) {
    assert.ok(server && account);
    const context = await watchedContext(label);
    const page = await context.newPage();
    await setUpAndSignInStaff(page, server.url, account, returnTo);
    return { name: label, context, page } satisfies Reader;
  }

  /** The session's CSRF token, from the first form on the page the person is on. */
  function csrfOf(who: Reader): Promise<string> {
    return who.page.locator('input[name="_csrf"]').first().inputValue();
  }

  /** Posts a form with the person's cookies, as their browser would, and expects `status`. */
  async function send(who: Reader, where: string, form: Record<string, string>, status: number) {
    assert.ok(server);
    const response: APIResponse = await who.page.request.post(`${server.url}${where}`, {
      form,
      headers: { accept: 'application/json', origin: new URL(server.url).origin },
      maxRedirects: 0,
    });
    assert.equal(response.status(), status, `${who.name} ${where}: ${await response.text()}`);
    return response;
  }

  /** A queue filtered by `text`: the filter box holds it as typed, the match shows as text. */
  async function filterBy(who: Reader, queuePath: string, text: string, expected: string) {
    await visit(who, `${queuePath}?q=${encodeURIComponent(text)}`);
    assert.equal(await who.page.locator('#f-text').inputValue(), text.trim(), queuePath);
    await assertShownAsText(`${who.name} ${queuePath} q=${text}`, who.page, [expected]);
  }

  /**
   * The admin saves the short payloads as words through the form (suspect and banned alternately),
   * and each textarea then holds them as stored (folded, sorted); a payload too long for an entry is
   * refused, and the textarea gives it back exactly.
   */
  async function saveWordLists(admin: Reader): Promise<void> {
    const page = admin.page;
    const tooLong = `</textarea><script>window.__xss=8</script>${'ㅋ'.repeat(40)}`;
    await page.getByLabel('Banned words').fill(tooLong);
    await submitWordLists(page, 422);
    await check('admin refused word lists', page);
    assert.equal(await page.getByLabel('Banned words').inputValue(), tooLong);

    const lists = { suspect: [] as string[], banned: [] as string[] };
    for (const [index, word] of WORD_PAYLOADS.entries())
      lists[index % 2 === 0 ? 'suspect' : 'banned'].push(word);
    await page.getByLabel('Banned words').fill(lists.banned.join('\n'));
    await page.getByLabel('Suspect words').fill(lists.suspect.join('\n'));
    await submitWordLists(page, 303);
    await page.locator('#word-lists-saved').waitFor();
    await check('admin saved word lists', page);
    for (const [label, words] of [
      ['Banned words', lists.banned],
      ['Suspect words', lists.suspect],
    ] as const)
      // Stored folded, one a line, in the list's own order (alphabetical).
      assert.deepEqual(
        (await page.getByLabel(label).inputValue()).split('\n').sort(),
        words.map((w) => foldForMatching(w.trim())).sort(),
        label,
      );
  }

  /**
   * The admin writes the corpus into the About page through its editor: the whole corpus, which
   * holds a javascript: link, is refused and comes back in its textarea exactly; the payloads the
   * Markdown reader takes are saved in both editions and shown on /about and /ko/about.
   */
  async function saveSitePagePayloads(admin: Reader): Promise<void> {
    const page = admin.page;
    await visit(admin, '/admin/pages/about');
    const refused = CORPUS.join('\n\n');
    await page.locator('#site-page-en').fill(refused);
    await submitSitePage(page, 422);
    await check('admin refused site page', page);
    assert.equal(await page.locator('#site-page-en').inputValue(), refused);
    const readable = CORPUS.filter((p) => readSitePage(normaliseSitePageText(p)).ok).join('\n\n');
    await page.locator('#site-page-en').fill(readable);
    await page.locator('#site-page-ko').fill(readable);
    await submitSitePage(page, 303);
    for (const where of ['/about', '/ko/about']) await visit(admin, where);
  }

  async function submitSitePage(page: Page, status: number): Promise<void> {
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/admin/pages/about'),
      ),
      page.getByRole('button', { name: 'Save both texts' }).click(),
    ]);
    assert.equal(response.status(), status);
    await page.waitForLoadState('load');
    pagesVisited += 1;
  }

  /** Submits the word lists form and expects its answer to have `status`. */
  async function submitWordLists(page: Page, status: number): Promise<void> {
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/admin/moderation/words'),
      ),
      page.getByRole('button', { name: 'Save both lists' }).click(),
    ]);
    assert.equal(response.status(), status);
    await page.waitForLoadState('load');
    pagesVisited += 1;
  }

  /** Each of `payloads` is in `text`, as the browser renders it. */
  function assertIncludes(label: string, text: string, payloads: string[]): void {
    for (const payload of payloads)
      assert.ok(
        text.includes(shown(payload).trim()),
        `${label}: ${JSON.stringify(payload)} shown as text, in ${JSON.stringify(text)}`,
      );
  }

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
