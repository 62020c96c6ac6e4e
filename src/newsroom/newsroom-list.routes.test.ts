import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSession } from '../accounts/sessions.js';
import { TestBrowser, testApp, testClock, type TestApp } from '../accounts/accounts.testing.js';
import { testReader } from '../comments/comments.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { textOf } from '../http/routes.testing.js';
import {
  addNote,
  createStory,
  publishNow,
  saveStory,
  scheduleStory,
  sendBack,
  submitStory,
} from './newsroom.service.js';
import { nextDay, startOfDay } from '../lib/zoned-time.js';
import { newsroomListStrings } from './newsroom-list.strings.js';
import { newsroomStrings } from './newsroom.strings.js';
import {
  ensureSections,
  staffAccount,
  staffMember,
  storyContent,
  type Member,
} from './newsroom.testing.js';

/** The ids of the stories the page's table lists, in its order (the late box left out). */
function listed(html: string): string[] {
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/\/newsroom\/stories\/(\d+)"/g)].map((m) => m[1] ?? '');
}

/** Every plain English string of the list and the newsroom's shared strings. */
function englishStrings(): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') found.push(value);
    else if (typeof value === 'function') found.push((value as (n: number) => string)(7));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(newsroomListStrings.en);
  walk(newsroomStrings.en);
  // Shorter than a word or shared by both editions, a string proves nothing.
  return found
    .map((s) => s.replace(/\s*\(?7\)?/g, '').trim())
    .filter((s) => /[A-Za-z]{4,}/.test(s) && s !== '—');
}

describe('calendar days in the newsroom’s time zone', () => {
  it('starts a Seoul day at 15:00 UTC the day before', () => {
    assert.equal(startOfDay('2026-12-07', 'Asia/Seoul').toISOString(), '2026-12-06T15:00:00.000Z');
  });
  it('starts a New York day on its own offset on either side of summer time', () => {
    assert.equal(
      startOfDay('2026-03-08', 'America/New_York').toISOString(),
      '2026-03-08T05:00:00.000Z',
    );
    assert.equal(
      startOfDay('2026-03-09', 'America/New_York').toISOString(),
      '2026-03-09T04:00:00.000Z',
    );
  });
  it('starts a day when its clock first reads midnight, on either side of a change', () => {
    // Santiago's clocks went back from 24:00 to 23:00 on 4 April 2026 (so 5 April began in the
    // new offset), and jumped from 24:00 to 01:00 on 5 September (so 6 September began at 01:00).
    assert.equal(
      startOfDay('2026-04-05', 'America/Santiago').toISOString(),
      '2026-04-05T04:00:00.000Z',
    );
    assert.equal(
      startOfDay('2026-04-04', 'America/Santiago').toISOString(),
      '2026-04-04T03:00:00.000Z',
    );
    assert.equal(
      startOfDay('2026-09-06', 'America/Santiago').toISOString(),
      '2026-09-06T04:00:00.000Z',
    );
  });
  it('gives the next day across a month and a year', () => {
    assert.equal(nextDay('2026-02-28'), '2026-03-01');
    assert.equal(nextDay('2026-12-31'), '2027-01-01');
  });
});

for (const backend of testBackends()) {
  describe(`the newsroom's list (${backend.name})`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    const clock = testClock(new Date('2026-12-07T09:00:00Z'));
    let reporter: Member;
    let otherReporter: Member;
    let editor: Member;
    let admin: Member;
    const ids = {
      early: '',
      korean: '',
      pending: '',
      sentBack: '',
      scheduled: '',
      others: '',
    };

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle, { clock });
      await ensureSections(handle);
      reporter = await staffMember(t, 'reporter', 'Kim Min-ji');
      otherReporter = await staffMember(t, 'reporter', 'Lee Seo-yeon');
      editor = await staffMember(t, 'editor', 'Park Ji-ho');
      admin = await staffMember(t, 'admin', 'Choi Admin');
      const deps = t.deps;
      // A story last changed on 2 December in Seoul, which is still 1 December in UTC.
      clock.now = new Date('2026-12-01T15:30:00Z');
      ids.early = (
        await createStory(deps, reporter.actor, storyContent({ headline: 'Early draft on fares' }))
      ).id;
      clock.now = new Date('2026-12-07T09:00:00Z');
      ids.korean = (
        await createStory(
          deps,
          reporter.actor,
          storyContent({
            language: 'ko',
            section: 'business',
            headline: '서울 지하철 요금 인상',
            bylines: [{ name: '김민지', email: null }],
          }),
        )
      ).id;
      await submitStory(deps, reporter.actor, ids.korean);
      const published = storyContent({ section: 'business', headline: 'Market opens higher' });
      ids.pending = (await createStory(deps, editor.actor, published)).id;
      await publishNow(deps, editor.actor, ids.pending);
      await saveStory(deps, editor.actor, ids.pending, 1, { ...published, summary: 'Revised.' });
      await submitStory(deps, editor.actor, ids.pending);
      ids.sentBack = (
        await createStory(deps, reporter.actor, storyContent({ headline: 'Sent back story' }))
      ).id;
      await submitStory(deps, reporter.actor, ids.sentBack);
      await sendBack(deps, editor.actor, ids.sentBack, '출처를 하나 더 확인해 주세요.');
      ids.others = (
        await createStory(deps, otherReporter.actor, storyContent({ headline: 'Another desk' }))
      ).id;
      ids.scheduled = (
        await createStory(deps, editor.actor, storyContent({ headline: 'Budget at noon' }))
      ).id;
      await scheduleStory(deps, editor.actor, ids.scheduled, new Date('2026-12-07T09:02:00Z'));
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    it('admits reporters, editors and admins; refuses moderators and readers', async () => {
      const anonymous = await new TestBrowser(t.app).get('/newsroom');
      assert.equal(anonymous.statusCode, 303);
      assert.match(anonymous.headers.location ?? '', /^\/staff\/login\?returnTo=%2Fnewsroom$/);
      const koAnonymous = await new TestBrowser(t.app).get('/ko/newsroom');
      assert.match(koAnonymous.headers.location ?? '', /^\/ko\/staff\/login\?/);

      const readerId = await testReader(t.deps, '독자');
      const readerBrowser = new TestBrowser(t.app);
      const readerSession = await createSession(t.deps, {
        accountId: readerId,
        kind: 'reader',
        method: 'email',
        userAgent: 'list test',
        ip: '203.0.113.30',
      });
      readerBrowser.cookies.set('byline_session', readerSession.token);
      assert.equal((await readerBrowser.get('/newsroom')).statusCode, 403);

      const moderator = await staffAccount(t.deps, 'moderator', 'Moderator');
      const moderatorBrowser = new TestBrowser(t.app);
      const moderatorSession = await createSession(t.deps, {
        accountId: moderator.id,
        kind: 'staff',
        method: 'password+totp',
        userAgent: 'list test',
        ip: '203.0.113.31',
      });
      moderatorBrowser.cookies.set('byline_session', moderatorSession.token);
      assert.equal((await moderatorBrowser.get('/newsroom')).statusCode, 403);
      assert.equal((await moderatorBrowser.get('/ko/newsroom')).statusCode, 403);

      for (const member of [reporter, editor, admin]) {
        for (const path of ['/newsroom', '/ko/newsroom']) {
          const page = await member.browser.get(path);
          assert.equal(page.statusCode, 200, `${member.actor.role} ${path}`);
          assert.equal(page.headers['cache-control'], 'no-store');
        }
      }
    });

    it('counts the stories of each status, and links each count to its filter', async () => {
      const html = (await editor.browser.get('/newsroom')).body;
      const text = textOf(html);
      for (const count of [
        'All stories (6)',
        'Draft (3)',
        'In review (1)',
        'Revision in review (1)',
        'Scheduled (1)',
        'Published (1)',
        'Unpublished (0)',
        'Archived (0)',
      ])
        assert.ok(text.includes(count), count);
      assert.match(html, /href="\/newsroom\?status=pending_review"/);
      assert.equal(listed(html).length, 6);
    });

    it('filters by status, section, byline, edition and the day of the last change', async () => {
      const get = async (query: string) =>
        listed((await editor.browser.get(`/newsroom?${query}`)).body);
      assert.deepEqual(await get('status=in_review'), [ids.korean]);
      assert.deepEqual(await get('status=pending_review'), [ids.pending]);
      assert.deepEqual(await get('status=scheduled'), [ids.scheduled]);
      assert.deepEqual((await get('section=business')).sort(), [ids.korean, ids.pending].sort());
      assert.deepEqual(await get(`author=${encodeURIComponent('김민지')}`), [ids.korean]);
      assert.deepEqual(await get('language=ko'), [ids.korean]);
      // The early draft was changed at 00:30 on 2 December in Seoul (15:30 UTC on the 1st).
      assert.deepEqual(await get('from=2026-12-02&to=2026-12-02'), [ids.early]);
      assert.deepEqual(await get('to=2026-12-01'), []);
      assert.equal((await get('from=2026-12-07')).length, 5);
      // Empty fields of the GET form filter nothing.
      assert.equal((await get('status=&section=&author=&language=&from=&to=&q=')).length, 6);
    });

    it('finds a story by words of its headline, Hangul included', async () => {
      const get = async (q: string) =>
        listed((await editor.browser.get(`/ko/newsroom?q=${encodeURIComponent(q)}`)).body);
      assert.deepEqual(await get('지하철 요금'), [ids.korean]);
      assert.deepEqual(await get('market OPENS'), [ids.pending]);
      assert.deepEqual(await get('100%'), []);
    });

    it('shows my stories: the ones the signed-in person started', async () => {
      const mine = listed((await reporter.browser.get('/newsroom?mine=1')).body);
      assert.deepEqual(mine.sort(), [ids.early, ids.korean, ids.sentBack].sort());
      assert.deepEqual(listed((await otherReporter.browser.get('/newsroom?mine=1')).body), [
        ids.others,
      ]);
    });

    it('shows an editor what waits for an editor, and a reporter what was sent back', async () => {
      const forEditor = listed((await editor.browser.get('/newsroom?review=1')).body);
      assert.deepEqual(forEditor.sort(), [ids.korean, ids.pending].sort());
      const forReporter = await reporter.browser.get('/newsroom?review=1');
      assert.deepEqual(listed(forReporter.body), [ids.sentBack]);
      assert.match(forReporter.body, /<a href="\/newsroom\?review=1" aria-current="page">/);
      const forOther = await otherReporter.browser.get('/newsroom?review=1');
      assert.deepEqual(listed(forOther.body), []);
      assert.ok(textOf(forOther.body).includes('Nothing waits for your review.'));
      // A note after the sending back means the story is being talked over: no longer waiting.
      await addNote(t.deps, reporter.actor, ids.sentBack, 'Done: two sources now.');
      assert.deepEqual(listed((await reporter.browser.get('/newsroom?review=1')).body), []);
    });

    it('answers a parameter no form of ours sends with 400, never a 500', async () => {
      for (const query of [
        'status=bogus',
        'status=draft&status=published',
        'from=2026-02-30',
        'to=yesterday',
        'language=fr',
        'page=0',
        'mine=yes',
        'section=%3Cscript%3E',
        `q=${'가'.repeat(201)}`,
      ]) {
        const page = await editor.browser.get(`/newsroom?${query}`);
        assert.equal(page.statusCode, 400, query);
        assert.ok(textOf(page.body).includes('Bad address'), query);
      }
      assert.equal((await editor.browser.get('/ko/newsroom?status=bogus')).statusCode, 400);
    });

    it('speaks only Korean on the Korean page', async () => {
      const html = (await editor.browser.get('/ko/newsroom?status=draft')).body;
      // The page's own part: the header's switch to the English edition is meant to be English.
      const text = textOf(/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '');
      assert.ok(text.includes('초안 (3)'));
      assert.ok(text.includes('사회'), 'the section by its Korean name');
      // The headlines are the newsroom's content, in whichever language they were written.
      const ui = text
        .replace(/Early draft on fares|Sent back story|Another desk/g, '')
        .replace(/Kim Min-ji|Lee Seo-yeon|Sarah Kim/g, '');
      const english = englishStrings().filter((s) => ui.includes(s));
      assert.deepEqual(english, []);
    });

    it('flags a scheduled story more than a minute late at the top, with its minute', async () => {
      const before = await editor.browser.get('/newsroom');
      assert.doesNotMatch(before.body, /newsroom-late"/);
      // Due at 09:02 UTC; the scheduler has not run, and it is now 09:03:30.
      clock.now = new Date('2026-12-07T09:03:30Z');
      const html = (await editor.browser.get('/newsroom')).body;
      const box = /<section class="newsroom-late"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
      assert.ok(box, 'the late box is shown');
      assert.ok(html.indexOf(box) < html.indexOf('newsroom-counts'), 'before the counts');
      assert.match(box, new RegExp(`/newsroom/stories/${ids.scheduled}"`));
      assert.ok(textOf(box).includes('due 07 Dec. 2026, 18:02'), textOf(box));
      const ko = (await editor.browser.get('/ko/newsroom')).body;
      assert.ok(textOf(ko).includes('예약 2026.12.07 18:02'));
    });

    it('pages the list 50 at a time', async () => {
      for (let i = 0; i < 51; i += 1)
        await createStory(t.deps, admin.actor, storyContent({ headline: `페이지 시험 ${i}` }));
      const first = await admin.browser.get(`/newsroom?q=${encodeURIComponent('페이지 시험')}`);
      assert.equal(listed(first.body).length, 50);
      assert.match(first.body, /rel="next"/);
      const next = /href="([^"]*page=2)"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
      const second = await admin.browser.get(next);
      assert.equal(listed(second.body).length, 1);
      assert.doesNotMatch(second.body, /rel="next"/);
      assert.match(second.body, /rel="prev"/);
      const all = new Set([...listed(first.body), ...listed(second.body)]);
      assert.equal(all.size, 51);
    });
  });
}
