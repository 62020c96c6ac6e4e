import {
  insertDraftArticle,
  listBylineChoices,
  listSectionChoices,
  listTranslationChoices,
  slugTaken,
  type SectionChoice,
} from '../articles/article-row.service.js';
import { AppError } from '../http/app-error.js';
import type { Language } from '../lib/language.js';
import {
  type NewsroomDeps,
  loadStory,
  requireStory,
  allow,
  rowInput,
  revisionWrite,
  ensureBaseline,
  noteBody,
  isFresh,
  personName,
} from './story-store.js';
import * as q from './newsroom.queries.js';
import { type Story, type StoryActor, type StoryContent } from './story.js';

export * from './newsroom-workflow.service.js';
export * from './newsroom-presence.service.js';
export * from './newsroom-stories.service.js';
export * from './newsroom-preview.service.js';
export { LOCK_FRESH_SECONDS, NOTE_MAX_CHARACTERS, type NewsroomDeps } from './story-store.js';

/**
 * The newsroom's use cases: stories created, saved as revisions, noted, and the revisions
 * read; the workflow, presence, the list and previews are in the `newsroom-*.service.ts` beside
 * it, and reach other modules through here.
 */

export function getStory(deps: Pick<NewsroomDeps, 'db'>, id: string): Promise<Story | undefined> {
  return loadStory(deps.db, id);
}

export function sectionChoices(deps: Pick<NewsroomDeps, 'db'>): Promise<SectionChoice[]> {
  return listSectionChoices(deps.db);
}

/** The people a byline may name, for the editor's suggestions. */
export function bylineChoices(
  deps: Pick<NewsroomDeps, 'db'>,
): Promise<{ name: string; email: string | null }[]> {
  return listBylineChoices(deps.db);
}

/** How many stories of the other edition the editor offers as a translation. */
const TRANSLATION_CHOICES = 200;

export function translationChoices(
  deps: Pick<NewsroomDeps, 'db'>,
  language: Language,
): Promise<{ id: string; headline: string }[]> {
  return listTranslationChoices(deps.db, language, TRANSLATION_CHOICES);
}

/** Whether the story's slug is used by another article of its edition (publication would fail). */
export function isSlugTaken(deps: Pick<NewsroomDeps, 'db'>, story: Story): Promise<boolean> {
  return slugTaken(deps.db, story.content.language, story.content.slug, story.id);
}

/**
 * A slug free in the story's edition: the one made from the headline, or the same with -2, -3…
 * (a slug the writer typed themselves is theirs to change, and is refused when taken instead).
 */
async function freeSlug(db: q.Db, content: StoryContent): Promise<string> {
  for (let n = 1; n < 1_000; n += 1) {
    const suffix = n === 1 ? '' : `-${String(n)}`;
    const slug = `${content.slug.slice(0, 80 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!(await slugTaken(db, content.language, slug, null))) return slug;
  }
  throw new AppError('ARTICLE_SLUG_TAKEN', `No free slug for ${content.slug}`);
}

/** Starts a story: a draft row (no address yet) and its first revision. */
export async function createStory(
  deps: NewsroomDeps,
  actor: StoryActor,
  given: StoryContent,
  options: { slugGiven?: boolean } = {},
): Promise<{ id: string; revision: number }> {
  const now = deps.clock();
  const id = await deps.db.transaction().execute(async (trx) => {
    const content = options.slugGiven ? given : { ...given, slug: await freeSlug(trx, given) };
    const id = await insertDraftArticle(trx, rowInput(content), now);
    await q.setCreatedBy(trx, id, actor.accountId);
    await q.insertRevision(
      trx,
      revisionWrite(id, 1, content, {
        basedOn: null,
        reason: 'save',
        accountId: actor.accountId,
        now,
      }),
    );
    await q.setHeadRevision(trx, id, 1, now);
    return id;
  });
  return { id, revision: 1 };
}

export type SaveOutcome =
  | { kind: 'saved'; revision: number; savedAt: Date; slugTaken: boolean }
  /** Based on an older revision: the text is kept as revision `kept`; the head is `head`. */
  | { kind: 'conflict'; kept: number; head: number }
  /** Someone else holds the editor (`takenOver`: an editor took it from this writer). */
  | { kind: 'locked'; kept: number; holder: string; takenOver: boolean };

/**
 * Saves a new revision of a story, based on the revision the writer had. A save based on an
 * older one is a conflict: nothing is overwritten, and the text is kept as a revision of its
 * own, so both texts survive. Time plays no part (an idle hour raises no false alarm): only
 * revision numbers do.
 */
export async function saveStory(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  base: number,
  content: StoryContent,
  reason: 'save' | 'restore' = 'save',
): Promise<SaveOutcome> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, reason === 'restore' ? 'restore_revision' : 'edit', story);
    const baseline = story.headRevision;
    const head = await ensureBaseline(trx, story, now);
    // A story that had no revision was edited from its row: revision 0 is that baseline.
    const basedOn = baseline === 0 && base === 0 ? head : base;
    const keep = async (): Promise<number> => {
      const number = await q.nextRevisionNumber(trx, id);
      await q.insertRevision(
        trx,
        revisionWrite(id, number, content, {
          basedOn,
          reason: 'conflict',
          accountId: actor.accountId,
          now,
        }),
      );
      return number;
    };
    const lock = await q.findLock(trx, id);
    if (lock && lock.account_id !== actor.accountId && isFresh(lock.seen_at, now)) {
      return {
        kind: 'locked',
        kept: await keep(),
        holder: personName(lock.holder_name, lock.holder_email),
        takenOver: lock.taken_from === actor.accountId,
      };
    }
    if (basedOn !== head) return { kind: 'conflict', kept: await keep(), head };
    const number = await q.nextRevisionNumber(trx, id);
    await q.insertRevision(
      trx,
      revisionWrite(id, number, content, { basedOn, reason, accountId: actor.accountId, now }),
    );
    await q.setHeadRevision(trx, id, number, now);
    if (lock?.account_id === actor.accountId) await q.touchLock(trx, id, now);
    return {
      kind: 'saved',
      revision: number,
      savedAt: now,
      slugTaken: await slugTaken(trx, content.language, content.slug, id),
    };
  });
}

/** Restoring an old revision saves its content again as the newest one; nothing is removed. */
export async function restoreRevision(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  number: number,
  base: number,
): Promise<SaveOutcome> {
  const revision = await q.findRevision(deps.db, id, number);
  if (!revision) throw new AppError('NOT_FOUND', `No revision ${number} of story ${id}`);
  return saveStory(deps, actor, id, base, revision.content as StoryContent, 'restore');
}

export async function addNote(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  note: string,
): Promise<void> {
  const body = noteBody(note);
  const story = await requireStory(deps.db, id);
  allow(actor, 'note', story);
  await q.insertNote(deps.db, {
    articleId: id,
    accountId: actor.accountId,
    kind: 'note',
    body,
    at: deps.clock(),
  });
}

export type StoryNote = {
  id: string;
  kind: 'note' | 'sent_back';
  body: string;
  author: string;
  createdAt: Date;
};

export async function listNotes(deps: Pick<NewsroomDeps, 'db'>, id: string): Promise<StoryNote[]> {
  const rows = await q.listNotes(deps.db, id);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    body: row.body,
    author: personName(row.display_name, row.staff_email),
    createdAt: row.created_at,
  }));
}

export type RevisionSummary = {
  number: number;
  basedOn: number | null;
  reason: 'baseline' | 'save' | 'conflict' | 'restore';
  headline: string;
  author: string;
  createdAt: Date;
};

export type Revision = RevisionSummary & { content: StoryContent };

export async function listRevisions(
  deps: Pick<NewsroomDeps, 'db'>,
  id: string,
): Promise<RevisionSummary[]> {
  const rows = await q.listRevisions(deps.db, id);
  return rows.map((row) => ({
    number: row.number,
    basedOn: row.based_on,
    reason: row.reason,
    headline: row.headline,
    author: personName(row.display_name, row.staff_email),
    createdAt: row.created_at,
  }));
}

export async function getRevision(
  deps: Pick<NewsroomDeps, 'db'>,
  id: string,
  number: number,
): Promise<Revision | undefined> {
  const row = await q.findRevision(deps.db, id, number);
  if (!row) return undefined;
  return {
    number: row.number,
    basedOn: row.based_on,
    reason: row.reason,
    headline: row.headline,
    author: personName(row.display_name, row.staff_email),
    createdAt: row.created_at,
    content: row.content as StoryContent,
  };
}
