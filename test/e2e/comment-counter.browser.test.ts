import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import {
  checkCommentText,
  linkSegments,
  visibleLength,
  type CheckedCommentText,
  type TextSegment,
} from '../../src/comments/comment-text.js';
import { commentTexts, longCommentTexts } from '../../src/comments/comment-text.testing.js';
import { projectRoot } from '../../src/lib/project-root.js';
import { BUNDLES } from '../../src/features.js';
import { loadAssets } from '../../src/views/assets.js';

/**
 * The comments island in Chromium, against a page holding the markup the server renders and a
 * test double of the server's JSON answers: the counter (typed, composed with an IME, over the
 * limit), Ctrl+Enter, posting, votes and live comments; and the counting rule, bundled for the
 * browser, agreeing with Node's on random text. The journey through the real server is
 * test/e2e/browser.test.ts's.
 */

const CHROMIUM = '/usr/bin/chromium';
const LIMIT = 250;
const ARTICLE = '/ko/articles/123';
const POST_URL = `${ARTICLE}/comments`;
const VOTE_URL = '/ko/comments/5/vote';
const LIVE_URL = '/articles/123/comments/live?language=ko';
const TEST_BUNDLE = '/test/comment-text.js';
const EDIT_PAGE = '/ko/comments/5/edit';
const SERVER_ERROR_BODY = '서버 오류를 보여 주세요';
const LOGIN_BODY = '로그인이 필요한 댓글';
const LOGIN_PAGE = '/ko/login';
const NETWORK_ERROR = '연결이 끊겼습니다. 다시 시도해 주세요.';
const CLOSED_MESSAGE = '이 기사의 댓글은 닫혔습니다.';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** One comment form, as the server renders it; `parentId` makes it a reply form. */
function commentForm(key: string, parentId?: string): string {
  return `<form class="comment-form" method="post" action="${POST_URL}" data-comment-form
      data-network-error="${NETWORK_ERROR}">
    <input type="hidden" name="_csrf" value="TOKEN">
    ${parentId ? `<input type="hidden" name="parentId" value="${parentId}">` : ''}
    <label for="comment-body-${key}">댓글</label>
    <textarea id="comment-body-${key}" name="body" data-comment-input
      aria-describedby="comment-counter-${key}"></textarea>
    <p class="comment-counter" id="comment-counter-${key}" data-comment-counter
      data-limit="${LIMIT}" data-unit="자">(<span data-count>0</span>/${LIMIT}자)</p>
    <p class="comment-form-error" data-comment-error role="alert" hidden></p>
    <button type="submit">등록</button>
  </form>`;
}

/** A published comment as the server renders it, with its (empty) list of replies. */
function commentItem(id: string, text: string): string {
  return `<li class="comment" id="comment-${id}" data-comment-id="${id}">
    <p>${escapeHtml(text)}</p>
    <ol class="comment-replies" data-replies-for="${id}"></ol>
  </li>`;
}

function articlePage(script: string): string {
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>기사</title>
  <link rel="icon" href="data:,">
  <script src="${script}" defer></script></head><body><main>
  <section class="comments" id="comments" data-comments data-live-url="${LIVE_URL}"
      data-live-announce="새 댓글" aria-labelledby="comments-heading">
    <h2 id="comments-heading">댓글 <span data-comment-count>1</span></h2>
    <p class="visually-hidden" data-comment-live-status aria-live="polite"></p>
    ${commentForm('main')}
    <ol class="comment-list" data-comment-list>
      <li class="comment" id="comment-5" data-comment-id="5"><p>첫 댓글입니다.</p>
        <form class="comment-vote" method="post" action="${VOTE_URL}" data-vote-form>
          <input type="hidden" name="_csrf" value="TOKEN">
          <button type="submit" name="value" value="up" aria-pressed="false">공감 <span data-up-count>3</span></button>
          <button type="submit" name="value" value="down" aria-pressed="false">비공감 <span data-down-count>1</span></button>
          <span data-vote-error hidden></span>
        </form>
        <details class="comment-reply"><summary>답글</summary>${commentForm('reply-5', '5')}</details>
        <ol class="comment-replies" data-replies-for="5"></ol>
      </li>
    </ol>
  </section></main></body></html>`;
}

/** The edit page's form: not sent by the island, but counted, starting from the stored text. */
function editPage(script: string): string {
  return simplePage(
    '댓글 수정',
    `<script src="${script}" defer></script>
    <form method="post" action="${EDIT_PAGE}" class="comment-form" data-comment-edit>
      <label for="comment-edit-body">댓글</label>
      <textarea id="comment-edit-body" name="body" data-comment-input
        aria-describedby="comment-counter-edit">수정할 댓글 👍🏽</textarea>
      <p class="comment-counter" id="comment-counter-edit" data-comment-counter
        data-limit="${LIMIT}" data-unit="자">(<span data-count>0</span>/${LIMIT}자)</p>
      <button type="submit">저장</button>
    </form>`,
  );
}

/** The same esbuild settings as views/assets.ts, with the module exposed for this test only. */
function testBundle(): string {
  const result = buildSync({
    entryPoints: [path.join(projectRoot(), 'src', 'comments', 'comment-text.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'commentText',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  assert.ok(output, 'esbuild bundled comment-text.ts');
  return output.text;
}

function simplePage(title: string, head: string): string {
  return `<!doctype html><html lang="ko"><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">${head}</html>`;
}

/** The module as the test bundle exposes it on the agreement page. */
type CommentTextInPage = {
  visibleLength(raw: string): number;
  checkCommentText(raw: string, limit: number): CheckedCommentText;
  linkSegments(text: string): TextSegment[];
};

type Post = { body: string; parentId: string | null };

/** The page, its scripts, and answers shaped like the real server's. */
class FakeServer {
  readonly posts: Post[] = [];
  readonly votes: string[] = [];
  readonly liveClients = new Set<http.ServerResponse>();
  readonly server: http.Server;
  private nextId = 100;
  /** Comments on the article, as [data-comment-count] shows them: the page starts with one. */
  commentCount = 1;

  constructor(private readonly files: Record<string, { type: string; body: string | Buffer }>) {
    this.server = http.createServer((request, response) => {
      this.answer(request, response).catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Sends a `comment` event to every open EventSource. */
  pushLive(data: Record<string, unknown>): void {
    for (const client of this.liveClients)
      client.write(`event: comment\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = request.url ?? '/';
    response.setHeader('content-security-policy', CSP);
    const file = request.method === 'GET' ? this.files[url] : undefined;
    if (file) return void response.writeHead(200, { 'content-type': file.type }).end(file.body);
    if (request.method === 'GET' && url === LIVE_URL) return this.openLive(response);
    if (request.method !== 'POST') return void response.writeHead(404).end();
    const form = new URLSearchParams(await readBody(request));
    if (url === VOTE_URL) {
      this.votes.push(form.get('value') ?? '');
      return sendJson(response, 200, { up: 4, down: 1, mine: form.get('value') });
    }
    if (url !== POST_URL) return void response.writeHead(404).end();
    const body = form.get('body') ?? '';
    const parentId = form.get('parentId');
    this.posts.push({ body, parentId });
    // The session ended: the real server redirects to the login page, whatever was asked for.
    if (body === LOGIN_BODY) return void response.writeHead(303, { location: LOGIN_PAGE }).end();
    if (body === SERVER_ERROR_BODY) {
      return sendJson(response, 409, {
        error: { code: 'COMMENTS_CLOSED', message: CLOSED_MESSAGE },
      });
    }
    const checked = checkCommentText(body, LIMIT);
    if (!checked.ok) {
      return sendJson(response, 422, {
        error: { code: checked.problem.code, message: '확인해 주세요.' },
      });
    }
    const id = String((this.nextId += 1));
    this.commentCount += 1;
    return sendJson(response, 201, {
      comment: { id, parentId, status: 'published' },
      count: this.commentCount,
      html: commentItem(id, checked.text),
    });
  }

  private openLive(response: http.ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.write(': open\n\n');
    this.liveClients.add(response);
    response.on('close', () => this.liveClients.delete(response));
  }
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

const skip = fs.existsSync(CHROMIUM)
  ? false
  : 'Chromium is not installed (apt-get install chromium): comment island checks not run';

describe('the comments island in Chromium', { skip }, () => {
  const assets = loadAssets(BUNDLES);
  const script = assets.scripts.get('comments');
  assert.ok(script);
  const fake = new FakeServer({
    [ARTICLE]: { type: 'text/html; charset=utf-8', body: articlePage(script.path) },
    [script.path]: { type: script.contentType, body: script.body },
    [TEST_BUNDLE]: { type: 'text/javascript; charset=utf-8', body: testBundle() },
    [LOGIN_PAGE]: { type: 'text/html; charset=utf-8', body: simplePage('로그인', '') },
    [EDIT_PAGE]: { type: 'text/html; charset=utf-8', body: editPage(script.path) },
    '/agreement': {
      type: 'text/html; charset=utf-8',
      body: simplePage('agreement', `<script src="${TEST_BUNDLE}"></script>`),
    },
  });
  let baseUrl = '';
  let browser: Browser | undefined;
  let page: Page;
  let cdp: CDPSession;
  const errors: string[] = [];

  before(async () => {
    baseUrl = await fake.listen();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage();
    page.on('console', (message) => {
      const { url } = message.location();
      // Chromium logs every 4xx answer as a console error; the comment refused on purpose is one.
      if (url.endsWith(POST_URL) && message.text().includes('409 (Conflict)')) return;
      // The island's own warnings are expected nowhere here either.
      if (message.type() === 'error' || message.type() === 'warning') {
        errors.push(`${message.text()} (${url})`);
      }
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    cdp = await page.context().newCDPSession(page);
  });

  // The browser first: its EventSource and keep-alive connections would hold the server open.
  after(async () => {
    await browser?.close();
    await fake.close();
  });

  const main = () => page.locator('#comment-body-main');
  const mainCounter = () => page.locator('#comment-counter-main');

  async function openArticle(): Promise<void> {
    await page.goto(`${baseUrl}${ARTICLE}`, { waitUntil: 'load' });
    await main().focus();
  }

  async function counterText(): Promise<string> {
    return (await mainCounter().textContent()) ?? '';
  }

  it('shows (0/250자), then the count of typed Korean', async () => {
    await openArticle();
    assert.equal(await counterText(), '(0/250자)');
    await page.keyboard.insertText('한국어');
    assert.equal(await counterText(), '(3/250자)');
  });

  it('counts the text already in a form when the page loads, as on the edit page', async () => {
    await page.goto(`${baseUrl}${EDIT_PAGE}`, { waitUntil: 'load' });
    const counter = page.locator('#comment-counter-edit');
    assert.equal(await counter.textContent(), '(8/250자)');
    await page.locator('#comment-edit-body').press('End');
    await page.keyboard.insertText('!');
    assert.equal(await counter.textContent(), '(9/250자)');
  });

  it('counts the syllable being composed once, never more, as an IME builds 한 and 국', async () => {
    await openArticle();
    const steps: { compose?: string; commit?: string; committed: number }[] = [
      { compose: 'ㅎ', committed: 0 },
      { compose: '하', committed: 0 },
      { compose: '한', committed: 0 },
      { commit: '한', committed: 1 },
      { compose: 'ㄱ', committed: 1 },
      { compose: '구', committed: 1 },
      { compose: '국', committed: 1 },
      { commit: '국', committed: 2 },
    ];
    const seen: string[] = [];
    for (const step of steps) {
      await (step.compose
        ? compose(step.compose)
        : cdp.send('Input.insertText', { text: step.commit ?? '' }));
      const value = await main().inputValue();
      const shown = Number(await mainCounter().locator('[data-count]').textContent());
      seen.push(`${value}:${String(shown)}`);
      // While composing, the value holds the committed text plus the one syllable being built.
      const trueCount = step.compose ? step.committed + 1 : step.committed;
      assert.equal(shown, trueCount, `after ${JSON.stringify(step)}, seen ${seen.join(' ')}`);
      assert.equal(shown, visibleLength(value));
    }
    assert.equal(await main().inputValue(), '한국');
    assert.equal(await counterText(), '(2/250자)');
  });

  it('does not send on Ctrl+Enter while composing, and sends once composition ends', async () => {
    await openArticle();
    const before = fake.posts.length;
    await page.keyboard.insertText('좋은 기사');
    await compose('ㄴ');
    await compose('네');
    // Chromium: the keydown carries isComposing.
    await page.keyboard.press('Control+Enter');
    await cdp.send('Input.insertText', { text: '네' });
    // Safari: the Enter that ends a composition arrives after compositionend, isComposing false,
    // keyCode 229.
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'rawKeyDown',
      key: 'Enter',
      code: 'Enter',
      windowsVirtualKeyCode: 229,
      modifiers: 2,
    });
    await page.waitForTimeout(200);
    assert.equal(fake.posts.length, before, 'no request for the Enter of a composition');
    assert.equal(await main().inputValue(), '좋은 기사네');
    const posted = page.waitForResponse((r) => r.url().endsWith(POST_URL));
    await page.keyboard.press('Control+Enter');
    assert.equal((await posted).status(), 201);
    assert.deepEqual(fake.posts.slice(before), [{ body: '좋은 기사네', parentId: null }]);
  });

  it('shows (251/250자) marked over the limit for 250 Korean syllables and an emoji', async () => {
    await openArticle();
    await page.keyboard.insertText('가'.repeat(LIMIT));
    assert.equal(await counterText(), '(250/250자)');
    assert.equal(await mainCounter().getAttribute('class'), 'comment-counter');
    await page.keyboard.insertText('👍');
    assert.equal(await counterText(), '(251/250자)');
    assert.equal(await mainCounter().getAttribute('class'), 'comment-counter over');
    assert.equal(await main().getAttribute('aria-invalid'), 'true');
    const notice = page.locator('#comment-counter-main + [data-comment-error]');
    assert.equal(await notice.isVisible(), true, 'crossing the limit is said once');
    assert.equal(await notice.textContent(), '(251/250자)');
    await page.keyboard.press('Backspace');
    assert.equal(await counterText(), '(250/250자)');
    assert.equal(await main().getAttribute('aria-invalid'), null);
    assert.equal(await notice.isVisible(), false, 'the notice goes once back under the limit');
  });

  it("shows the server's error message and keeps the text", async () => {
    await openArticle();
    await page.keyboard.insertText(SERVER_ERROR_BODY);
    const answered = page.waitForResponse((r) => r.url().endsWith(POST_URL));
    await page.getByRole('button', { name: '등록' }).first().click();
    assert.equal((await answered).status(), 409);
    const error = page.locator('#comment-counter-main + [data-comment-error]');
    await error.waitFor({ state: 'visible' });
    assert.equal(await error.textContent(), CLOSED_MESSAGE);
    assert.equal(await main().inputValue(), SERVER_ERROR_BODY);
    assert.equal(await page.getByRole('button', { name: '등록' }).first().isEnabled(), true);
  });

  it('says the connection was lost, and keeps the text', async () => {
    await openArticle();
    await page.route(`**${POST_URL}`, (route) => route.abort('internetdisconnected'));
    try {
      await page.keyboard.insertText('연결 끊김 시험');
      await page.getByRole('button', { name: '등록' }).first().click();
      const error = page.locator('#comment-counter-main + [data-comment-error]');
      await error.waitFor({ state: 'visible' });
      assert.equal(await error.textContent(), NETWORK_ERROR);
      assert.equal(await main().inputValue(), '연결 끊김 시험');
      // Chromium's report of the failed request, and the island's own: expected here only.
      const logged = errors.splice(0);
      assert.equal(logged.length, 2, logged.join('\n'));
      assert.ok(logged.some((line) => line.startsWith('comments: the request failed')));
    } finally {
      await page.unroute(`**${POST_URL}`);
    }
  });

  it('lets the browser submit the form itself when the answer is a redirect to log in', async () => {
    await openArticle();
    const before = fake.posts.length;
    await page.keyboard.insertText(LOGIN_BODY);
    await page.getByRole('button', { name: '등록' }).first().click();
    await page.waitForURL(`${baseUrl}${LOGIN_PAGE}`);
    // Once by the island (answered with the redirect), once by the browser, which follows it.
    assert.deepEqual(fake.posts.slice(before), [
      { body: LOGIN_BODY, parentId: null },
      { body: LOGIN_BODY, parentId: null },
    ]);
  });

  it('puts a posted comment at the top of the list, clears the form and focuses the comment', async () => {
    await openArticle();
    await page.keyboard.insertText('좋은 기사네요 👍🏽 <b>굵게</b>');
    const answered = page.waitForResponse((r) => r.url().endsWith(POST_URL));
    await page.getByRole('button', { name: '등록' }).first().click();
    await answered;
    const first = page.locator('[data-comment-list] > li').first();
    await page.waitForFunction(() => document.activeElement?.classList.contains('comment'));
    assert.equal(await first.locator('p').first().textContent(), '좋은 기사네요 👍🏽 <b>굵게</b>');
    assert.equal(await first.evaluate((li) => li === document.activeElement), true);
    assert.equal(await main().inputValue(), '');
    assert.equal(await counterText(), '(0/250자)');
    assert.equal(
      await page.locator('[data-comment-count]').textContent(),
      String(fake.commentCount),
    );
  });

  it('puts a reply under its comment and closes the reply form', async () => {
    await openArticle();
    await page.locator('details.comment-reply summary').click();
    await page.locator('#comment-body-reply-5').fill('답글입니다');
    assert.equal(await page.locator('#comment-counter-reply-5').textContent(), '(5/250자)');
    assert.equal(await counterText(), '(0/250자)', 'each counter belongs to its own form');
    const answered = page.waitForResponse((r) => r.url().endsWith(POST_URL));
    await page.locator('#comment-body-reply-5').press('Control+Enter');
    await answered;
    const reply = page.locator('[data-replies-for="5"] > li');
    await reply.waitFor();
    assert.equal(await reply.locator('p').textContent(), '답글입니다');
    assert.equal(await page.locator('details.comment-reply').getAttribute('open'), null);
    assert.deepEqual(fake.posts.at(-1), { body: '답글입니다', parentId: '5' });
  });

  it('records a vote and shows the new counts and which button is pressed', async () => {
    await openArticle();
    const answered = page.waitForResponse((r) => r.url().endsWith(VOTE_URL));
    await page.getByRole('button', { name: /^공감/ }).click();
    await answered;
    const up = page.getByRole('button', { name: /^공감/ });
    await page.waitForFunction(
      () => document.querySelector('[data-up-count]')?.textContent === '4',
    );
    assert.equal(await up.getAttribute('aria-pressed'), 'true');
    assert.equal(
      await page.getByRole('button', { name: /^비공감/ }).getAttribute('aria-pressed'),
      'false',
    );
    assert.equal(fake.votes.at(-1), 'up');
  });

  it('adds a live comment once, updates the count and announces it politely', async () => {
    await openArticle();
    await waitFor(() => fake.liveClients.size > 0, 'the page opened its EventSource');
    const live = { id: '900', parentId: null, count: 42, html: commentItem('900', '실시간 댓글') };
    fake.pushLive(live);
    fake.pushLive(live);
    await page.locator('#comment-900').waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-comment-live-status]')?.textContent === '새 댓글',
    );
    assert.equal(await page.locator('#comment-900').count(), 1);
    assert.equal(await page.locator('[data-comment-count]').textContent(), '42');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'comment-body-main');
  });

  it('leaves no console errors, CSP violations or globals behind', async () => {
    const globals = await page.evaluate(() =>
      Object.keys(window).filter((key) => /comment|segment|graphemes/i.test(key)),
    );
    assert.deepEqual(globals, []);
    assert.deepEqual(errors, []);
  });

  it('counts and checks every text exactly as the server does', async () => {
    // Mostly short texts of every kind, some long enough to be counted window by window.
    const someTexts = fc.oneof(
      { arbitrary: commentTexts, weight: 4 },
      { arbitrary: longCommentTexts, weight: 1 },
    );
    await page.goto(`${baseUrl}/agreement`, { waitUntil: 'load' });
    await fc.assert(
      fc.asyncProperty(fc.array(someTexts, { minLength: 60, maxLength: 60 }), async (texts) => {
        // As UTF-16 code units: the protocol to the browser is UTF-8 and would mend lone surrogates.
        const units = texts.map((text) =>
          Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)),
        );
        const inBrowser = await page.evaluate(
          ([all, limit]) => {
            const module = (window as unknown as { commentText: CommentTextInPage }).commentText;
            return all.map((codes) => {
              const text = String.fromCharCode(...codes);
              return JSON.stringify([
                module.visibleLength(text),
                module.checkCommentText(text, limit),
                module.checkCommentText(text, 10),
                module.linkSegments(text),
              ]);
            });
          },
          [units, LIMIT] as const,
        );
        const inNode = texts.map((text) =>
          JSON.stringify([
            visibleLength(text),
            checkCommentText(text, LIMIT),
            checkCommentText(text, 10),
            linkSegments(text),
          ]),
        );
        assert.deepEqual(inBrowser, inNode);
      }),
      { numRuns: 5 },
    );
  });

  /** Sets the IME's composition text, as a Korean IME does at each keystroke. */
  async function compose(text: string): Promise<void> {
    await cdp.send('Input.imeSetComposition', {
      text,
      selectionStart: text.length,
      selectionEnd: text.length,
    });
  }
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting until ${what}`);
}
