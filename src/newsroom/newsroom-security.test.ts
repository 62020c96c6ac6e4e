import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, testClock, type TestApp } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { watchSegmenting } from '../lib/visible-text.testing.js';
import {
  createStory,
  listRevisions,
  PREVIEW_LINK_SECONDS,
  signPreviewLink,
} from './newsroom.service.js';
import { ensureSections, staffMember, storyContent, type Member } from './newsroom.testing.js';

/**
 * The newsroom's own doors (docs/SECURITY.md, items 29 and 30): the preview link is a bearer
 * secret that names one story until one moment, and the editor script's JSON saves are forms
 * like any other, refused without their CSRF token. The role and object rules are battery S2
 * and S3 (src/accounts/access.test.ts, src/accounts/idor.test.ts).
 */

const doc = (text: string) =>
  JSON.stringify({
    type: 'doc',
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  });

for (const backend of testBackends()) {
  describe(`the newsroom's links and JSON saves on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;
    let reporter: Member;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle, { clock: testClock(new Date('2026-12-07T09:00:00Z')) });
      await ensureSections(handle);
      reporter = await staffMember(t, 'reporter', '김민지');
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    async function story(headline: string): Promise<string> {
      return (await createStory(t.deps, reporter.actor, storyContent({ headline }))).id;
    }

    const linkOf = (link: { id: string; expires: number; signature: string }, prefix = '') =>
      `${prefix}/preview/${link.id}?expires=${String(link.expires)}&signature=${link.signature}`;

    it('opens a signed preview link for its story only, and not after it expires', async () => {
      const id = await story('미리 보는 비밀 기사');
      const other = await story('다른 기사');
      const link = await signPreviewLink(t.deps, id);
      const opened = await t.app.inject({ url: linkOf(link, '/ko') });
      assert.equal(opened.statusCode, 200);
      assert.match(opened.body, /미리 보는 비밀 기사/);
      assert.equal(opened.headers['cache-control'], 'private, no-store');

      // The signature covers the story and the moment: neither may be swapped.
      const refused = [
        linkOf({ ...link, id: other }),
        linkOf({ ...link, expires: link.expires + 3_600 }),
        linkOf({ ...(await signPreviewLink(t.deps, other)), id }),
      ];
      for (const url of refused) {
        const answer = await t.app.inject({ url });
        assert.equal(answer.statusCode, 404, url);
        assert.doesNotMatch(answer.body, /미리 보는 비밀 기사|다른 기사/);
      }

      t.clock.advance(PREVIEW_LINK_SECONDS - 1);
      assert.equal((await t.app.inject({ url: linkOf(link) })).statusCode, 200);
      t.clock.advance(1);
      const expired = await t.app.inject({ url: linkOf(link) });
      assert.equal(expired.statusCode, 404);
      assert.doesNotMatch(expired.body, /미리 보는 비밀 기사/);
    });

    it('answers a malformed preview link with 400, not a page', async () => {
      const id = await story('잘못된 링크');
      for (const query of ['', '?expires=abc&signature=x', '?expires=1&signature=<script>']) {
        const answer = await t.app.inject({ url: `/preview/${id}${query}` });
        assert.equal(answer.statusCode, 400, query);
        assert.doesNotMatch(answer.body, /잘못된 링크/);
      }
    });

    it('refuses a story field or a note of one letter under thousands of marks without counting it whole', async () => {
      // A session of its own: the preview test moved the clock past a staff session's life.
      const writer = await staffMember(t, 'reporter', '박지호');
      const id = (await createStory(t.deps, writer.actor, storyContent())).id;
      const hostile = `a${'\u0301'.repeat(29_000)}`;
      const watched = await watchSegmenting(async () => {
        const statuses: number[] = [];
        for (const field of ['headline', 'summary', 'tags', 'bylineName', 'credit']) {
          const form = {
            base: '1',
            headline: '제목',
            summary: '',
            body: doc('본문'),
            slug: '',
            section: 'national',
            tags: '',
            bylineName: '김민지',
            bylineEmail: '',
            credit: '',
            language: 'ko',
            translation: '',
            [field]: hostile,
          };
          statuses.push(
            (await writer.browser.post(`/newsroom/stories/${id}/save`, form)).statusCode,
          );
        }
        const note = await writer.browser.post(`/newsroom/stories/${id}/notes`, {
          // Under the 64 KiB a side form takes (each mark is six bytes, percent-encoded).
          note: `a${'\u0301'.repeat(5_000)}`,
        });
        return [...statuses, note.statusCode];
      });
      assert.deepEqual(watched.result, [422, 422, 422, 422, 422, 422]);
      // src/lib/visible-text.ts counts 128 code units at a time.
      assert.ok(watched.longest <= 128, `segmented ${watched.longest} code units at once`);
    });

    it('refuses an autosave or a presence without its CSRF token, and stores nothing', async () => {
      // A session of its own: the preview test moved the clock past a staff session's life.
      const writer = await staffMember(t, 'reporter', '이서연');
      const id = (
        await createStory(t.deps, writer.actor, storyContent({ headline: '자동 저장 기사' }))
      ).id;
      // The writer's cookies, the CSRF one left out: what a page on another site could send.
      const cookie = [...writer.browser.cookies]
        .filter(([name]) => !name.endsWith('byline_csrf'))
        .map(([name, value]) => `${name}=${value}`)
        .join('; ');
      const form = new URLSearchParams({
        base: '1',
        headline: '토큰 없이 저장한 제목',
        summary: '',
        body: doc('본문'),
        slug: '',
        section: 'national',
        tags: '',
        bylineName: '김민지',
        bylineEmail: '',
        credit: '',
        language: 'ko',
        translation: '',
      }).toString();
      for (const what of ['autosave', 'presence']) {
        const answer = await t.app.inject({
          method: 'POST',
          url: `/ko/newsroom/stories/${id}/${what}`,
          headers: {
            cookie,
            'content-type': 'application/x-www-form-urlencoded',
            'sec-fetch-site': 'same-origin',
            accept: 'application/json',
          },
          payload: form,
        });
        assert.equal(answer.statusCode, 403, `${what}: ${answer.body}`);
        assert.equal(answer.json<{ error: { code: string } }>().error.code, 'CSRF_REJECTED');
      }
      assert.deepEqual(
        (await listRevisions(t.deps, id)).map((r) => r.headline),
        ['자동 저장 기사'],
      );
      const locks = await handle.db
        .selectFrom('story_locks')
        .select('account_id')
        .where('article_id', '=', id)
        .execute();
      assert.deepEqual(locks, []);
    });
  });
}
