import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestBrowser, testApp, type TestApp } from '../accounts/accounts.testing.js';
import { createSession } from '../accounts/sessions.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { textOf } from '../http/routes.testing.js';
import type { Language } from '../lib/language.js';
import { newsroomRevisionsStrings } from './newsroom-revisions.strings.js';
import {
  createStory,
  getRevision,
  getStory,
  listRevisions,
  publishNow,
  saveStory,
} from './newsroom.service.js';
import {
  ensureSections,
  staffAccount,
  staffMember,
  storyContent,
  type Member,
} from './newsroom.testing.js';
import type { EditorDocument } from './story.js';

/** A story's revisions in the browser: the list, the diff between two, restoring one. */

function doc(text: string): EditorDocument {
  return { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/** The interface strings of these pages that are plain text (not templates), in one edition. */
function plainStrings(language: Language): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') out.push(value);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(newsroomRevisionsStrings[language]);
  return out;
}

for (const backend of testBackends()) {
  describe(`newsroom revisions pages (${backend.name})`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let reporter: Member;
    let otherReporter: Member;
    let editor: Member;
    let admin: Member;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle);
      await ensureSections(handle);
      reporter = await staffMember(t, 'reporter', 'Kim Min-ji');
      otherReporter = await staffMember(t, 'reporter', 'Lee Su-jin');
      editor = await staffMember(t, 'editor', 'Park Ji-ho');
      admin = await staffMember(t, 'admin', 'Choi Yu-na');
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    /** A story by the reporter with two revisions: the headline and a word of the body changed. */
    async function storyWithTwoRevisions(): Promise<string> {
      const first = storyContent({ body: doc('Seoul will raise subway fares.') });
      const { id } = await createStory(t.deps, reporter.actor, first);
      const saved = await saveStory(t.deps, reporter.actor, id, 1, {
        ...first,
        headline: 'Bus fares rise in March',
        body: doc('Seoul will raise bus fares.'),
        tags: ['Transport', 'Buses'],
      });
      assert.equal(saved.kind, 'saved');
      return id;
    }

    it('lists every revision newest first, the current and the live one marked', async () => {
      const id = await storyWithTwoRevisions();
      await publishNow(t.deps, editor.actor, id);
      const third = await saveStory(t.deps, reporter.actor, id, 2, {
        ...storyContent({ headline: 'Fares rise again' }),
      });
      assert.equal(third.kind, 'saved');
      const page = await reporter.browser.get(`/newsroom/stories/${id}/revisions`);
      assert.equal(page.statusCode, 200, page.body);
      assert.equal(page.headers['cache-control'], 'no-store');
      const text = textOf(page.body);
      const rows = [...page.body.matchAll(/<tr[^>]*>\s*<th scope="row">(.*?)<\/th>/gs)].map((m) =>
        textOf(m[1] ?? '').trim(),
      );
      assert.deepEqual(rows, ['Revision 3 Current', 'Revision 2 Live', 'Revision 1']);
      assert.match(text, /30 Nov\. 2026, 09:00 Kim Min-ji Saved Fares rise again/);
      assert.match(page.body, /<select id="compare-from" name="from">/);
      assert.match(page.body, /<label for="compare-to">Newer revision<\/label>/);
      // A restore button for every revision but the current one, based on the current one.
      const restores = [...page.body.matchAll(/action="([^"]+\/restore)"/g)].map((m) => m[1]);
      assert.deepEqual(restores, [
        `/newsroom/stories/${id}/revisions/2/restore`,
        `/newsroom/stories/${id}/revisions/1/restore`,
      ]);
      assert.match(page.body, /name="base" value="3"/);
      assert.match(page.body, /name="_csrf" value="[^"]+"/);
    });

    it('shows what changed between two revisions: fields, tags and the body word by word', async () => {
      const id = await storyWithTwoRevisions();
      const page = await editor.browser.get(`/newsroom/stories/${id}/compare?from=1&to=2`);
      assert.equal(page.statusCode, 200, page.body);
      const fields = /<table class="diff-fields">(.*?)<\/table>/s.exec(page.body)?.[1] ?? '';
      assert.match(textOf(fields), /Headline .*Subway.* fares rise in March .*Bus.* fares rise/);
      assert.doesNotMatch(textOf(fields), /Summary|Section/);
      assert.match(
        page.body,
        /<del class="diff-removed"><span class="visually-hidden" lang="en">\[removed: <\/span>subway/,
      );
      assert.match(
        page.body,
        /<ins class="diff-added"><span class="visually-hidden" lang="en">\[added: <\/span>bus/,
      );
      assert.match(textOf(page.body), /Tags Added: \[added: Buses/);
      const same = await editor.browser.get(`/newsroom/stories/${id}/compare?from=2&to=2`);
      assert.equal(same.statusCode, 200);
      assert.match(textOf(same.body), /These two revisions are the same\./);
    });

    it('answers 404 for an unknown story or revision and 400 for a malformed query', async () => {
      const id = await storyWithTwoRevisions();
      const get = (url: string) => editor.browser.get(url);
      assert.equal((await get(`/newsroom/stories/${id}/compare?from=1&to=9`)).statusCode, 404);
      assert.equal((await get('/newsroom/stories/999999/compare?from=1&to=2')).statusCode, 404);
      assert.equal((await get('/newsroom/stories/999999/revisions')).statusCode, 404);
      assert.equal((await get('/newsroom/stories/abc/revisions')).statusCode, 404);
      for (const query of [
        'from=abc&to=2',
        'from=0&to=2',
        'from=1',
        'from=1.5&to=2',
        'from=1&to=99999999999',
      ])
        assert.equal(
          (await get(`/newsroom/stories/${id}/compare?${query}`)).statusCode,
          400,
          query,
        );
      const json = await editor.browser.get(`/newsroom/stories/${id}/compare?from=x&to=2`, {
        accept: 'application/json',
      });
      assert.equal(
        (JSON.parse(json.body) as { error: { code: string } }).error.code,
        'INVALID_PARAMETER',
      );
      const restore = await editor.browser.post(`/newsroom/stories/${id}/revisions/9/restore`, {
        base: '2',
      });
      assert.equal(restore.statusCode, 404);
      const huge = await editor.browser.post(
        `/newsroom/stories/${id}/revisions/99999999999/restore`,
        { base: '2' },
      );
      assert.equal(huge.statusCode, 404);
      const noBase = await editor.browser.post(`/newsroom/stories/${id}/revisions/1/restore`);
      assert.equal(noBase.statusCode, 400);
    });

    it('restores a revision as a new one equal to it, keeping every other', async () => {
      const id = await storyWithTwoRevisions();
      const response = await reporter.browser.post(
        `/ko/newsroom/stories/${id}/revisions/1/restore`,
        {
          base: '2',
        },
      );
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(response.headers.location, `/ko/newsroom/stories/${id}`);
      const revisions = await listRevisions(t.deps, id);
      assert.deepEqual(
        revisions.map((r) => [r.number, r.reason]),
        [
          [3, 'restore'],
          [2, 'save'],
          [1, 'save'],
        ],
      );
      const [restored, original, second] = await Promise.all([
        getRevision(t.deps, id, 3),
        getRevision(t.deps, id, 1),
        getRevision(t.deps, id, 2),
      ]);
      assert.deepEqual(restored?.content, original?.content);
      assert.equal(second?.content.headline, 'Bus fares rise in March');
      assert.equal((await getStory(t.deps, id))?.headRevision, 3);
    });

    it('keeps a restore based on a stale head as a revision and says where', async () => {
      const id = await storyWithTwoRevisions();
      const response = await editor.browser.post(`/newsroom/stories/${id}/revisions/1/restore`, {
        base: '1',
      });
      assert.equal(response.statusCode, 409);
      const text = textOf(response.body);
      assert.match(text, /kept as revision 3/);
      assert.match(
        response.body,
        new RegExp(`href="/newsroom/stories/${id}/compare\\?from=2&amp;to=3"`),
      );
      const story = await getStory(t.deps, id);
      assert.ok(story);
      assert.equal(story.headRevision, 2);
      assert.equal(story.content.headline, 'Bus fares rise in March');
      assert.equal((await getRevision(t.deps, id, 3))?.reason, 'conflict');
      const json = await editor.browser.post(
        `/newsroom/stories/${id}/revisions/1/restore`,
        { base: '1' },
        { accept: 'application/json' },
      );
      assert.equal(json.statusCode, 409);
      assert.deepEqual(
        (JSON.parse(json.body) as { error: { code: string; kept: number } }).error.kept,
        4,
      );
    });

    it('refuses these pages to anyone outside the newsroom and restores by the story rules', async () => {
      const id = await storyWithTwoRevisions();
      const list = `/newsroom/stories/${id}/revisions`;
      const compare = `/newsroom/stories/${id}/compare?from=1&to=2`;
      const restore = `/newsroom/stories/${id}/revisions/1/restore`;

      const anonymous = await new TestBrowser(t.app).get(`/ko${list}`);
      assert.equal(anonymous.statusCode, 303);
      assert.equal(
        anonymous.headers.location,
        `/ko/staff/login?returnTo=${encodeURIComponent(`/ko${list}`)}`,
      );
      assert.equal((await new TestBrowser(t.app).get(compare)).statusCode, 303);
      const anonymousPost = await new TestBrowser(t.app).post(restore, { base: '2' });
      assert.notEqual(anonymousPost.headers.location, `/newsroom/stories/${id}`);
      assert.ok(anonymousPost.statusCode >= 300, String(anonymousPost.statusCode));

      const moderator = await staffAccount(t.deps, 'moderator', 'Han Seo-yeon');
      const reader = await t.deps.db
        .insertInto('accounts')
        .values({ display_name: '독자', role: 'reader', staff_email: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const outsiders: [string, string, 'staff' | 'reader'][] = [
        ['moderator', moderator.id, 'staff'],
        ['reader', reader.id, 'reader'],
      ];
      for (const [name, accountId, kind] of outsiders) {
        const { token } = await createSession(t.deps, {
          accountId,
          kind,
          method: kind === 'staff' ? 'password+totp' : 'email',
          userAgent: 'revisions.test',
          ip: '203.0.113.30',
        });
        const browser = new TestBrowser(t.app);
        browser.cookies.set('byline_session', token);
        await browser.get('/login');
        assert.equal((await browser.get(list)).statusCode, 403, name);
        assert.equal((await browser.get(compare)).statusCode, 403, name);
        assert.equal((await browser.post(restore, { base: '2' })).statusCode, 403, name);
      }

      // Role × route on a story the first reporter wrote: [who, list, compare, restore].
      const table: [string, Member, number, number, number][] = [
        ['its reporter', reporter, 200, 200, 303],
        ['another reporter', otherReporter, 200, 200, 403],
        ['an editor', editor, 200, 200, 303],
        ['an admin', admin, 200, 200, 303],
      ];
      for (const [who, member, listStatus, compareStatus, restoreStatus] of table) {
        const story = await getStory(t.deps, id);
        assert.equal((await member.browser.get(list)).statusCode, listStatus, who);
        assert.equal((await member.browser.get(compare)).statusCode, compareStatus, who);
        const posted = await member.browser.post(restore, {
          base: String(story?.headRevision ?? 0),
        });
        assert.equal(posted.statusCode, restoreStatus, who);
      }
      const otherPage = await otherReporter.browser.get(list);
      assert.doesNotMatch(otherPage.body, /\/restore"/);
    });

    it('speaks only Korean in the Korean edition and only English in the English one', async () => {
      const id = await storyWithTwoRevisions();
      const english = plainStrings('en');
      const korean = plainStrings('ko');
      for (const path of [
        `/newsroom/stories/${id}/revisions`,
        `/newsroom/stories/${id}/compare?from=1&to=2`,
      ]) {
        const ko = await editor.browser.get(`/ko${path}`);
        assert.equal(ko.statusCode, 200);
        const koText = textOf(ko.body);
        assert.match(koText, /제1판|수정 이력/);
        for (const s of english)
          assert.doesNotMatch(
            koText,
            new RegExp(`\\b${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`),
            `${path}: ${s}`,
          );
        const en = await editor.browser.get(path);
        assert.equal(en.statusCode, 200);
        const enText = textOf(en.body);
        for (const s of korean) assert.ok(!enText.includes(s), `${path}: ${s}`);
      }
      // The story's words keep their language on a page of the other edition, and the words
      // said around a change keep the page's.
      const mixed = await editor.browser.get(`/ko/newsroom/stories/${id}/compare?from=1&to=2`);
      assert.match(mixed.body, /<div class="diff-body" lang="en">/);
      assert.match(mixed.body, /<span class="visually-hidden" lang="ko">\[삭제: <\/span>subway/);
    });
  });
}
