import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { EditorLabels } from '../../src/newsroom/editor-labels.js';
import { loadAssets } from '../../src/views/assets.js';
import { launchChromium, skipWithoutChromium } from './chromium.js';

/**
 * The story editor's bundle in Chromium, on a page holding the story form exactly as the
 * newsroom renders it (the DOM contract in src/newsroom/client/editor.client.ts) and a test
 * double of the autosave and presence answers. Korean composition is driven through CDP as an
 * IME drives it (Input.imeSetComposition for each step, Input.insertText to commit), and every
 * check reads the document the form would post.
 */

const STORY = '/newsroom/stories/42';
const AUTOSAVE = `${STORY}/autosave`;
const PRESENCE = `${STORY}/presence`;
const SAVE = `${STORY}/save`;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";
const EMPTY_DOC = '{"type":"doc","content":[{"type":"paragraph"}]}';
const CONFLICT_MESSAGE = '다른 사람이 먼저 저장했습니다. 두 글 모두 남아 있습니다.';
const PRESENCE_MESSAGE = '김민지 님이 14:02부터 편집 중입니다';

const LABELS: EditorLabels = {
  toolbar: '서식',
  bold: '굵게',
  italic: '기울임',
  link: '링크',
  heading2: '제목 2',
  heading3: '제목 3',
  quote: '인용',
  bulletList: '글머리 기호 목록',
  orderedList: '번호 목록',
  undo: '실행 취소',
  redo: '다시 실행',
  linkPrompt: '링크 주소',
  linkRefused: 'http, https, mailto 링크만 넣을 수 있습니다',
  saved: '{time} 저장됨',
  saveFailed: '저장하지 못했습니다. 다시 시도합니다.',
  conflictLink: '두 판 비교',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function storyPage(script: string, stylesheet: string, body: string): string {
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>기사 편집</title>
  <link rel="icon" href="data:,"><link rel="stylesheet" href="${stylesheet}">
  <script src="${script}" defer></script></head><body><main>
  <form id="story-form" method="post" action="${SAVE}"
      data-autosave="${AUTOSAVE}" data-presence="${PRESENCE}"
      data-editor-labels="${escapeHtml(JSON.stringify(LABELS))}">
    <input type="hidden" name="_csrf" value="TOKEN">
    <input type="hidden" name="base" value="7">
    <label for="headline">제목</label> <input id="headline" name="headline">
    <label for="summary">요약</label> <textarea id="summary" name="summary"></textarea>
    <p id="body-label">본문</p>
    <div class="editor-toolbar" data-editor-toolbar></div>
    <div data-editor-mount aria-labelledby="body-label"></div>
    <textarea name="body" data-editor-source hidden>${escapeHtml(body)}</textarea>
    <noscript>본문을 편집하려면 자바스크립트가 필요합니다.</noscript>
    <p data-editor-status aria-live="polite"></p>
    <p data-presence-status aria-live="polite"></p>
    <button type="submit">저장</button>
    <button type="submit" formaction="${STORY}/take-over" data-take-over>가져오기</button>
  </form>
  <p><a href="#headline" id="elsewhere">다른 곳</a></p>
  </main></body></html>`;
}

type Reply = { status: number; body: unknown };

/** The server's side: the page, the bundle, and answers the test sets. */
class FakeNewsroom {
  readonly autosaves: URLSearchParams[] = [];
  readonly presences: URLSearchParams[] = [];
  readonly saves: URLSearchParams[] = [];
  autosaveReply: (count: number) => Reply = (count) => ({
    status: 200,
    body: { revision: 7 + count, savedAt: '2026-12-07T05:03:00.000Z' },
  });
  presenceReply: Reply = { status: 200, body: { holder: null, message: '' } };
  /** How long the autosave's answer takes, to catch a submit while a save is under way. */
  autosaveDelayMs = 0;
  body = EMPTY_DOC;
  private readonly server: http.Server;

  constructor(files: Record<string, { type: string; body: Buffer }>, page: () => string) {
    this.server = http.createServer((request, response) => {
      const url = request.url ?? '/';
      const headers = { 'content-security-policy': CSP };
      if (request.method === 'GET' && url === STORY) {
        response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
        return response.end(page());
      }
      const file = files[url];
      if (request.method === 'GET' && file) {
        response.writeHead(200, { ...headers, 'content-type': file.type });
        return response.end(file.body);
      }
      if (request.method !== 'POST') {
        response.writeHead(404);
        return response.end();
      }
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (url === AUTOSAVE) {
          this.autosaves.push(form);
          const reply = this.autosaveReply(this.autosaves.length);
          setTimeout(() => sendJson(response, reply), this.autosaveDelayMs);
          return;
        }
        if (url === PRESENCE) {
          this.presences.push(form);
          return sendJson(response, this.presenceReply);
        }
        this.saves.push(form);
        response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
        response.end(
          '<!doctype html><html lang="ko"><title>저장됨</title><link rel="icon" href="data:,"><p>저장됨</p></html>',
        );
      });
    });
  }

  listen(): Promise<string> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        const { port } = this.server.address() as AddressInfo;
        resolve(`http://127.0.0.1:${port}`);
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function sendJson(response: http.ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(reply.body));
}

type JsonNode = { type: string; text?: string; content?: JsonNode[]; attrs?: unknown };

describe('the story editor in Chromium', { skip: skipWithoutChromium }, () => {
  const assets = loadAssets([
    { name: 'newsroom-editor', entry: 'src/newsroom/client/editor.client.ts' },
  ]);
  const script = assets.scripts.get('newsroom-editor');
  assert.ok(script);
  const { stylesheet } = assets;
  const fake: FakeNewsroom = new FakeNewsroom(
    {
      [script.path]: { type: script.contentType, body: script.body },
      [stylesheet.path]: { type: stylesheet.contentType, body: stylesheet.body },
    },
    () => storyPage(script.path, stylesheet.path, fake.body),
  );
  let baseUrl = '';
  let browser: Browser | undefined;
  let page: Page;
  let cdp: CDPSession;
  const errors: string[] = [];

  before(async () => {
    baseUrl = await fake.listen();
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (message) => {
      // Chromium logs every 4xx answer as a console error; the conflicts here are on purpose.
      if (/\b(409|423) \(/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') {
        errors.push(`${message.text()} (${message.location().url})`);
      }
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    cdp = await page.context().newCDPSession(page);
  });

  after(async () => {
    await browser?.close();
    await fake.close();
  });

  beforeEach(() => {
    fake.autosaves.length = 0;
    fake.saves.length = 0;
    fake.autosaveDelayMs = 0;
    fake.presences.length = 0;
    fake.body = EMPTY_DOC;
    fake.autosaveReply = (count) => ({
      status: 200,
      body: { revision: 7 + count, savedAt: '2026-12-07T05:03:00.000Z' },
    });
    fake.presenceReply = { status: 200, body: { holder: null, message: '' } };
  });

  const editor = () => page.locator('[data-editor-mount] [contenteditable]');

  async function openStory(): Promise<void> {
    await page.goto(`${baseUrl}${STORY}`, { waitUntil: 'load' });
    await editor().waitFor();
    await editor().focus();
  }

  async function posted(): Promise<JsonNode> {
    const json = await page.locator('[data-editor-source]').inputValue();
    return JSON.parse(json) as JsonNode;
  }

  /** The document's blocks as [type, text], texts joined, for short assertions. */
  async function blocks(): Promise<[string, string][]> {
    const doc = await posted();
    const text = (node: JsonNode): string =>
      node.text ?? (node.content ?? []).map(text).join(node.type === 'doc' ? '|' : '');
    return (doc.content ?? []).map((node) => [node.type, text(node)]);
  }

  /** Sets the IME's composition text, as a Korean IME does at each keystroke. */
  async function compose(text: string): Promise<void> {
    await cdp.send('Input.imeSetComposition', {
      text,
      selectionStart: text.length,
      selectionEnd: text.length,
    });
  }

  async function composeSyllable(steps: string[]): Promise<void> {
    for (const step of steps) await compose(step);
  }

  const commit = (text: string) => cdp.send('Input.insertText', { text });

  it('mounts on the form as a labelled multi-line text box, the toolbar filled', async () => {
    await openStory();
    assert.equal(await editor().getAttribute('role'), 'textbox');
    assert.equal(await editor().getAttribute('aria-multiline'), 'true');
    assert.equal(await editor().getAttribute('aria-labelledby'), 'body-label');
    const names = await page.locator('[data-editor-toolbar] button').allTextContents();
    assert.deepEqual(names, [
      '굵게',
      '기울임',
      '링크',
      '제목 2',
      '제목 3',
      '인용',
      '글머리 기호 목록',
      '번호 목록',
      '실행 취소',
      '다시 실행',
    ]);
    const types = await page
      .locator('[data-editor-toolbar] button')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('type')));
    assert.ok(types.every((type) => type === 'button'));
  });

  it('keeps 한 once and opens a new paragraph when Enter comes during composition', async () => {
    await openStory();
    await composeSyllable(['ㅎ', '하', '한']);
    // The IME claims the Enter (keyCode 229) and commits; then the Enter itself arrives.
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'rawKeyDown',
      key: 'Enter',
      code: 'Enter',
      windowsVirtualKeyCode: 229,
    });
    await commit('한');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText('다음');
    assert.deepEqual(await blocks(), [
      ['paragraph', '한'],
      ['paragraph', '다음'],
    ]);
  });

  it('keeps 한 once when Enter is pressed while the syllable is still composing', async () => {
    await openStory();
    await composeSyllable(['ㅎ', '하', '한']);
    await page.keyboard.press('Enter');
    await commit('한');
    const text = (await blocks()).map(([, t]) => t).join('');
    assert.equal(text, '한', JSON.stringify(await blocks()));
  });

  it('gives 국1 when a digit is typed during composition', async () => {
    await openStory();
    await composeSyllable(['ㄱ', '구', '국']);
    // A Korean IME commits the syllable, then the digit is typed as itself.
    await commit('국');
    await page.keyboard.type('1');
    assert.deepEqual(await blocks(), [['paragraph', '국1']]);
  });

  it('keeps a quote a quote when a syllable is composed in it while empty', async () => {
    await openStory();
    await page.keyboard.type('> ');
    assert.deepEqual(await blocks(), [['blockquote', '']]);
    await composeSyllable(['ㅎ', '하', '한']);
    await commit('한');
    assert.deepEqual(await blocks(), [['blockquote', '한']]);
  });

  it('keeps the syllable once when a click elsewhere ends the composition', async () => {
    await openStory();
    await page.keyboard.insertText('오늘 ');
    await composeSyllable(['ㄴ', '나', '날']);
    await page.locator('#headline').click();
    await page.locator('#headline').waitFor();
    const text = (await blocks()).map(([, t]) => t).join('');
    assert.equal(text, '오늘 날');
  });

  it('takes a Hangul headline typed through composition, and saves it with the body', async () => {
    await openStory();
    await page.keyboard.insertText('본문');
    await page.locator('#headline').focus();
    await composeSyllable(['ㅎ', '하', '한']);
    await commit('한');
    await composeSyllable(['ㄱ', '구', '국']);
    await commit('국');
    assert.equal(await page.locator('#headline').inputValue(), '한국');
    await waitFor(
      () => fake.autosaves.some((form) => form.get('headline') === '한국'),
      'a save with the headline',
    );
    const sent = fake.autosaves.find((form) => form.get('headline') === '한국');
    assert.ok(sent);
    assert.equal(sent.get('_csrf'), 'TOKEN');
    assert.match(sent.get('base') ?? '', /^\d+$/);
    const body = JSON.parse(sent.get('body') ?? '') as JsonNode;
    assert.equal(body.content?.[0]?.content?.[0]?.text, '본문');
  });

  it('sends nothing while a syllable is composing, then saves it whole', async () => {
    await openStory();
    const before = fake.autosaves.length;
    await composeSyllable(['ㅎ', '하']);
    await page.waitForTimeout(2_600);
    assert.equal(fake.autosaves.length, before, 'no save of a half-built syllable');
    await compose('한');
    await commit('한');
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('input[name="base"]')?.value === '8',
    );
    const sent = fake.autosaves.at(-1);
    assert.ok(sent);
    assert.equal(
      (JSON.parse(sent.get('body') ?? '') as JsonNode).content?.[0]?.content?.[0]?.text,
      '한',
    );
    assert.equal(await page.locator('[data-editor-status]').textContent(), `${localTime()} 저장됨`);
  });

  it('stops saving on a conflict, links to the differences, and keeps the text', async () => {
    fake.autosaveReply = () => ({
      status: 409,
      body: {
        error: { code: 'STORY_CONFLICT', message: CONFLICT_MESSAGE },
        conflict: { kept: 9, head: 8, diff: `${STORY}/revisions/8..9` },
      },
    });
    await openStory();
    await page.keyboard.insertText('충돌할 글');
    const status = page.locator('[data-editor-status]');
    await status.locator('a').waitFor();
    assert.equal(await status.locator('a').getAttribute('href'), `${STORY}/revisions/8..9`);
    assert.equal(await status.textContent(), `${CONFLICT_MESSAGE} 두 판 비교`);
    const count = fake.autosaves.length;
    await page.keyboard.insertText(' 계속');
    await page.waitForTimeout(2_600);
    assert.equal(fake.autosaves.length, count, 'no save after a conflict');
    assert.deepEqual(await blocks(), [['paragraph', '충돌할 글 계속']]);
  });

  it('keeps the text and tries again after a failed save', async () => {
    fake.autosaveReply = (count) =>
      count === 1
        ? { status: 503, body: { error: { code: 'UNAVAILABLE', message: '잠시 후 다시' } } }
        : { status: 200, body: { revision: 20, savedAt: '2026-12-07T05:03:00.000Z' } };
    await openStory();
    const before = fake.autosaves.length;
    await page.keyboard.insertText('다시 저장');
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('input[name="base"]')?.value === '20',
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(fake.autosaves.length - before, 2);
    // Chromium's report of the 503, expected here only.
    const reported = errors.splice(0);
    assert.equal(reported.length, 1, reported.join('\n'));
    assert.match(reported[0] ?? '', /503/);
    assert.equal(
      (JSON.parse(fake.autosaves.at(-1)?.get('body') ?? '') as JsonNode).content?.[0]?.content?.[0]
        ?.text,
      '다시 저장',
    );
  });

  it('is read-only while someone else holds the story, and editable once it is ours', async () => {
    fake.presenceReply = {
      status: 200,
      body: {
        holder: { name: '김민지', since: '2026-12-07T05:02:00Z', you: false },
        message: PRESENCE_MESSAGE,
      },
    };
    await openStory();
    const presence = page.locator('[data-presence-status]');
    await page.waitForFunction(
      (message) => document.querySelector('[data-presence-status]')?.textContent === message,
      PRESENCE_MESSAGE,
    );
    assert.equal(await presence.textContent(), PRESENCE_MESSAGE);
    assert.equal(await editor().getAttribute('contenteditable'), 'false');
    assert.equal(await page.locator('#headline').isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: '저장' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: '가져오기' }).isDisabled(), false);
    assert.equal(await page.locator('input[name="_csrf"]').isDisabled(), false);
    // The next beat (every 20 s) says the story is ours again.
    fake.presenceReply = {
      status: 200,
      body: { holder: { name: '나', since: '2026-12-07T05:04:00Z', you: true }, message: '' },
    };
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-editor-mount] [contenteditable]')
          ?.getAttribute('contenteditable') === 'true',
      undefined,
      { timeout: 30_000 },
    );
    assert.equal(await page.locator('#headline').isDisabled(), false);
    assert.equal(await page.getByRole('button', { name: '저장' }).isDisabled(), false);
  });

  it('becomes read-only and says so when the story was taken over', async () => {
    fake.autosaveReply = () => ({
      status: 423,
      body: { error: { code: 'STORY_TAKEN_OVER', message: '김민지 님이 기사를 가져갔습니다' } },
    });
    await openStory();
    await page.keyboard.insertText('내 글');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-editor-status]')?.textContent ===
        '김민지 님이 기사를 가져갔습니다',
    );
    assert.equal(await editor().getAttribute('contenteditable'), 'false');
    assert.equal(await page.locator('#headline').isDisabled(), true);
    assert.deepEqual(await blocks(), [['paragraph', '내 글']]);
  });

  it('makes a heading, a list and bold text with the keyboard alone', async () => {
    await openStory();
    await page.keyboard.type('## ');
    await page.keyboard.insertText('제목');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- ');
    await page.keyboard.insertText('하나');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText('둘');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+b');
    await page.keyboard.insertText('굵게');
    assert.equal(
      await page.getByRole('button', { name: '굵게' }).getAttribute('aria-pressed'),
      'true',
    );
    const doc = await posted();
    assert.deepEqual(
      doc.content?.map((node) => node.type),
      ['heading', 'bullet_list', 'paragraph'],
    );
    assert.deepEqual(doc.content[2]?.content?.[0], {
      type: 'text',
      marks: [{ type: 'strong' }],
      text: '굵게',
    });
    // Tab leaves the editor for the buttons after it, never trapped.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'BUTTON');
  });

  it('asks for a link with Mod-k and refuses an address that is not http, https or mailto', async () => {
    await openStory();
    await page.keyboard.insertText('기사 링크');
    await page.keyboard.press('Shift+Home');
    const answers = [' JaVaScript:alert(1)', 'https://example.com/기사'];
    const answer = (dialog: import('playwright-core').Dialog) =>
      void dialog.accept(answers.shift() ?? '');
    page.on('dialog', answer);
    try {
      await page.keyboard.press('Control+k');
      assert.equal(await page.locator('[data-editor-status]').textContent(), LABELS.linkRefused);
      assert.doesNotMatch(await page.locator('[data-editor-source]').inputValue(), /link/);
      await page.keyboard.press('Control+k');
    } finally {
      page.off('dialog', answer);
    }
    const doc = await posted();
    assert.deepEqual(doc.content?.[0]?.content?.[0], {
      type: 'text',
      marks: [{ type: 'link', attrs: { href: 'https://example.com/기사' } }],
      text: '기사 링크',
    });
    assert.equal(
      await page.getByRole('button', { name: '링크' }).getAttribute('aria-pressed'),
      'true',
    );
  });

  it('still formats and saves after Korean typed through an IME, whose keys are all 229', async () => {
    await openStory();
    // Chromium with a Korean IME: every key down is keyCode 229, composition or not.
    await cdp.send('Input.dispatchKeyEvent', {
      type: 'rawKeyDown',
      key: 'Process',
      code: 'KeyG',
      windowsVirtualKeyCode: 229,
    });
    await composeSyllable(['ㅎ', '하', '한']);
    await commit('한');
    await page.getByRole('button', { name: '굵게' }).click();
    assert.equal(
      await page.getByRole('button', { name: '굵게' }).getAttribute('aria-pressed'),
      'true',
    );
    await page.keyboard.insertText('국');
    await waitFor(
      () => fake.autosaves.some((form) => form.get('body')?.includes('"strong"') === true),
      'a save of the bold syllable',
    );
    const doc = await posted();
    assert.deepEqual(doc.content?.[0]?.content, [
      { type: 'text', text: '한' },
      { type: 'text', marks: [{ type: 'strong' }], text: '국' },
    ]);
  });

  it('submits the form with the document on screen, after a save under way is answered', async () => {
    fake.autosaveDelayMs = 1_000;
    await openStory();
    await page.keyboard.insertText('제출할 글');
    // A save goes out; the submit right behind it must carry the base that save answers with.
    await waitFor(() => fake.autosaves.length === 1, 'the autosave');
    const navigated = page.waitForURL(`${baseUrl}${SAVE}`);
    await page.getByRole('button', { name: '저장' }).click();
    await navigated;
    const sent = fake.saves.at(-1);
    assert.ok(sent);
    assert.equal(sent.get('base'), '8');
    assert.equal(sent.get('_csrf'), 'TOKEN');
    const body = JSON.parse(sent.get('body') ?? '') as JsonNode;
    assert.equal(body.content?.[0]?.content?.[0]?.text, '제출할 글');
  });

  it('keeps only allowed structure from pasted HTML', async () => {
    await openStory();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData(
        'text/html',
        '<h1 style="color:red">제목</h1><script>window.pwned=1</script>' +
          '<p onclick="x()">글 <img src=x onerror="window.pwned=1"><a href="javascript:alert(1)">나쁜</a> ' +
          '<a href="https://example.com/">좋은</a><table><tr><td>칸</td></tr></table></p>',
      );
      data.setData('text/plain', '제목');
      const target = document.querySelector('[data-editor-mount] [contenteditable]');
      target?.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    const json = await page.locator('[data-editor-source]').inputValue();
    assert.doesNotMatch(json, /script|onerror|onclick|style|img|javascript|pwned/i);
    assert.match(json, /"href":"https:\/\/example.com\/"/);
    assert.equal(await page.evaluate(() => 'pwned' in window), false);
    const html = await editor().innerHTML();
    assert.doesNotMatch(html, /<(?:script|img|table|h1)\b|onerror|onclick|style=/i);
    // ProseMirror reads the paste in a detached document under the page's CSP, which blocks and
    // reports the style and the two handlers: reports of blocked actions, and nothing else.
    const reported = errors.splice(0);
    assert.equal(reported.length, 3, reported.join('\n'));
    assert.ok(reported.every((line) => line.includes('The action has been blocked')));
  });

  it('leaves no console errors or CSP violations', () => {
    assert.deepEqual(errors, []);
  });
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 500; tries += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting until ${what}`);
}

/** 05:03 UTC in the browser's zone, which is this process's. */
function localTime(): string {
  const date = new Date('2026-12-07T05:03:00.000Z');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
