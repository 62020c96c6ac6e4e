import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { zonedParts } from '../../src/lib/zoned-time.js';
import {
  addStaff,
  launchChromium,
  newPerson,
  setUpAndSignInStaff,
  skipWithoutChromium,
  type Person,
  type Staff,
} from './chromium.js';
import { startServer, type RunningServer } from './cli-process.js';

/**
 * The newsroom as a new reporter and editor meet it, in Chromium against the real server
 * (`byline serve`, PGlite, its scheduler running): the admin made with `byline user add` invites
 * a reporter and an editor from the staff page and hands each the set-up link it shows; the
 * reporter writes a story in the Korean edition, the headline and body typed through an IME's
 * composition, and submits it; the editor sends it back with a note; the reporter reads the
 * note, changes the body (autosaved) and submits again; the editor schedules it for a minute
 * ahead; it appears on the Korean home page at that minute; a correction added later shows on the
 * article and in its JSON-LD. No page logs a console error or a CSP violation.
 */

/** Asia/Seoul is the configured default; the journey states it so its arithmetic cannot drift. */
const TIME_ZONE = 'Asia/Seoul';
const HEADLINE = '서울 지하철 요금 내년 인상';
const BODY = '시는 요금을 올린다고 밝혔다';
const BODY_ADDED = ' 인상 폭은 백오십 원이다';
const SEND_BACK_NOTE = '인상 폭을 본문에 밝혀 주세요.';
const CORRECTION = '처음 기사는 인상 시기를 잘못 적었습니다. 내년 1월이 맞습니다.';
/** Long enough for a minute boundary, the scheduler's wake and a slow machine; never a target. */
const GO_LIVE_BOUND_MS = 150_000;

/** The steps a Korean IME shows for one syllable: the initial, the open syllable, the whole. */
function compositionSteps(syllable: string): string[] {
  const code = syllable.charCodeAt(0) - 0xac00;
  if (syllable.length !== 1 || code < 0 || code > 11171) return [];
  const initials = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
  const initial = Math.floor(code / 588);
  const open = String.fromCharCode(0xac00 + Math.floor(code / 28) * 28);
  const steps = [initials[initial] ?? '', open];
  if (open !== syllable) steps.push(syllable);
  return steps;
}

/** Types `text` into the focused field as an IME does: each syllable composed, then committed. */
async function typeThroughComposition(cdp: CDPSession, text: string): Promise<void> {
  for (const char of text) {
    for (const step of compositionSteps(char)) {
      await cdp.send('Input.imeSetComposition', {
        text: step,
        selectionStart: step.length,
        selectionEnd: step.length,
      });
    }
    await cdp.send('Input.insertText', { text: char });
  }
}

/** The next whole minute at least ten seconds ahead. */
function nextMinute(now: Date): Date {
  return new Date(Math.ceil((now.getTime() + 10_000) / 60_000) * 60_000);
}

describe(
  'a new reporter and editor write, review, schedule, publish and correct a story',
  { skip: skipWithoutChromium },
  () => {
    let dataDir: string;
    let server: RunningServer | undefined;
    let browser: Browser | undefined;
    let admin: Staff = { email: '', setupPath: '' };
    const url = (p: string) => `${server?.url ?? ''}${p}`;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-newsroom-journey-'));
      // The embedded database admits one process at a time: the first admin is added first.
      admin = await addStaff(dataDir, 'chief@example.com', 'admin', '최편집국장');
      server = await startServer({ BYLINE_DATA_DIR: dataDir, BYLINE_TIME_ZONE: TIME_ZONE });
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function go(page: Page, where: string): Promise<void> {
      const response = await page.goto(url(where), { waitUntil: 'load' });
      assert.equal(response?.status(), 200, where);
    }

    /** Invites a colleague from the staff page and returns the set-up link the page shows. */
    async function invite(page: Page, email: string, name: string, role: string): Promise<Staff> {
      await go(page, '/newsroom/staff');
      const form = page.getByRole('region', { name: 'Invite a colleague' });
      await form.getByLabel('E-mail address').fill(email);
      await form.getByLabel('Name', { exact: true }).fill(name);
      await form.getByLabel('Role', { exact: true }).selectOption(role);
      await form.getByRole('button', { name: 'Send the invitation' }).click();
      const link = await page.locator('code.setup-link').innerText();
      assert.match(link, /\/staff\/setup\/[A-Za-z0-9_-]{43}$/);
      return { email, setupPath: new URL(link).pathname };
    }

    async function staffMember(account: Staff, returnTo: string): Promise<Person> {
      assert.ok(browser);
      const person = await newPerson(browser);
      await setUpAndSignInStaff(person.page, url(''), account, returnTo);
      return person;
    }

    it('takes a Korean story from a new reporter to the home page at its minute', async () => {
      assert.ok(browser);
      // 1. The admin signs in and invites a reporter and an editor.
      const chief = await staffMember(admin, '/newsroom/staff');
      assert.equal(new URL(chief.page.url()).pathname, '/newsroom/staff');
      const reporterAccount = await invite(chief.page, 'minji@example.com', '김민지', 'reporter');
      const editorAccount = await invite(chief.page, 'desk@example.com', '박편집', 'editor');
      const reporter = await staffMember(reporterAccount, '/newsroom');
      const editor = await staffMember(editorAccount, '/newsroom');

      // 2. The reporter writes in the Korean edition, the headline and body through composition.
      const desk = reporter.page;
      const cdp = await reporter.context.newCDPSession(desk);
      await go(desk, '/ko/newsroom/stories/new');
      await desk.getByLabel('제목', { exact: true }).focus();
      await typeThroughComposition(cdp, HEADLINE);
      const body = desk.locator('[data-editor-mount] [contenteditable]');
      await body.focus();
      await typeThroughComposition(cdp, BODY);
      assert.equal(await desk.getByLabel('제목', { exact: true }).inputValue(), HEADLINE);
      assert.equal(await body.innerText(), BODY);
      await desk.getByLabel('이름 1').fill('김민지');
      const section = desk.getByRole('combobox', { name: '섹션', exact: true });
      const sections = await section
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      assert.ok(sections.length > 1, 'sections to choose from');
      await section.selectOption(sections[1] ?? '');
      await desk.getByRole('button', { name: '기사 만들기' }).click();
      await desk.waitForURL((target) => /^\/ko\/newsroom\/stories\/\d+$/.test(target.pathname));
      const storyPath = new URL(desk.url()).pathname;
      assert.equal(await desk.locator('h1').innerText(), HEADLINE);
      await desk.getByRole('button', { name: '검토 요청', exact: true }).click();
      await desk.waitForURL((target) => target.pathname === storyPath);
      assert.match(await desk.locator('.story-status').innerText(), /검토/);

      // 3. The editor finds it under "needs my review" and sends it back with a note.
      const review = editor.page;
      await go(review, '/ko/newsroom?review=1');
      await review.getByRole('link', { name: HEADLINE }).click();
      await review.waitForURL((target) => target.pathname === storyPath);
      await review.getByLabel('작성자에게 남길 메모(필수)').fill(SEND_BACK_NOTE);
      await review.getByRole('button', { name: '작성자에게 돌려보내기' }).click();
      await review.waitForURL((target) => target.pathname === storyPath);

      // 4. The reporter reads the note, adds to the body (autosaved), and submits again.
      await go(desk, storyPath);
      const notes = await desk.locator('.story-notes').innerText();
      assert.match(notes, new RegExp(`돌려보냄: ${SEND_BACK_NOTE}`));
      await body.click();
      await desk.keyboard.press('End');
      const autosaved = desk.waitForResponse(
        (res) => res.url().endsWith(`${storyPath}/autosave`) && res.status() === 200,
      );
      await typeThroughComposition(cdp, BODY_ADDED);
      await autosaved;
      await desk.locator('[data-editor-status]').filter({ hasText: '저장됨' }).waitFor();
      await desk.getByRole('button', { name: '검토 요청', exact: true }).click();
      await desk.waitForURL((target) => target.pathname === storyPath);
      assert.equal(await body.innerText(), `${BODY}${BODY_ADDED}`);

      // 5. The editor schedules it for the next whole minute, in the newsroom's time zone.
      await go(review, storyPath);
      const due = nextMinute(new Date());
      const when = zonedParts(due, TIME_ZONE);
      await review.getByLabel('날짜', { exact: true }).first().fill(when.date);
      await review.getByLabel('시각', { exact: true }).first().fill(when.time);
      await review.getByRole('button', { name: '예약', exact: true }).click();
      await review.waitForURL((target) => target.pathname === storyPath);
      assert.match(await review.locator('.story-panel').first().innerText(), /게재됩니다/);

      // 6. An anonymous reader finds it on the Korean home page once its minute has come.
      const deadline = Date.now() + GO_LIVE_BOUND_MS;
      let home = '';
      while (!home.includes(HEADLINE)) {
        assert.ok(Date.now() < deadline, 'the story went live on the Korean home page');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        home = await fetch(url('/ko')).then((res) => res.text());
      }
      assert.ok(Date.now() >= due.getTime(), 'not before its minute');
      const reader = await newPerson(browser);
      await go(reader.page, '/ko');
      await reader.page.getByRole('link', { name: HEADLINE }).first().click();
      await reader.page.waitForURL((target) => target.pathname.startsWith('/ko/'));
      const articlePath = new URL(reader.page.url()).pathname;
      assert.equal(await reader.page.locator('h1').innerText(), HEADLINE);
      const dates = reader.page.locator('.article-dates');
      assert.match(await dates.innerText(), new RegExp(`입력: .*${when.time}`));
      const publishedAt = await dates.locator('time').first().getAttribute('datetime');
      // Published in its minute: the runner wakes just after the minute begins, never before.
      const minute = Math.floor(new Date(publishedAt ?? '').getTime() / 60_000) * 60_000;
      assert.equal(minute, due.getTime(), `published at its minute: ${publishedAt ?? ''}`);
      assert.match(await reader.page.locator('.article').innerText(), /인상 폭은 백오십 원이다/);

      // 7. The editor adds a correction; it shows on the article and in its JSON-LD.
      await go(review, storyPath);
      await review.getByLabel('종류').selectOption('correction');
      await review.getByLabel('내용', { exact: true }).fill(CORRECTION);
      await review.getByRole('button', { name: '안내 게재' }).click();
      await review.waitForURL((target) => target.search === '?done=done');
      // A second reader: the first one's browser may keep the article for its Cache-Control.
      const later = await newPerson(browser);
      await go(later.page, articlePath);
      const box = later.page.locator('.article-corrections');
      assert.match(await box.innerText(), new RegExp(CORRECTION));
      const jsonLd = await later.page
        .locator('script[type="application/ld+json"]')
        .evaluateAll((scripts) => scripts.map((s) => s.textContent));
      const article = jsonLd
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((data) => 'correction' in data);
      assert.ok(article, `JSON-LD with a correction: ${jsonLd.join(' ')}`);
      assert.match(JSON.stringify(article.correction), new RegExp(CORRECTION));

      for (const person of [chief, reporter, editor, reader, later]) {
        assert.deepEqual(person.errors, [], 'no console or CSP errors');
        await person.context.close();
      }
    });
  },
);
