import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testClock } from '../accounts/accounts.testing.js';
import type { ArticleStatus } from '../articles/article.js';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testDeps } from '../db/db-test.js';
import type { AppDeps } from '../deps.js';
import * as newsroom from './newsroom.service.js';
import { ensureSections, staffAccount, storyContent } from './newsroom.testing.js';
import type { StoryActor } from './story.js';

/**
 * The workflow as a table: who may move a story from which state, and what happens to the
 * others. Each row starts a fresh story (written by reporter A), puts it in its state, then
 * asks as the row's person. A refusal leaves the status as it was.
 */

type Who = 'owner' | 'other reporter' | 'editor' | 'admin';
type Start = ArticleStatus | 'published with changes';
type Action =
  | 'save'
  | 'submit'
  | 'send back'
  | 'publish'
  | 'schedule'
  | 'unschedule'
  | 'unpublish'
  | 'archive'
  | 'embargo'
  | 'take over'
  | 'note'
  | 'correct';

/** The status after, `same`, or the refusal's code (without its STORY_ prefix). */
type Row = [
  Who,
  Action,
  Start,
  (
    | ArticleStatus
    | 'same'
    | 'NOT_ALLOWED'
    | 'TRANSITION_REFUSED'
    | 'EMBARGOED'
    | 'CORRECTION_NOT_PUBLISHED'
  ),
];

const EVERY_START: readonly Start[] = [
  'draft',
  'in_review',
  'scheduled',
  'published',
  'published with changes',
  'unpublished',
  'archived',
];

/** What an editor (and an admin, the same) gets for each action from each state. */
const EDITOR: Record<Action, Partial<Record<Start, Row[3]>>> = {
  save: Object.fromEntries(EVERY_START.map((s) => [s, 'same'])),
  submit: { draft: 'in_review', 'published with changes': 'published' },
  'send back': { in_review: 'draft' },
  publish: {
    draft: 'published',
    in_review: 'published',
    scheduled: 'published',
    'published with changes': 'published',
    unpublished: 'published',
    archived: 'published',
  },
  schedule: {
    draft: 'scheduled',
    in_review: 'scheduled',
    scheduled: 'scheduled',
    unpublished: 'scheduled',
  },
  unschedule: { scheduled: 'draft' },
  unpublish: { published: 'unpublished', 'published with changes': 'unpublished' },
  archive: { published: 'archived', 'published with changes': 'archived', unpublished: 'archived' },
  // A scheduled story due before the new embargo would go live under it: refused as such.
  embargo: {
    draft: 'same',
    in_review: 'same',
    unpublished: 'same',
    archived: 'same',
    scheduled: 'EMBARGOED',
  },
  'take over': Object.fromEntries(EVERY_START.map((s) => [s, 'same'])),
  note: Object.fromEntries(EVERY_START.map((s) => [s, 'same'])),
  correct: {
    ...Object.fromEntries(EVERY_START.map((s) => [s, 'CORRECTION_NOT_PUBLISHED'])),
    published: 'same',
    'published with changes': 'same',
  },
};

/** A reporter on their own story: write, submit, note; nothing an editor decides. */
const OWNER: Partial<Record<Action, Partial<Record<Start, Row[3]>>>> = {
  save: EDITOR.save,
  submit: EDITOR.submit,
  note: EDITOR.note,
};

/** Another reporter's story: read it and leave a note, nothing else. */
const OTHER: Partial<Record<Action, Partial<Record<Start, Row[3]>>>> = { note: EDITOR.note };

function rows(): Row[] {
  const out: Row[] = [];
  const actions = Object.keys(EDITOR) as Action[];
  for (const [who, table] of [
    ['owner', OWNER],
    ['other reporter', OTHER],
    ['editor', EDITOR],
    ['admin', EDITOR],
  ] as const) {
    for (const action of actions) {
      for (const start of EVERY_START) {
        const allowed = table[action];
        const expected = allowed?.[start];
        if (expected !== undefined) out.push([who, action, start, expected]);
        else if (allowed) out.push([who, action, start, 'TRANSITION_REFUSED']);
        else out.push([who, action, start, 'NOT_ALLOWED']);
      }
    }
  }
  return out;
}

for (const backend of testBackends()) {
  describe(`the newsroom's workflow, role by role (${backend.name})`, () => {
    let handle: DatabaseHandle;
    let deps: AppDeps;
    const clock = testClock(new Date('2026-12-07T09:00:00Z'));
    const people = {} as Record<Who, StoryActor>;

    before(async () => {
      handle = await backend.open();
      deps = testDeps(handle, { clock: clock.clock });
      await ensureSections(handle);
      const make = async (role: StoryActor['role'], name: string): Promise<StoryActor> => ({
        accountId: (await staffAccount(handle, role, name)).id,
        role,
      });
      people.owner = await make('reporter', 'Kim Min-ji');
      people['other reporter'] = await make('reporter', 'Lee Seo-yeon');
      people.editor = await make('editor', 'Park Ji-ho');
      people.admin = await make('admin', 'Choi Dong-hyun');
    });
    after(() => handle.close());

    const nextMinute = () => new Date((Math.floor(clock.now.getTime() / 60_000) + 2) * 60_000);

    /** A story of the owner's, put in a state by the editor. */
    async function storyIn(start: Start): Promise<string> {
      const { owner, editor } = people;
      const { id } = await newsroom.createStory(deps, owner, storyContent());
      switch (start) {
        case 'draft':
          break;
        case 'in_review':
          await newsroom.submitStory(deps, owner, id);
          break;
        case 'scheduled':
          await newsroom.scheduleStory(deps, editor, id, nextMinute());
          break;
        case 'published':
          await newsroom.publishNow(deps, editor, id);
          break;
        case 'published with changes':
          await newsroom.publishNow(deps, editor, id);
          await newsroom.saveStory(deps, owner, id, 1, storyContent({ headline: 'Revised' }));
          break;
        case 'unpublished':
          await newsroom.publishNow(deps, editor, id);
          await newsroom.unpublishStory(deps, editor, id);
          break;
        case 'archived':
          await newsroom.publishNow(deps, editor, id);
          await newsroom.archiveStory(deps, editor, id);
          break;
      }
      return id;
    }

    async function act(action: Action, actor: StoryActor, id: string): Promise<void> {
      const story = await newsroom.getStory(deps, id);
      assert.ok(story);
      switch (action) {
        case 'save': {
          const outcome = await newsroom.saveStory(
            deps,
            actor,
            id,
            story.headRevision,
            story.content,
          );
          assert.equal(outcome.kind, 'saved');
          return;
        }
        case 'submit':
          return newsroom.submitStory(deps, actor, id);
        case 'send back':
          return newsroom.sendBack(deps, actor, id, 'Check the figures');
        case 'publish':
          return newsroom.publishNow(deps, actor, id);
        case 'schedule':
          return newsroom.scheduleStory(deps, actor, id, nextMinute());
        case 'unschedule':
          return newsroom.unscheduleStory(deps, actor, id);
        case 'unpublish':
          return newsroom.unpublishStory(deps, actor, id);
        case 'archive':
          return newsroom.archiveStory(deps, actor, id);
        case 'embargo':
          return newsroom.setEmbargo(deps, actor, id, new Date(clock.now.getTime() + 86_400_000));
        case 'take over':
          return newsroom.takeOver(deps, actor, id);
        case 'note':
          return newsroom.addNote(deps, actor, id, 'A note for the desk');
        case 'correct':
          return newsroom.correctStory(deps, actor, id, {
            kind: 'correction',
            body: 'A date was wrong.',
          });
      }
    }

    it('lets each role make exactly the moves of the table', async () => {
      const wrong: string[] = [];
      for (const [who, action, start, expected] of rows()) {
        const id = await storyIn(start);
        const before = (await newsroom.getStory(deps, id))?.status;
        let outcome: string;
        try {
          await act(action, people[who], id);
          const after = (await newsroom.getStory(deps, id))?.status;
          outcome = after === before && expected === 'same' ? 'same' : String(after);
        } catch (error) {
          const code = (error as { code?: string }).code ?? String(error);
          outcome = code.replace(/^STORY_/, '');
          const after = (await newsroom.getStory(deps, id))?.status;
          if (after !== before)
            wrong.push(`${who} ${action} from ${start}: refused but moved to ${String(after)}`);
        }
        if (outcome !== expected)
          wrong.push(`${who} ${action} from ${start}: ${outcome}, expected ${expected}`);
      }
      assert.deepEqual(wrong, []);
    });
  });
}
