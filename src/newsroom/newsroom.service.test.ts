import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testClock } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import {
  createStory,
  getStory,
  listRevisions,
  publishDue,
  publishNow,
  saveStory,
  scheduleStory,
  sendBack,
  setEmbargo,
  submitStory,
} from './newsroom.service.js';
import { ensureSections, staffAccount, storyContent } from './newsroom.testing.js';
import type { StoryActor } from './story.js';

for (const backend of testBackends()) {
  describe(`newsroom service (${backend.name})`, () => {
    let handle: DatabaseHandle;
    let deps: AppDeps;
    const clock = testClock(new Date('2026-12-07T09:00:00Z'));
    let reporter: StoryActor;
    let editor: StoryActor;

    before(async () => {
      handle = await backend.open();
      deps = testDeps(handle, { clock: clock.clock });
      await ensureSections(handle);
      reporter = {
        accountId: (await staffAccount(handle, 'reporter', 'Kim Min-ji')).id,
        role: 'reporter',
      };
      editor = {
        accountId: (await staffAccount(handle, 'editor', 'Park Ji-ho')).id,
        role: 'editor',
      };
    });
    after(() => handle.close());

    it('keeps both texts when two people save from the same revision', async () => {
      const { id } = await createStory(deps, reporter, storyContent());
      const first = await saveStory(deps, reporter, id, 1, storyContent({ headline: 'Mine' }));
      assert.equal(first.kind, 'saved');
      const second = await saveStory(deps, editor, id, 1, storyContent({ headline: 'Theirs' }));
      assert.deepEqual(second, { kind: 'conflict', kept: 3, head: 2 });
      const revisions = await listRevisions(deps, id);
      assert.deepEqual(
        revisions.map((r) => [r.number, r.reason, r.headline]),
        [
          [3, 'conflict', 'Theirs'],
          [2, 'save', 'Mine'],
          [1, 'save', 'Subway fares rise in March'],
        ],
      );
      assert.equal((await getStory(deps, id))?.content.headline, 'Mine');
    });

    it('moves a story through review, back, and to its minute exactly once', async () => {
      const { id } = await createStory(deps, reporter, storyContent());
      await submitStory(deps, reporter, id);
      await sendBack(deps, editor, id, 'Add the fare table');
      assert.equal((await getStory(deps, id))?.status, 'draft');
      await submitStory(deps, reporter, id);
      const minute = new Date('2026-12-07T09:05:00Z');
      await scheduleStory(deps, editor, id, minute);
      assert.deepEqual(await publishDue(deps), []);
      clock.advance(5 * 60);
      const published = await publishDue(deps);
      assert.deepEqual(
        published.map((p) => p.id),
        [id],
      );
      assert.deepEqual(await publishDue(deps), []);
      const story = await getStory(deps, id);
      assert.ok(story);
      assert.equal(story.status, 'published');
      assert.match(story.path ?? '', /^\/2026\/12\/07\/national\/story-/);
    });

    it('refuses to publish under embargo, whoever asks', async () => {
      const { id } = await createStory(deps, editor, storyContent());
      await setEmbargo(deps, editor, id, new Date(clock.now.getTime() + 3_600_000));
      await assert.rejects(publishNow(deps, editor, id), { code: 'STORY_EMBARGOED' });
      await assert.rejects(
        scheduleStory(
          deps,
          editor,
          id,
          new Date(Math.ceil(clock.now.getTime() / 60_000) * 60_000 + 60_000),
        ),
        { code: 'STORY_EMBARGOED' },
      );
      assert.equal((await getStory(deps, id))?.status, 'draft');
    });

    it('revises a published story without unpublishing it', async () => {
      const { id } = await createStory(deps, reporter, storyContent({ headline: 'First' }));
      await publishNow(deps, editor, id);
      const saved = await saveStory(deps, reporter, id, 1, storyContent({ headline: 'Second' }));
      assert.equal(saved.kind, 'saved');
      let story = await getStory(deps, id);
      assert.ok(story);
      assert.equal(story.status, 'published');
      assert.equal(story.liveRevision, 1);
      await submitStory(deps, reporter, id);
      story = await getStory(deps, id);
      assert.ok(story);
      assert.equal(story.pendingReview, true);
      await publishNow(deps, editor, id);
      story = await getStory(deps, id);
      assert.ok(story);
      assert.equal(story.liveRevision, 2);
      assert.equal(story.pendingReview, false);
      assert.ok(story.updatedAt, 'an approved revision of a published story shows Updated');
    });
  });
}
