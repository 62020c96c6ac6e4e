import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, testClock, type TestApp } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { textOf } from '../http/routes.testing.js';
import { getStory, listRevisions } from './newsroom.service.js';
import { ensureSections, staffMember, type Member } from './newsroom.testing.js';

/** What the editor's script reads from the JSON answers. */
type Answer = {
  revision?: number;
  error?: { code: string; message: string };
  conflict?: { kept: number; head: number; diff: string };
  holder?: { name: string; since: string; you: boolean };
  message?: string;
};

const json = (body: string) => JSON.parse(body) as Answer;

const doc = (text: string) =>
  JSON.stringify({
    type: 'doc',
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  });

function storyForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    headline: '지하철 요금 오른다',
    summary: '',
    body: doc('서울시가 지하철 요금을 올린다.'),
    slug: '',
    section: 'national',
    tags: '교통, 서울',
    bylineName: '김민지',
    bylineEmail: 'kim.minji@example.com',
    credit: '',
    language: 'ko',
    translation: '',
    ...overrides,
  };
}

for (const backend of testBackends()) {
  describe(`newsroom story routes (${backend.name})`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let reporter: Member;
    let editor: Member;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle, { clock: testClock(new Date('2026-12-07T09:00:00Z')) });
      await ensureSections(handle);
      reporter = await staffMember(t, 'reporter', 'Kim Min-ji');
      editor = await staffMember(t, 'editor', 'Park Ji-ho');
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    async function create(member: Member, form = storyForm()): Promise<string> {
      const created = await member.browser.post('/ko/newsroom/stories', form);
      assert.equal(created.statusCode, 303, created.body);
      const id = /\/stories\/(\d+)\?/.exec(String(created.headers.location))?.[1];
      assert.ok(id);
      return id;
    }

    it('creates a story from the form and shows it in the editor', async () => {
      const id = await create(reporter);
      const page = await reporter.browser.get(`/ko/newsroom/stories/${id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /지하철 요금 오른다/);
      assert.match(page.body, /data-autosave="\/ko\/newsroom\/stories\/\d+\/autosave"/);
      assert.match(page.body, /<script src="\/assets\/newsroom-editor\.[0-9a-f]+\.js" defer>/);
    });

    it('refuses a hostile body with the form kept, and keeps what was saved', async () => {
      const id = await create(reporter);
      const hostile = JSON.stringify({
        type: 'doc',
        content: [
          {
            type: 'paragraph',
            content: [
              {
                type: 'text',
                text: 'x',
                marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }],
              },
            ],
          },
        ],
      });
      const refused = await reporter.browser.post(`/ko/newsroom/stories/${id}/save`, {
        ...storyForm({ body: hostile, headline: '바뀐 제목' }),
        base: '1',
      });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.body, /value="바뀐 제목"/);
      assert.equal((await getStory(t.deps, id))?.content.headline, '지하철 요금 오른다');
    });

    it('autosaves with revisions, and answers a stale save with a conflict that keeps both texts', async () => {
      const id = await create(reporter);
      const saved = await reporter.browser.post(
        `/ko/newsroom/stories/${id}/autosave`,
        { ...storyForm({ headline: '첫 저장' }), base: '1' },
        { accept: 'application/json' },
      );
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(json(saved.body).revision, 2);
      const stale = await editor.browser.post(
        `/ko/newsroom/stories/${id}/autosave`,
        { ...storyForm({ headline: '늦은 저장' }), base: '1' },
        { accept: 'application/json' },
      );
      assert.equal(stale.statusCode, 409, stale.body);
      const answer = json(stale.body);
      assert.equal(answer.error?.code, 'STORY_CONFLICT');
      assert.equal(answer.conflict?.kept, 3);
      const revisions = await listRevisions(t.deps, id);
      assert.deepEqual(
        revisions.map((r) => r.headline),
        ['늦은 저장', '첫 저장', '지하철 요금 오른다'],
      );
    });

    it('tells who is editing, refuses the others, and lets an editor take over', async () => {
      const id = await create(reporter);
      const mine = await reporter.browser.post(
        `/ko/newsroom/stories/${id}/presence`,
        {},
        { accept: 'application/json' },
      );
      assert.equal(json(mine.body).holder?.you, true);
      const theirs = await editor.browser.post(
        `/ko/newsroom/stories/${id}/presence`,
        {},
        { accept: 'application/json' },
      );
      const seen = json(theirs.body);
      assert.equal(seen.holder?.you, false);
      assert.match(seen.message ?? '', /Kim Min-ji 님이 .*부터 편집하고 있습니다/);
      const over = await editor.browser.post(`/ko/newsroom/stories/${id}/take-over`);
      assert.equal(over.statusCode, 303);
      const displaced = await reporter.browser.post(
        `/ko/newsroom/stories/${id}/autosave`,
        { ...storyForm({ headline: '밀려난 글' }), base: '1' },
        { accept: 'application/json' },
      );
      assert.equal(displaced.statusCode, 423);
      assert.equal(json(displaced.body).error?.code, 'STORY_TAKEN_OVER');
      assert.equal((await listRevisions(t.deps, id))[0]?.headline, '밀려난 글');
    });

    it('previews for staff and through a signed link only', async () => {
      const id = await create(reporter);
      const preview = await reporter.browser.get(`/ko/newsroom/stories/${id}/preview`);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /미리 보기: 게재되지 않은 기사입니다/);
      assert.match(preview.body, /<meta name="robots" content="noindex"/);
      const page = await reporter.browser.get(`/ko/newsroom/stories/${id}`);
      const link = /\/ko\/preview\/\d+\?expires=\d+&amp;signature=[\w-]+/
        .exec(page.body)?.[0]
        .replace(/&amp;/g, '&');
      assert.ok(link);
      const outside = await t.app.inject({ url: link });
      assert.equal(outside.statusCode, 200);
      assert.match(outside.body, /지하철 요금 오른다/);
      const forged = await t.app.inject({
        url: link.replace(
          /signature=[\w-]+/,
          'signature=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        ),
      });
      assert.equal(forged.statusCode, 404);
      const anonymous = await t.app.inject({ url: `/ko/newsroom/stories/${id}/preview` });
      assert.notEqual(anonymous.statusCode, 200);
    });

    it('moves a story through submit, send back, and publish', async () => {
      const id = await create(reporter);
      assert.equal(
        (await reporter.browser.post(`/ko/newsroom/stories/${id}/publish`)).statusCode,
        403,
      );
      assert.equal(
        (await reporter.browser.post(`/ko/newsroom/stories/${id}/submit`)).statusCode,
        303,
      );
      const empty = await editor.browser.post(`/ko/newsroom/stories/${id}/send-back`, {
        note: ' ',
      });
      assert.equal(empty.statusCode, 422);
      assert.equal(
        (
          await editor.browser.post(`/ko/newsroom/stories/${id}/send-back`, {
            note: '표를 넣어 주세요',
          })
        ).statusCode,
        303,
      );
      const page = await reporter.browser.get(`/ko/newsroom/stories/${id}`);
      assert.match(textOf(page.body), /표를 넣어 주세요/);
      assert.equal(
        (await editor.browser.post(`/ko/newsroom/stories/${id}/publish`)).statusCode,
        303,
      );
      const story = await getStory(t.deps, id);
      assert.ok(story?.path);
      assert.equal(story.status, 'published');
      const live = await t.app.inject({ url: encodeURI(story.path) });
      assert.equal(live.statusCode, 200);
    });

    it('moves a published story to a new slug and answers 301 at every older address', async () => {
      const id = await create(reporter, storyForm({ slug: '지하철-요금' }));
      assert.equal(
        (await editor.browser.post(`/ko/newsroom/stories/${id}/publish`)).statusCode,
        303,
      );
      const first = (await getStory(t.deps, id))?.path ?? '';
      for (const [slug, base] of [
        ['지하철-요금-인상', '1'],
        ['지하철-기본요금-인상', '2'],
      ] as const) {
        const saved = await editor.browser.post(`/ko/newsroom/stories/${id}/save`, {
          ...storyForm({ slug }),
          base,
        });
        assert.equal(saved.statusCode, 303, saved.body);
        assert.equal(
          (await editor.browser.post(`/ko/newsroom/stories/${id}/publish`)).statusCode,
          303,
        );
      }
      const story = await getStory(t.deps, id);
      assert.ok(story?.path);
      assert.match(story.path, /\/지하철-기본요금-인상$/);
      for (const old of [first, first.replace('지하철-요금', '지하철-요금-인상')]) {
        const moved = await t.app.inject({ url: encodeURI(old) });
        assert.equal(moved.statusCode, 301, old);
        assert.equal(decodeURI(String(moved.headers.location)), story.path);
      }
    });
  });
}
