import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OAuth2Server } from 'oauth2-mock-server';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { visibleLength } from '../../src/comments/comment-text.js';
import {
  addStaff,
  assertAccessible,
  frontPageArticle,
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
 * The issue's proof, as a reader lives it in Chromium against the real server (`byline serve`,
 * PGlite): read an article, log in through an OpenID Connect provider on loopback, watch
 * `(0/250 characters)` count a Korean sentence built by an IME, post, see a second reader's browser
 * receive it live, agree and reply, report it citing a clause; a moderator hides it citing a
 * clause; the author reads the decision on "My comments". Then the same comment journey with the
 * keyboard alone, focus visible at every stop. Every page passes axe (WCAG 2.2 AA) and logs no
 * console or CSP error.
 */

const SENTENCE = '기사 잘 읽었습니다. 다음 기사도 기대할게요!';
const REPLY = '저도 같은 생각이에요 🙂';
const REPORT_NOTE = '기자 개인을 향한 모욕으로 보입니다.';
const HIDE_NOTE = '조항 2에 따라 숨깁니다.';
const KEYBOARD_COMMENT = '키보드만으로 쓴 댓글입니다.';
const KEYBOARD_REPLY = '탭과 엔터로 단 답글';
const KEYBOARD_REPORT = '키보드로 보낸 신고';
const CLAUSE = { number: 2, title: 'No abuse' };
/** Hangul leading consonants as a Korean IME shows them alone, in Unicode order. */
const LEADING_JAMO = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
/** More Tab presses than any page here has stops: a loop that needs more is lost. */
const MAX_TABS = 250;

const skip = skipWithoutChromium;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * What an IME shows while building a syllable: the leading consonant, then consonant and vowel,
 * then the whole syllable when it has a final consonant. Anything but a Hangul syllable is
 * committed as typed.
 */
function compositionSteps(char: string): string[] {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0xac00 || code > 0xd7a3) return [];
  const index = code - 0xac00;
  const leading = LEADING_JAMO[Math.floor(index / (21 * 28))] ?? '';
  const open = String.fromCodePoint(code - (index % 28));
  return index % 28 === 0 ? [leading, open] : [leading, open, char];
}

const counterText = (page: Page, id = 'comment-counter-main') =>
  page.locator(`#${id}`).evaluate((el) => el.textContent.replace(/^\D*\(/, '('));

/**
 * Types `text` into the focused box as a Korean IME does (Input.imeSetComposition at each
 * keystroke, Input.insertText to commit), checking at each step that the counter counts the
 * syllable being built once. Returns the counter's readings.
 */
async function composeKorean(page: Page, cdp: CDPSession, text: string): Promise<string[]> {
  const seen: string[] = [];
  let committed = await page.locator('#comment-body-main').inputValue();
  for (const char of text) {
    for (const step of compositionSteps(char)) {
      await cdp.send('Input.imeSetComposition', {
        text: step,
        selectionStart: step.length,
        selectionEnd: step.length,
      });
      const shown = await counterText(page);
      seen.push(shown);
      assert.equal(shown, `(${visibleLength(committed) + 1}/250 characters)`, `composing ${step}`);
    }
    await cdp.send('Input.insertText', { text: char });
    committed += char;
    const shown = await counterText(page);
    seen.push(shown);
    assert.equal(shown, `(${visibleLength(committed)}/250 characters)`, `after ${char}`);
  }
  return seen;
}

/**
 * Whether the focused element shows that it has focus: it matches :focus-visible and draws an
 * outline or a shadow, or looks different from an unfocused copy of itself beside it.
 */
async function focusStyle(page: Page): Promise<{ what: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body)
      return { what: 'the page itself', visible: false };
    const what = `${el.tagName.toLowerCase()}#${el.id}.${el.className} "${(el.textContent || '').trim().slice(0, 30)}"`;
    if (!el.matches(':focus-visible')) return { what, visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    if (outline || style.boxShadow !== 'none') return { what, visible: true };
    const twin = el.cloneNode(false) as HTMLElement;
    twin.removeAttribute('id');
    twin.hidden = true;
    el.after(twin);
    const plain = getComputedStyle(twin);
    const differs = plain.backgroundColor !== style.backgroundColor || plain.color !== style.color;
    twin.remove();
    return { what, visible: differs };
  });
}

async function assertFocusVisible(page: Page, step: string): Promise<void> {
  const { what, visible } = await focusStyle(page);
  assert.ok(visible, `${step}: the focus on ${what} is visible`);
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector`, checking at every stop
 * that the focus is visible. Only the keyboard moves; nothing is clicked.
 */
async function tabTo(page: Page, selector: string, backward = false): Promise<void> {
  for (let presses = 0; presses < MAX_TABS; presses += 1) {
    await page.keyboard.press(backward ? 'Shift+Tab' : 'Tab');
    await assertFocusVisible(page, `Tab stop ${presses + 1} on the way to ${selector}`);
    const there = await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    if (there) return;
  }
  assert.fail(`${MAX_TABS} presses of Tab never reached ${selector}`);
}

describe(
  'a reader’s journey, from reading to a moderator’s decision, in Chromium',
  { skip },
  () => {
    let dataDir: string;
    let server: RunningServer | undefined;
    let browser: Browser | undefined;
    let article = '';
    let moderator: Staff = { email: '', setupPath: '' };
    const people: Person[] = [];
    // An OpenID Connect provider on loopback, configured as the generic one; each login may name
    // another subject.
    const idp = new OAuth2Server();
    const oidcUser = { sub: 'oidc-reader-1', name: '한빛 독자' };
    const url = (p: string) => `${server?.url ?? ''}${p}`;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-reader-journey-'));
      // Kept as soon as it starts, so that `after` closes it even if the server failed to.
      const launching = launchChromium().then((launched) => (browser = launched));
      // The embedded database admits one process at a time: staff are added before serving.
      moderator = await addStaff(dataDir, 'journey.mod@example.com', 'moderator', '정심의');
      await idp.issuer.keys.generate('RS256');
      await idp.start(0, '127.0.0.1');
      idp.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
        token.payload.sub = oidcUser.sub;
        token.payload.name = oidcUser.name;
      });
      // The callback address is built on the public URL, so the server needs a known port.
      const port = await freePort();
      server = await startServer({
        BYLINE_DATA_DIR: dataDir,
        BYLINE_PORT: String(port),
        BYLINE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        BYLINE_OIDC_ISSUER: idp.issuer.url ?? '',
        BYLINE_OIDC_CLIENT_ID: 'byline-test',
        BYLINE_OIDC_CLIENT_SECRET: 'test-secret',
        BYLINE_OIDC_LABEL: 'Test ID',
        // A reader here comments and replies within seconds; the gap rule has its own tests.
        BYLINE_COMMENT_MIN_GAP_SECONDS: '0',
      });
      article = await frontPageArticle(server.url);
      await launching;
    });

    // The browser first: its EventSource and keep-alive connections would hold the server open.
    after(async () => {
      await browser?.close();
      await server?.stop();
      await idp.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function person(): Promise<Person> {
      assert.ok(browser, 'Chromium started');
      const opened = await newPerson(browser);
      people.push(opened);
      return opened;
    }

    async function go(page: Page, where: string): Promise<void> {
      const response = await page.goto(url(where), { waitUntil: 'load' });
      assert.equal(response?.status(), 200, where);
    }

    /** A reader logged in with an e-mailed code from the article's comment area, and back there. */
    async function readerByEmail(email: string, name: string): Promise<Person> {
      const reader = await person();
      await go(reader.page, article);
      const comments = reader.page.getByRole('region', { name: 'Comments' });
      await comments.getByRole('link', { name: 'Log in', exact: true }).click();
      await reader.page.waitForURL((target) => target.pathname === '/login');
      await logInByEmailedCode(reader.page, path.join(dataDir, 'outbox'), email, name);
      await reader.page.waitForURL(url(`${article}#comments`));
      return reader;
    }

    /** Posts a comment with the mouse (the set-up of the keyboard journey, not the journey). */
    async function postWithMouse(page: Page, text: string): Promise<string> {
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

    function assertNoErrors(): void {
      for (const { errors } of people) assert.deepEqual(errors, [], 'no console or CSP errors');
    }

    it('reads, logs in through OpenID Connect, posts, is reported, hidden, and told why', async () => {
      // 1. An anonymous reader reads the article.
      const first = await person();
      await go(first.page, article);
      const headline = (await first.page.locator('h1').first().innerText()).trim();
      assert.ok(headline.length > 0, 'the article has a headline');
      assert.ok((await first.page.locator('main p').count()) > 2, 'the article has paragraphs');
      await assertAccessible(first.page, 'the article, read anonymously');

      // 2. Logs in through the OpenID Connect provider on loopback, and is back on the article.
      await first.page
        .getByRole('region', { name: 'Comments' })
        .getByRole('link', { name: 'Log in', exact: true })
        .click();
      await first.page.waitForURL((target) => target.pathname === '/login');
      await assertAccessible(first.page, 'the login page');
      await first.page.getByRole('button', { name: 'Continue with Test ID' }).click();
      await first.page.waitForURL((target) => target.pathname === article);
      const banner = first.page.getByRole('banner');
      await banner.getByRole('link', { name: oidcUser.name }).waitFor();
      await assertAccessible(first.page, 'the article, logged in');

      // A second reader, logged in with an e-mailed code, keeps the article open all along.
      const second = await readerByEmail('second.reader@example.com', 'Second Reader');

      // 3. (0/250 characters) counts a Korean sentence as an IME builds it, syllable by syllable.
      const { page } = first;
      assert.equal(await counterText(page), '(0/250 characters)');
      await page.locator('#comment-body-main').focus();
      const cdp = await first.context.newCDPSession(page);
      const readings = await composeKorean(page, cdp, SENTENCE);
      assert.ok(readings.length > SENTENCE.length, 'the counter was read while composing');
      assert.equal(await page.locator('#comment-body-main').inputValue(), SENTENCE);
      assert.equal(await counterText(page), `(${visibleLength(SENTENCE)}/250 characters)`);

      // 4. Posts it.
      await page.getByLabel(/I have read the Standards Board Policy/).check();
      await page.getByRole('button', { name: 'Post comment' }).click();
      const mine = page.locator('.comment-list > li.comment').filter({ hasText: SENTENCE });
      await mine.waitFor();
      const id = (await mine.getAttribute('data-comment-id')) ?? '';
      assert.match(id, /^\d+$/);
      assert.equal(await counterText(page), '(0/250 characters)');

      // 5. The second browser receives it without reloading, agrees with it and replies.
      const received = second.page.locator(`#comment-${id}`);
      await received.waitFor({ timeout: 20_000 });
      assert.match(await received.innerText(), new RegExp(oidcUser.name));
      await received.getByRole('button', { name: /^Agree/ }).click();
      await received.locator('[data-up-count]').filter({ hasText: '1' }).waitFor();
      assert.equal(
        await received.getByRole('button', { name: /^Agree/ }).getAttribute('aria-pressed'),
        'true',
      );
      await received.locator('details.comment-reply > summary').click();
      const replyForm = received.locator('form[data-comment-form]');
      await replyForm.getByLabel('Your reply').fill(REPLY);
      await replyForm.getByLabel(/I have read the Standards Board Policy/).check();
      await replyForm.getByRole('button', { name: 'Post reply' }).click();
      await received.locator(`[data-replies-for="${id}"] .comment`).first().waitFor();
      // The reply reaches the first browser live too.
      const replied = page.locator(`[data-replies-for="${id}"] .comment`).first();
      await replied.waitFor({ timeout: 20_000 });
      assert.match(await replied.innerText(), /같은 생각/);
      await assertAccessible(page, 'the article after a comment, a reply and a vote');
      await assertAccessible(second.page, 'the article, received live');

      // 6. The second reader reports the comment, citing clause 2.
      await received.getByRole('link', { name: 'Report', exact: true }).click();
      await second.page.waitForURL((target) => target.pathname === `/comments/${id}/report`);
      await assertAccessible(second.page, 'the report page');
      await second.page.getByLabel(`${CLAUSE.number}. ${CLAUSE.title}`).check();
      await second.page.getByLabel(/Note for the standards board/).fill(REPORT_NOTE);
      await second.page.getByRole('button', { name: 'Send report' }).click();
      await second.page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
      await assertAccessible(second.page, 'the report page, sent');

      // 7. A moderator signs in, finds it in the Reported queue and hides it, citing clause 2.
      const mod = await person();
      await setUpAndSignInStaff(mod.page, url(''), moderator, '/moderation/queue/reported');
      const desk = mod.page;
      assert.equal(new URL(desk.url()).pathname, '/moderation/queue/reported');
      await assertAccessible(desk, 'the Reported queue');
      const listed = desk.locator('.desk-item').filter({ hasText: SENTENCE });
      assert.match(await listed.innerText(), /1 open report: clause 2 ×1/);
      await listed.getByRole('link', { name: `The comment #${id}` }).click();
      await desk.waitForURL((target) => target.pathname === `/moderation/comments/${id}`);
      assert.match(
        await desk.getByRole('region', { name: 'Reports' }).innerText(),
        /Second Reader/,
      );
      await assertAccessible(desk, 'the comment case page');
      await desk.getByRole('button', { name: 'Review this one' }).click();
      await desk.getByText(/You are reviewing this until/).waitFor();
      const decide = desk.getByRole('region', { name: 'Decision' });
      await decide.getByLabel('Hide', { exact: true }).check();
      await decide.getByLabel(`${CLAUSE.number}. ${CLAUSE.title}`).check();
      await decide.getByLabel(/Note to the reader/).fill(HIDE_NOTE);
      await decide.getByRole('button', { name: 'Record decision' }).click();
      await desk.getByRole('status').filter({ hasText: 'Decision recorded.' }).waitFor();
      await assertAccessible(desk, 'the comment case page, decided');

      // 8. The author reads the decision, its clause and the note on "My comments".
      await go(page, '/account/comments');
      const decided = await page.locator(`#comment-${id}`).innerText();
      assert.match(decided, /Hidden by the standards board, citing clause 2 \(No abuse\)/);
      assert.match(decided, new RegExp(`Note from the board: ${HIDE_NOTE}`));
      await assertAccessible(page, 'My comments, with the decision');

      assertNoErrors();
      for (const p of people.splice(0)) await p.context.close();
    });

    it('completes the comment journey with the keyboard alone, focus visible at every stop', async () => {
      // Set-up, with the mouse: another reader's comment to answer, and a reader logged in.
      const other = await readerByEmail('other.reader@example.com', '다른 독자');
      const theirs = await postWithMouse(other.page, '키보드 사용자에게 답을 기다리는 댓글');
      const reader = await readerByEmail('keyboard.reader@example.com', '키보드 독자');
      const { page } = reader;
      const articleId =
        /\/articles\/(\d+)\//.exec(
          (await page.locator('[data-live-url]').getAttribute('data-live-url')) ?? '',
        )?.[1] ?? assert.fail('the comment section names its article');
      const upCount = page.locator(`#comment-${theirs} > .comment-actions [data-up-count]`);

      // From here on only page.keyboard: from the top of the article to the comment box.
      await go(page, article);
      await tabTo(page, '#comment-body-main');
      await page.keyboard.type(KEYBOARD_COMMENT);
      assert.equal(await counterText(page), `(${visibleLength(KEYBOARD_COMMENT)}/250 characters)`);
      await tabTo(page, '#accept-policy-main');
      await page.keyboard.press('Space');
      assert.equal(await page.locator('#accept-policy-main').isChecked(), true);
      await tabTo(page, '.comment-form[data-comment-form] button[type="submit"]');
      await page.keyboard.press('Enter');
      const mine = page.locator('.comment-list > li.comment').filter({ hasText: KEYBOARD_COMMENT });
      await mine.waitFor();
      await assertFocusVisible(page, 'the posted comment');

      // Reply to the other reader's comment: Tab to its Reply, Enter opens it, Ctrl+Enter sends.
      await tabTo(page, `#comment-${theirs} details.comment-reply > summary`);
      await page.keyboard.press('Enter');
      await tabTo(page, `#comment-body-reply-${theirs}`);
      await page.keyboard.type(KEYBOARD_REPLY);
      // The form was drawn before this reader accepted the policy, so it still asks: Space ticks
      // it, and Shift+Tab goes back to the box for Ctrl+Enter.
      const accept = `#accept-policy-reply-${theirs}`;
      if ((await page.locator(accept).count()) > 0) {
        await tabTo(page, accept);
        await page.keyboard.press('Space');
        await tabTo(page, `#comment-body-reply-${theirs}`, true);
      }
      await page.keyboard.press('Control+Enter');
      await page
        .locator(`[data-replies-for="${theirs}"] .comment`)
        .filter({ hasText: KEYBOARD_REPLY })
        .waitFor();

      // Agree with Space: the vote form comes before the reply, so back with Shift+Tab.
      assert.equal(await upCount.innerText(), '0');
      await tabTo(page, `#comment-${theirs} [data-vote-form] button[value="up"]`, true);
      await page.keyboard.press('Space');
      await upCount.filter({ hasText: '1' }).waitFor();

      // Report it: Tab to Report, Enter, a clause chosen with the arrow keys, Enter to send.
      await tabTo(page, `#comment-${theirs} a[href$="/comments/${theirs}/report"]`);
      await page.keyboard.press('Enter');
      await page.waitForURL((target) => target.pathname === `/comments/${theirs}/report`);
      await assertAccessible(page, 'the report page, reached by keyboard');
      await tabTo(page, 'input[type="radio"][name="clause"]');
      while (!(await page.locator(`#clause-${CLAUSE.number}`).isChecked()))
        await page.keyboard.press('ArrowDown');
      await assertFocusVisible(page, `clause ${CLAUSE.number}`);
      await tabTo(page, '#report-note');
      await page.keyboard.type(KEYBOARD_REPORT);
      await tabTo(page, 'main form button[type="submit"]');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();

      // Stored: the comment, the reply and the vote, as the thread's JSON gives them.
      const stored = await page.request.get(url(`/articles/${articleId}/comments`), {
        headers: { accept: 'application/json' },
      });
      assert.equal(stored.status(), 200);
      const thread = JSON.stringify(await stored.json());
      for (const text of [KEYBOARD_COMMENT, KEYBOARD_REPLY])
        assert.ok(thread.includes(text), `${text} is stored`);
      await go(other.page, `/comments/${theirs}`);
      assert.match(await other.page.locator(`#comment-${theirs}`).innerText(), /Agree\s*1 ·/);
      // The board has the report: the same report again is refused as one it already holds.
      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const again = await page.request.post(url(`/comments/${theirs}/report`), {
        headers: { accept: 'application/json', origin: url('') },
        form: { _csrf: csrf, clause: String(CLAUSE.number), note: KEYBOARD_REPORT },
      });
      assert.equal(again.status(), 409, await again.text());
      assert.match(await again.text(), /COMMENT_ALREADY_REPORTED/);

      assertNoErrors();
      for (const p of people.splice(0)) await p.context.close();
    });
  },
);
