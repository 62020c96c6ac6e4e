import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
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
 * The standards board's desk as a new moderator meets it, in Chromium against the real server
 * (`byline serve`, PGlite): a reader's comment is reported citing a clause; a moderator signs in
 * with password and authenticator code, finds it in the Reported queue, reads it in its thread
 * with the reader's history and the report, and hides it citing clause 2 with a note in Korean;
 * the author reads the decision on "My comments" and appeals; the moderator who decided cannot
 * decide the appeal, a second one grants it; the comment is back on the article, and the
 * transparency report counts every step. Each page the journey passes is checked with axe-core,
 * and no page logs a console error or a CSP violation.
 */

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const COMMENT = '기자 양반, 이따위 기사를 쓰려면 펜을 내려놓으시죠. 부끄러운 줄 아세요.';
const REPORT_NOTE = '기자 개인을 향한 모욕입니다.';
const HIDE_NOTE = '기자 개인을 겨냥한 모욕이라 조항 2에 따라 숨깁니다.';
const APPEAL_REASON = '기사를 비판한 것이지 기자를 모욕한 것은 아닙니다. 다시 검토해 주세요.';
const GRANT_NOTE = '비판의 범위로 보아 다시 게시합니다.';
const CLAUSE = { number: 2, title: 'No abuse' };

const skip = skipWithoutChromium;

/** A person in a browser of their own, with everything the pages logged as errors. */
type Person = { context: BrowserContext; page: Page; errors: string[] };
/** One month's figures on the transparency report, by row name. */
type Figures = Record<string, number>;

async function assertAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const found = results.violations.map(
    (v) =>
      `${where} ${v.id} [${v.impact ?? '?'}] ${v.help}: ${v.nodes
        .map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`.replaceAll('\n', ' '))
        .join(' | ')}`,
  );
  assert.deepEqual(found, [], `axe found violations on ${where}`);
}

/** The figures of the newest month shown, or none before anything is logged. */
async function newestMonthFigures(page: Page): Promise<Figures> {
  const month = page.locator('.transparency-month').first();
  if ((await month.count()) === 0) return {};
  const rows = await month
    .locator('table')
    .first()
    .evaluate((table) =>
      [...table.querySelectorAll('tr')].map((tr): [string, string] => [
        tr.querySelector('th[scope="row"]')?.textContent.trim() ?? '',
        tr.querySelector('td')?.textContent.trim() ?? '',
      ]),
    );
  const figures: Figures = {};
  for (const [name, count] of rows) if (name) figures[name] = Number(count);
  return figures;
}

describe(
  'a new moderator hides a reported comment and a second grants the appeal',
  { skip },
  () => {
    let dataDir: string;
    let server: RunningServer | undefined;
    let browser: Browser | undefined;
    let article = '';
    const staff: Record<'first' | 'second' | 'admin', Staff> = {
      first: { email: '', setupPath: '' },
      second: { email: '', setupPath: '' },
      admin: { email: '', setupPath: '' },
    };
    const url = (p: string) => `${server?.url ?? ''}${p}`;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'byline-moderation-journey-'));
      // The embedded database admits one process at a time: staff are added before serving.
      staff.first = await addStaff(dataDir, 'first.mod@example.com', 'moderator', '김심의');
      staff.second = await addStaff(dataDir, 'second.mod@example.com', 'moderator', 'Second Mod');
      staff.admin = await addStaff(dataDir, 'chief@example.com', 'admin', 'Chief Admin');
      server = await startServer({ BYLINE_DATA_DIR: dataDir });
      article = await frontPageArticle(server.url);
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function newPerson(): Promise<Person> {
      assert.ok(browser);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      // Chromium reports a CSP violation as a console error, so this list covers both.
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
      });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      return { context, page, errors };
    }

    async function go(page: Page, where: string): Promise<void> {
      const response = await page.goto(url(where), { waitUntil: 'load' });
      assert.equal(response?.status(), 200, where);
    }

    /** A reader logged in with an e-mailed code, named, and back on the article. */
    async function reader(email: string, name: string): Promise<Person> {
      const person = await newPerson();
      const { page } = person;
      await go(page, article);
      const comments = page.getByRole('region', { name: 'Comments' });
      await comments.getByRole('link', { name: 'Log in', exact: true }).click();
      await page.waitForURL((target) => target.pathname === '/login');
      await logInByEmailedCode(page, path.join(dataDir, 'outbox'), email, name);
      await page.waitForURL(url(`${article}#comments`));
      return person;
    }

    /** A staff member in a browser of their own, signed in, on the page `returnTo` leads to. */
    async function staffMember(account: Staff, returnTo: string): Promise<Person> {
      const person = await newPerson();
      await setUpAndSignInStaff(person.page, url(''), account, returnTo);
      return person;
    }

    it('reports, hides citing a clause, appeals, grants, and counts it all', async () => {
      // The report may be kept by a browser for five minutes (its Cache-Control): the figures
      // before and after are read by two different visitors.
      const earlier = await newPerson();
      await go(earlier.page, '/transparency');
      const before = await newestMonthFigures(earlier.page);
      assert.deepEqual(earlier.errors, [], 'no console or CSP errors');
      await earlier.context.close();
      const delta = (after: Figures, name: string) => (after[name] ?? 0) - (before[name] ?? 0);

      // 1. Reader A comments on the demo article; reader B reports it citing clause 2.
      const author = await reader('author@example.com', '첫 독자');
      const reporter = await reader('reporter@example.com', 'Second Reader');
      const headline = (await author.page.locator('h1').first().innerText()).trim();
      await author.page.getByLabel('Your comment').fill(COMMENT);
      await author.page.getByLabel(/I have read the Standards Board Policy/).check();
      await author.page.getByRole('button', { name: 'Post comment' }).click();
      const posted = author.page.locator('.comment-list > li.comment').first();
      await posted.waitFor();
      const id = (await posted.getAttribute('data-comment-id')) ?? '';
      assert.match(id, /^\d+$/);

      await go(reporter.page, article);
      await reporter.page
        .locator(`#comment-${id}`)
        .getByRole('link', { name: 'Report', exact: true })
        .click();
      await reporter.page.waitForURL((target) => target.pathname === `/comments/${id}/report`);
      await reporter.page.getByLabel(`${CLAUSE.number}. ${CLAUSE.title}`).check();
      await reporter.page.getByLabel(/Note for the standards board/).fill(REPORT_NOTE);
      await reporter.page.getByRole('button', { name: 'Send report' }).click();
      await reporter.page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();

      // 2. The first moderator signs in, finds it under Reported, reads it in context, hides it.
      const first = await staffMember(staff.first, '/moderation');
      const desk = first.page;
      assert.equal(new URL(desk.url()).pathname, '/moderation/queue/pending');
      await desk.getByRole('link', { name: 'Reported (1)' }).click();
      await desk.waitForURL((target) => target.pathname === '/moderation/queue/reported');
      const listed = desk.locator('.desk-item').filter({ hasText: COMMENT });
      assert.equal(await listed.count(), 1);
      assert.match(await listed.innerText(), /1 open report: clause 2 ×1/);
      assert.match(await listed.innerText(), new RegExp(`첫 독자[\\s\\S]*${headline}`));
      await assertAccessible(desk, 'the Reported queue');
      // On a phone the filters fold away: the first screen shows the queue, not the filters.
      await desk.setViewportSize({ width: 390, height: 844 });
      assert.equal(await desk.locator('details.desk-filters').getAttribute('open'), null);
      const firstItem = await listed.boundingBox();
      assert.ok(
        firstItem && firstItem.y < 844,
        `the first item on the first screen: ${firstItem?.y}`,
      );
      await desk.setViewportSize({ width: 1280, height: 900 });

      await listed.getByRole('link', { name: `The comment #${id}` }).click();
      await desk.waitForURL((target) => target.pathname === `/moderation/comments/${id}`);
      assert.equal(await desk.getByRole('link', { name: headline }).count(), 1, 'the article');
      const thread = desk.getByRole('region', { name: 'The comment' });
      assert.match(await thread.locator('.desk-focus').innerText(), new RegExp(COMMENT));
      const reports = desk.getByRole('region', { name: 'Reports' });
      assert.match(await reports.innerText(), /Reported by Second Reader/);
      assert.match(await reports.innerText(), new RegExp(`clause 2 · ${REPORT_NOTE}`));
      const history = desk.getByRole('region', { name: /The reader: 첫 독자/ });
      assert.match(await history.innerText(), /1 published, 0 hidden/);
      assert.match(await history.innerText(), /Their recent comments[\s\S]*부끄러운 줄 아세요/);
      await assertAccessible(desk, 'the comment case page');
      // A wide screen shows the record beside the forms that decide; a phone, one above the other.
      const boxOf = async (name: string) => {
        const box = await desk.getByRole('region', { name, exact: true }).boundingBox();
        assert.ok(box, name);
        return box;
      };
      const [wideThread, wideDecide] = [await boxOf('The comment'), await boxOf('Decision')];
      assert.ok(wideDecide.x >= wideThread.x + wideThread.width, 'the decision beside the thread');
      assert.ok(wideDecide.y < wideThread.y + wideThread.height, 'level with it, not below');
      await desk.setViewportSize({ width: 390, height: 844 });
      const [narrowThread, narrowDecide] = [await boxOf('The comment'), await boxOf('Decision')];
      assert.ok(narrowDecide.y >= narrowThread.y + narrowThread.height, 'below it on a phone');
      await desk.setViewportSize({ width: 1280, height: 900 });

      await desk.getByRole('button', { name: 'Review this one' }).click();
      await desk.getByText(/You are reviewing this until/).waitFor();
      const decide = desk.getByRole('region', { name: 'Decision', exact: true });
      // Hiding without a clause: the same page comes back, the note kept, the reason beside the
      // clauses, and nothing decided.
      await decide.getByLabel('Hide', { exact: true }).check();
      await decide.getByLabel(/Note to the reader/).fill(HIDE_NOTE);
      const [refusedHide] = await Promise.all([
        desk.waitForResponse((res) => res.url().endsWith(`/moderation/comments/${id}/decide`)),
        decide.getByRole('button', { name: 'Record decision' }).click(),
      ]);
      assert.equal(refusedHide.status(), 422);
      await desk.waitForLoadState('load');
      assert.equal(await decide.getByLabel(/Note to the reader/).inputValue(), HIDE_NOTE);
      assert.ok(await decide.getByLabel('Hide', { exact: true }).isChecked());
      assert.match(
        await decide.locator('.clause-choices .field-error').innerText(),
        /Cite at least one clause/,
      );
      await assertAccessible(desk, 'the case page with a refused decision');
      await decide.getByLabel(`${CLAUSE.number}. ${CLAUSE.title}`).check();
      await decide.getByRole('button', { name: 'Record decision' }).click();
      await desk.getByRole('status').filter({ hasText: 'Decision recorded.' }).waitFor();
      const log = await desk.getByRole('region', { name: 'Decisions on this comment' }).innerText();
      assert.match(log, new RegExp(`Hidden · by 김심의 · clause 2 .*${HIDE_NOTE}`));

      // 3. The author reads the decision, the clause and the note on "My comments", and appeals.
      await go(author.page, '/account/comments');
      const mine = author.page.locator(`#comment-${id}`);
      const decided = await mine.innerText();
      assert.match(decided, /Hidden by the standards board/);
      assert.match(decided, /Hidden by the standards board, citing clause 2 \(No abuse\)/);
      assert.match(decided, new RegExp(`Note from the board: ${HIDE_NOTE}`));
      await assertAccessible(author.page, 'My comments with a decision');
      await mine.getByRole('link', { name: 'Appeal this decision' }).click();
      await author.page.waitForURL(
        (target) => target.pathname === `/account/comments/${id}/appeal`,
      );
      await assertAccessible(author.page, 'the reader’s appeal page');
      await author.page.getByLabel(/Your reason/).fill(APPEAL_REASON);
      await author.page.getByRole('button', { name: 'Send appeal' }).click();
      await author.page.waitForURL((target) => target.pathname === '/account/comments');
      assert.match(
        await author.page.locator(`#comment-${id}`).innerText(),
        /You appealed; a different moderator will decide\./,
      );

      // 4. The moderator who hid it may read the appeal but not decide it; a second one grants it.
      await go(desk, '/moderation/queue/appeals');
      const appealItem = desk.locator('.desk-item').filter({ hasText: APPEAL_REASON });
      assert.match(await appealItem.innerText(), /You made the decision appealed/);
      await appealItem.getByRole('link', { name: /^Appeal #\d+$/ }).click();
      await desk.waitForURL((target) => /^\/moderation\/appeals\/\d+$/.test(target.pathname));
      const appealPath = new URL(desk.url()).pathname;
      assert.match(await desk.getByRole('note').innerText(), /a different moderator must decide/);
      assert.equal(await desk.locator('form[action$="/decide"]').count(), 0, 'no form to decide');
      await assertAccessible(desk, 'the appeal case page, as the moderator who decided');
      // Nor does a hand-made form get past the server: the rule is the service's, not the page's.
      const [forged] = await Promise.all([
        desk.waitForResponse((res) => res.url().endsWith(`${appealPath}/decide`)),
        desk.evaluate((action) => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = action;
          const csrf = document.querySelector<HTMLInputElement>('input[name="_csrf"]');
          const fields = { _csrf: csrf?.value ?? '', rev: '0', outcome: 'granted' };
          for (const [name, value] of Object.entries(fields)) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.append(input);
          }
          document.body.append(form);
          form.submit();
        }, `${appealPath}/decide`),
      ]);
      assert.equal(forged.status(), 403, 'MODERATION_SAME_MODERATOR');
      await desk.waitForLoadState('load');
      assert.match(
        await desk.locator('main').innerText(),
        /other than the one who made the decision/,
      );

      const second = await staffMember(staff.second, '/moderation/queue/appeals');
      const other = second.page;
      assert.equal(new URL(other.url()).pathname, '/moderation/queue/appeals');
      await other.getByRole('button', { name: 'Take the next item' }).click();
      await other.waitForURL((target) => target.pathname === appealPath);
      assert.match(await other.locator('main').innerText(), new RegExp(APPEAL_REASON));
      await assertAccessible(other, 'the appeal case page, as a second moderator');
      await other.getByLabel('Grant: restore the comment').check();
      await other.getByLabel(/Note to the reader/).fill(GRANT_NOTE);
      await other.getByRole('button', { name: 'Decide the appeal' }).click();
      await other.waitForURL((target) => target.pathname === '/moderation/queue/appeals');
      await assertAccessible(other, 'the Appeals queue after a decision');

      // 5. The author reads that the appeal was granted; the comment is on the article again.
      await go(author.page, '/account/comments');
      const granted = await author.page.locator(`#comment-${id}`).innerText();
      assert.match(granted, /Your appeal was granted: the comment is published again\./);
      assert.match(granted, /Published/);
      await go(reporter.page, article);
      assert.match(await reporter.page.locator(`#comment-${id}`).innerText(), /부끄러운 줄 아세요/);

      // 6. The transparency report counts what the journey did, this month, in both editions.
      const visitor = await newPerson();
      await go(visitor.page, '/transparency');
      const now = await newestMonthFigures(visitor.page);
      assert.deepEqual(
        {
          hidden: delta(now, 'Hidden by moderators'),
          reported: delta(now, 'Reports received'),
          appealsFiled: delta(now, 'Appeals filed'),
          appealsUpheld: delta(now, 'Decision upheld on appeal'),
          appealsGranted: delta(now, 'Comment restored on appeal'),
          restored: delta(now, 'Restored'),
        },
        {
          hidden: 1,
          reported: 1,
          appealsFiled: 1,
          appealsUpheld: 0,
          appealsGranted: 1,
          restored: 1,
        },
      );
      assert.ok(delta(now, 'Comments published') >= 1, 'the comment counts as published');
      const clauseRow = visitor.page
        .locator('.transparency-month')
        .first()
        .getByRole('row', { name: /Clause 2: No abuse/ });
      assert.match(await clauseRow.innerText(), /Version 1\s+1$/);
      await assertAccessible(visitor.page, '/transparency');
      await go(visitor.page, '/ko/transparency');
      assert.match(await visitor.page.locator('.transparency-month').first().innerText(), /욕설/);
      await assertAccessible(visitor.page, '/ko/transparency');

      // The admin's word lists, the desk's other page.
      const admin = await staffMember(staff.admin, '/admin/moderation/words');
      assert.equal(new URL(admin.page.url()).pathname, '/admin/moderation/words');
      await assertAccessible(admin.page, '/admin/moderation/words');

      // Chromium logs the refused document's own status as a console error: that one is expected.
      const refused = [
        `status of 403 (Forbidden) (${url(appealPath)}/decide)`,
        `status of 422 (Unprocessable Entity) (${url(`/moderation/comments/${id}/decide`)})`,
      ];
      for (const person of [visitor, author, reporter, first, second, admin]) {
        const errors = person.errors.filter(
          (e) => person !== first || !refused.some((r) => e.includes(r)),
        );
        assert.deepEqual(errors, [], 'no console or CSP errors');
        await person.context.close();
      }
    });
  },
);
