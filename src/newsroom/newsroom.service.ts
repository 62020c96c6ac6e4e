import { createHmac } from 'node:crypto';
import { hostname } from 'node:os';
import type { ArticleBody } from '../articles/article-body.js';
import { articlePath, type Article, type ArticleStatus } from '../articles/article.js';
import {
  insertDraftArticle,
  listBylineChoices,
  listSectionChoices,
  listTranslationChoices,
  previewArticle,
  setArticleStatus,
  slugTaken,
  writeLiveArticle,
  type ArticleRowInput,
  type SectionChoice,
} from '../articles/article-row.service.js';
import { addCorrection, isCorrectionKind } from '../articles/articles.service.js';
import { findOrCreateMeta } from '../db/db-meta.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import type { ContentChange } from '../lib/content-change.js';
import type { Language } from '../lib/language.js';
import { randomToken, sameSecret } from '../lib/tokens.js';
import { visibleLengthProblem } from '../lib/visible-text.js';
import { bodyToDocument, documentToBody } from './editor-document.js';
import * as q from './newsroom.queries.js';
import {
  LATE_AFTER_SECONDS,
  may,
  type Story,
  type StoryAction,
  type StoryActor,
  type StoryContent,
} from './story.js';

/** The newsroom's use cases: stories created, saved, moved through the workflow, published. */

export type NewsroomDeps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'contentChanged' | 'log'>;

/** A holder of the editor not seen for this long has left (the page says it is here every 20 s). */
export const LOCK_FRESH_SECONDS = 60;
export const NOTE_MAX_CHARACTERS = 2_000;

// ---------------------------------------------------------------------------------------------
// Reading

function contentFromRow(row: q.StoryRow): StoryContent {
  return {
    language: row.language,
    slug: row.slug,
    headline: row.headline,
    summary: row.summary,
    // Our own writes put it there, always as the stored body.
    body: bodyToDocument(row.body as ArticleBody),
    section: row.section_slug,
    tags: row.tags,
    bylines: row.bylines.map((b) => ({ name: b.name, email: b.email })),
    credit: row.credit_line ?? '',
    translationId: row.translation_id,
    image: row.image_src
      ? {
          src: row.image_src,
          alt: row.image_alt ?? '',
          ...(row.image_caption ? { caption: row.image_caption } : {}),
          ...(row.image_credit ? { credit: row.image_credit } : {}),
        }
      : null,
  };
}

async function revisionContent(db: q.Db, id: string, number: number): Promise<StoryContent> {
  const revision = await q.findRevision(db, id, number);
  if (!revision) throw new Error(`story ${id} has no revision ${number}`);
  // Written only by this module, from validated content.
  return revision.content as StoryContent;
}

function toStory(row: q.StoryRow, content: StoryContent): Story {
  return {
    id: row.id,
    status: row.status,
    pendingReview: row.pending_review,
    headRevision: row.head_revision,
    liveRevision: row.live_revision,
    content,
    createdBy: row.created_by,
    path: row.path,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    scheduledFor: row.scheduled_for,
    embargoUntil: row.embargo_until,
    modifiedAt: row.modified_at,
  };
}

async function loadStory(db: q.Db, id: string, lock = false): Promise<Story | undefined> {
  const row = await q.findStoryRow(db, id, lock);
  if (!row) return undefined;
  const content =
    row.head_revision > 0 ? await revisionContent(db, id, row.head_revision) : contentFromRow(row);
  return toStory(row, content);
}

export function getStory(deps: Pick<NewsroomDeps, 'db'>, id: string): Promise<Story | undefined> {
  return loadStory(deps.db, id);
}

async function requireStory(db: q.Db, id: string, lock = false): Promise<Story> {
  const story = await loadStory(db, id, lock);
  if (!story) throw new AppError('NOT_FOUND', `No story ${id}`);
  return story;
}

function allow(actor: StoryActor, action: StoryAction, story: Pick<Story, 'createdBy'>): void {
  if (!may(actor, action, story)) {
    throw new AppError('STORY_NOT_ALLOWED', `A ${actor.role} may not ${action} this story`);
  }
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

// ---------------------------------------------------------------------------------------------
// Writing

/** The stored body of a content (its document was validated when it was saved). */
function rowInput(content: StoryContent): ArticleRowInput {
  const converted = documentToBody(content.body);
  if (!converted.ok) throw new AppError('STORY_DOCUMENT_INVALID', converted.problem.detail);
  return {
    language: content.language,
    slug: content.slug,
    headline: content.headline,
    summary: content.summary,
    body: converted.body,
    section: content.section,
    tags: content.tags,
    authors: content.bylines.map((b) =>
      b.email ? { name: b.name, email: b.email } : { name: b.name },
    ),
    credit: content.credit.trim() === '' ? null : content.credit,
    image: content.image,
    translationId: content.translationId,
  };
}

function revisionWrite(
  id: string,
  number: number,
  content: StoryContent,
  at: {
    basedOn: number | null;
    reason: 'baseline' | 'save' | 'conflict' | 'restore';
    accountId: string | null;
    now: Date;
  },
) {
  return {
    articleId: id,
    number,
    basedOn: at.basedOn,
    reason: at.reason,
    accountId: at.accountId,
    headline: content.headline,
    contentJson: JSON.stringify(content),
    at: at.now,
  };
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

/**
 * A story saved before the newsroom had revisions (an import) gets its row as revision 1, so
 * what came before the first newsroom save is kept and can be compared and restored.
 */
async function ensureBaseline(trx: q.Db, story: Story, now: Date): Promise<number> {
  if (story.headRevision > 0) return story.headRevision;
  await q.insertRevision(
    trx,
    revisionWrite(story.id, 1, story.content, {
      basedOn: null,
      reason: 'baseline',
      accountId: null,
      now,
    }),
  );
  await q.setHeadRevision(trx, story.id, 1, now);
  return 1;
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

function refuseMove(story: Story, action: StoryAction): never {
  throw new AppError(
    'STORY_TRANSITION_REFUSED',
    `A story ${story.status}${story.pendingReview ? ' (revision in review)' : ''} cannot ${action}`,
  );
}

/** A reporter hands a story to the editors: a draft goes to review; a published one's revision waits for approval. */
export async function submitStory(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'submit', story);
    if (story.status === 'draft') {
      await ensureBaseline(trx, story, now);
      if (!(await q.moveStatus(trx, id, ['draft'], 'in_review', { now })))
        refuseMove(story, 'submit');
      return;
    }
    if (
      story.status === 'published' &&
      story.headRevision !== story.liveRevision &&
      !story.pendingReview
    ) {
      await q.setPendingReview(trx, id, true, now);
      return;
    }
    refuseMove(story, 'submit');
  });
}

function noteBody(raw: string): string {
  const body = raw.trim();
  // Bounded by the limit, not the input (docs/SECURITY.md, item 27): a note too long to pass is
  // refused before it is counted.
  const problem = visibleLengthProblem(body, NOTE_MAX_CHARACTERS);
  if (body === '' || problem !== null) {
    throw new AppError('STORY_NOTE_INVALID', `A note of ${body.length} code units: ${problem}`);
  }
  return body;
}

/** An editor returns a story to its writer with a note saying why. */
export async function sendBack(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  note: string,
): Promise<void> {
  const body = noteBody(note);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'send_back', story);
    if (story.status === 'in_review') {
      if (!(await q.moveStatus(trx, id, ['in_review'], 'draft', { now })))
        refuseMove(story, 'send_back');
    } else if (story.status === 'published' && story.pendingReview) {
      await q.setPendingReview(trx, id, false, now);
    } else {
      refuseMove(story, 'send_back');
    }
    await q.insertNote(trx, {
      articleId: id,
      accountId: actor.accountId,
      kind: 'sent_back',
      body,
      at: now,
    });
  });
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

/** A dated public correction or clarification on a published story (an editor's, on record). */
export async function correctStory(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  note: { kind: string; body: string },
): Promise<void> {
  const story = await requireStory(deps.db, id);
  allow(actor, 'correct', story);
  if (!isCorrectionKind(note.kind)) throw new AppError('CORRECTION_INVALID', `kind ${note.kind}`);
  await addCorrection(deps, {
    articleId: id,
    kind: note.kind,
    body: note.body,
    accountId: actor.accountId,
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

const PUBLISHABLE: readonly ArticleStatus[] = [
  'draft',
  'in_review',
  'scheduled',
  'unpublished',
  'archived',
  'published',
];

/**
 * Puts a revision live inside the caller's transaction: the conditional update that claims the
 * publication (status, embargo), the row readers see, and the record of it. Gives the change to
 * announce, or null when the story was not in a state to go live (someone else was first, or
 * the embargo holds).
 */
async function publishRevision(
  deps: NewsroomDeps,
  trx: q.Db,
  story: Story,
  revision: number,
  by: {
    accountId: string | null;
    dueAt: Date | null;
    process: string;
    from: readonly ArticleStatus[];
    minor: boolean;
  },
  now: Date,
): Promise<ContentChange | null> {
  const firstTime = story.publishedAt === null;
  const publishedAt = story.publishedAt ?? now;
  const content =
    revision === story.headRevision
      ? story.content
      : await revisionContent(trx, story.id, revision);
  const path = articlePath(
    { language: content.language, publishedAt, sectionSlug: content.section, slug: content.slug },
    deps.config.timeZone,
  );
  const claimed = await q.claimPublication(trx, story.id, by.from, {
    now,
    liveRevision: revision,
    publishedAt,
    path,
  });
  if (!claimed) return null;
  // A story published before shows when it was updated, unless the change is a silent fix.
  const updatedAt = firstTime || by.minor ? story.updatedAt : now;
  const { change } = await writeLiveArticle(
    trx,
    deps.config.timeZone,
    story.id,
    rowInput(content),
    { publishedAt, updatedAt, now, previousPath: story.path },
  );
  await q.insertPublication(trx, {
    articleId: story.id,
    revision,
    accountId: by.accountId,
    dueAt: by.dueAt,
    publishedAt: now,
    process: by.process,
  });
  await q.notifyContentChanged(trx, change);
  return change;
}

function assertNoEmbargo(story: Story, now: Date): void {
  if (story.embargoUntil && story.embargoUntil > now) {
    throw new AppError(
      'STORY_EMBARGOED',
      `Story ${story.id} is under embargo until ${story.embargoUntil.toISOString()}`,
    );
  }
}

/**
 * An editor publishes the newest revision now: a first publication, a return from being
 * unpublished, or the approval of a published story's revision (readers saw the approved
 * version until this moment). `minor`: a silent fix that does not show "Updated".
 */
export async function publishNow(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  options: { minor?: boolean; process?: string } = {},
): Promise<void> {
  const now = deps.clock();
  const change = await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'publish', story);
    assertNoEmbargo(story, now);
    if (story.status === 'published' && story.headRevision === story.liveRevision) {
      refuseMove(story, 'publish');
    }
    const revision = await ensureBaseline(trx, story, now);
    const change = await publishRevision(
      deps,
      trx,
      { ...story, headRevision: revision },
      revision,
      {
        accountId: actor.accountId,
        dueAt: null,
        process: options.process ?? processName(),
        from: PUBLISHABLE,
        minor: options.minor ?? false,
      },
      now,
    );
    if (!change) refuseMove(story, 'publish');
    return change;
  });
  deps.contentChanged(change);
}

/** Whole minutes only: a schedule says "17:25", and the scheduler wakes on each minute. */
export async function scheduleStory(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  at: Date,
): Promise<void> {
  const now = deps.clock();
  if (at.getTime() % 60_000 !== 0 || at <= now) {
    throw new AppError('STORY_SCHEDULE_INVALID', `Cannot schedule for ${at.toISOString()}`);
  }
  await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'schedule', story);
    if (story.embargoUntil && story.embargoUntil > at) {
      throw new AppError('STORY_EMBARGOED', `The embargo ends after ${at.toISOString()}`);
    }
    const revision = await ensureBaseline(trx, story, now);
    const moved = await q.moveStatus(
      trx,
      id,
      ['draft', 'in_review', 'unpublished', 'scheduled'],
      'scheduled',
      {
        now,
        scheduledFor: at,
        scheduledRevision: revision,
      },
    );
    if (!moved) refuseMove(story, 'schedule');
  });
}

export async function unscheduleStory(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'unschedule', story);
    const back = story.publishedAt ? 'unpublished' : 'draft';
    const moved = await q.moveStatus(trx, id, ['scheduled'], back, {
      now,
      scheduledFor: null,
      scheduledRevision: null,
    });
    if (!moved) refuseMove(story, 'unschedule');
  });
}

async function takeDown(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  action: 'unpublish' | 'archive',
): Promise<void> {
  const now = deps.clock();
  const change = await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, action, story);
    const to = action === 'unpublish' ? 'unpublished' : 'archived';
    const from: ArticleStatus[] =
      action === 'unpublish' ? ['published'] : ['published', 'unpublished'];
    if (!(await q.moveStatus(trx, id, from, to, { now, pendingReview: false })))
      refuseMove(story, action);
    const change = await setArticleStatus(trx, id, to, now);
    await q.notifyContentChanged(trx, change);
    return change;
  });
  deps.contentChanged(change);
}

/** Takes a published story down for now: its address answers 404 until it is published again. */
export function unpublishStory(deps: NewsroomDeps, actor: StoryActor, id: string): Promise<void> {
  return takeDown(deps, actor, id, 'unpublish');
}

/** Withdraws a story for good: its address answers 410 Gone. */
export function archiveStory(deps: NewsroomDeps, actor: StoryActor, id: string): Promise<void> {
  return takeDown(deps, actor, id, 'archive');
}

/** Sets or lifts an embargo; a scheduled story due before the new embargo is refused. */
export async function setEmbargo(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
  until: Date | null,
): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'embargo', story);
    if (until && story.status === 'published') refuseMove(story, 'embargo');
    if (until && story.status === 'scheduled' && story.scheduledFor && story.scheduledFor < until) {
      throw new AppError('STORY_EMBARGOED', 'The story is scheduled before the embargo ends');
    }
    await q.setEmbargo(trx, id, until, now);
  });
}

// ---------------------------------------------------------------------------------------------
// The scheduler's step

let processLabel: string | undefined;

/** Names this process in the publication record (host and pid), so lateness can be told apart. */
export function processName(): string {
  processLabel ??= `${hostname()}:${process.pid}`;
  return processLabel;
}

export type Publication = {
  id: string;
  dueAt: Date;
  publishedAt: Date;
  lateSeconds: number;
};

/**
 * Publishes every scheduled story that is due, one transaction each: the row is locked with
 * SKIP LOCKED (another process publishing it is skipped, never waited for) and the publication
 * is the one conditional update in the transaction that records it, so a story goes live once
 * however many processes drain at the same minute. A story that fails (its slug taken since it
 * was scheduled) stays scheduled, is logged, and shows as late in the newsroom.
 */
export async function publishDue(
  deps: NewsroomDeps,
  options: { process?: string; limit?: number } = {},
): Promise<Publication[]> {
  const published: Publication[] = [];
  const failed = new Set<string>();
  const limit = options.limit ?? 100;
  for (let round = 0; round < limit; round += 1) {
    const now = deps.clock();
    let outcome: { publication: Publication; change: ContentChange } | 'none' | 'skipped';
    // The story this round took, to blame if its transaction throws: a fresh query after the
    // rollback could find another one (this one now locked by another process) instead.
    const attempt: { taken?: string } = {};
    try {
      outcome = await deps.db.transaction().execute(async (trx) => {
        const due = (await q.claimDueStories(trx, now, failed.size + 1)).find(
          (row) => !failed.has(row.id),
        );
        if (!due || due.scheduled_for === null || due.scheduled_revision === null) return 'none';
        attempt.taken = due.id;
        if (due.embargo_until && due.embargo_until > now) {
          failed.add(due.id);
          return 'skipped';
        }
        const story = await requireStory(trx, due.id);
        const change = await publishRevision(
          deps,
          trx,
          story,
          due.scheduled_revision,
          {
            accountId: null,
            dueAt: due.scheduled_for,
            process: options.process ?? processName(),
            from: ['scheduled'],
            minor: false,
          },
          now,
        );
        if (!change) {
          failed.add(due.id);
          return 'skipped';
        }
        return {
          publication: {
            id: due.id,
            dueAt: due.scheduled_for,
            publishedAt: now,
            lateSeconds: (now.getTime() - due.scheduled_for.getTime()) / 1000,
          },
          change,
        };
      });
    } catch (error) {
      // The story is named by the failure's log line; the next due one is tried.
      if (attempt.taken === undefined) throw error;
      failed.add(attempt.taken);
      deps.log.error(
        { err: error, story: attempt.taken },
        'a scheduled story could not be published',
      );
      continue;
    }
    if (outcome === 'none') break;
    if (outcome === 'skipped') continue;
    published.push(outcome.publication);
    deps.contentChanged(outcome.change);
    if (outcome.publication.lateSeconds > LATE_AFTER_SECONDS) {
      deps.log.warn(
        { story: outcome.publication.id, lateSeconds: outcome.publication.lateSeconds },
        'a scheduled story went live late',
      );
    }
  }
  return published;
}

// ---------------------------------------------------------------------------------------------
// Who is editing

function isFresh(seenAt: Date, now: Date): boolean {
  return now.getTime() - seenAt.getTime() < LOCK_FRESH_SECONDS * 1000;
}

function personName(name: string | null, email: string | null): string {
  return name ?? email ?? '—';
}

export type Presence = {
  /** Null: nobody holds the story, and this person may only read it. */
  holder: { accountId: string; name: string; since: Date; you: boolean } | null;
  /** Set when an editor took the story from this person. */
  takenFromYou: boolean;
};

/**
 * The page says it is still open. The first to open a story holds it; others see who and
 * since when, read-only, until the holder leaves (not seen for a minute) or an editor takes
 * the story over.
 */
export async function heartbeat(
  deps: NewsroomDeps,
  actor: StoryActor,
  id: string,
): Promise<Presence> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'view', story);
    const lock = await q.findLock(trx, id);
    if (lock && lock.account_id !== actor.accountId && isFresh(lock.seen_at, now)) {
      return {
        holder: {
          accountId: lock.account_id,
          name: personName(lock.holder_name, lock.holder_email),
          since: lock.since,
          you: false,
        },
        takenFromYou: lock.taken_from === actor.accountId,
      };
    }
    if (!may(actor, 'edit', story)) {
      // Someone who may only read the story sees who edits it, and holds nothing.
      const holder = lock && isFresh(lock.seen_at, now) ? lock : undefined;
      return {
        holder: holder
          ? {
              accountId: holder.account_id,
              name: personName(holder.holder_name, holder.holder_email),
              since: holder.since,
              you: false,
            }
          : null,
        takenFromYou: false,
      };
    }
    const mine = lock?.account_id === actor.accountId && isFresh(lock.seen_at, now);
    const since = mine ? lock.since : now;
    await q.putLock(trx, {
      articleId: id,
      accountId: actor.accountId,
      since,
      seenAt: now,
      takenFrom: mine ? lock.taken_from : null,
    });
    const me = await q.accountName(trx, actor.accountId);
    return {
      holder: {
        accountId: actor.accountId,
        name: personName(me?.display_name ?? null, me?.staff_email ?? null),
        since,
        you: true,
      },
      takenFromYou: false,
    };
  });
}

/** Who holds the editor now, as the story's page shows it (null: nobody, or gone quiet). */
export async function currentLock(
  deps: Pick<NewsroomDeps, 'db' | 'clock'>,
  actor: StoryActor,
  id: string,
): Promise<{ name: string; since: Date; you: boolean; takenFromYou: boolean } | null> {
  const lock = await q.findLock(deps.db, id);
  if (!lock || !isFresh(lock.seen_at, deps.clock())) return null;
  const you = lock.account_id === actor.accountId;
  return {
    name: personName(lock.holder_name, lock.holder_email),
    since: lock.since,
    you,
    takenFromYou: !you && lock.taken_from === actor.accountId,
  };
}

/** An editor takes the story over; the person displaced is told on their next word. */
export async function takeOver(deps: NewsroomDeps, actor: StoryActor, id: string): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const story = await requireStory(trx, id, true);
    allow(actor, 'take_over', story);
    const lock = await q.findLock(trx, id);
    await q.putLock(trx, {
      articleId: id,
      accountId: actor.accountId,
      since: now,
      seenAt: now,
      takenFrom: lock && lock.account_id !== actor.accountId ? lock.account_id : null,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Revisions

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

// ---------------------------------------------------------------------------------------------
// The newsroom's list

export type StoryListItem = {
  id: string;
  language: StoryContent['language'];
  headline: string;
  status: ArticleStatus;
  pendingReview: boolean;
  unpublishedChanges: boolean;
  section: { slug: string; nameEn: string; nameKo: string };
  bylines: string[];
  owner: string | null;
  path: string | null;
  scheduledFor: Date | null;
  embargoUntil: Date | null;
  publishedAt: Date | null;
  modifiedAt: Date;
  late: boolean;
};

export type StoryCounts = Record<ArticleStatus, number> & { pendingReview: number };

export type StoryListView = {
  stories: StoryListItem[];
  counts: StoryCounts;
  /** Scheduled stories past their minute by more than LATE_AFTER_SECONDS: flagged first. */
  late: { id: string; headline: string; scheduledFor: Date; embargoed: boolean }[];
  hasMore: boolean;
};

export type StoryListFilter = Omit<
  q.StoryFilter,
  'limit' | 'offset' | 'createdBy' | 'needsReview'
> & {
  mine?: boolean;
  needsReview?: boolean;
  page: number;
};

export const STORIES_PER_PAGE = 50;

export async function listStories(
  deps: Pick<NewsroomDeps, 'db' | 'clock'>,
  actor: StoryActor,
  filter: StoryListFilter,
): Promise<StoryListView> {
  const now = deps.clock();
  const lateBefore = new Date(now.getTime() - LATE_AFTER_SECONDS * 1000);
  const [rows, counts, late] = await Promise.all([
    q.listStories(deps.db, {
      ...filter,
      ...(filter.mine ? { createdBy: actor.accountId } : {}),
      needsReview: filter.needsReview,
      limit: STORIES_PER_PAGE + 1,
      offset: (filter.page - 1) * STORIES_PER_PAGE,
    }),
    q.countStories(deps.db),
    q.listLateStories(deps.db, lateBefore),
  ]);
  const byStatus = Object.fromEntries(
    counts.byStatus.map((row) => [row.status, Number(row.count)]),
  );
  return {
    stories: rows.slice(0, STORIES_PER_PAGE).map((row) => ({
      id: row.id,
      language: row.language,
      headline: row.headline,
      status: row.status,
      pendingReview: row.pending_review,
      unpublishedChanges: row.live_revision !== null && row.head_revision !== row.live_revision,
      section: { slug: row.section_slug, nameEn: row.section_name_en, nameKo: row.section_name_ko },
      bylines: row.bylines.map((b) => b.name),
      owner: row.owner_name,
      path: row.path,
      scheduledFor: row.scheduled_for,
      embargoUntil: row.embargo_until,
      publishedAt: row.published_at,
      modifiedAt: row.modified_at,
      late:
        row.status === 'scheduled' && row.scheduled_for !== null && row.scheduled_for < lateBefore,
    })),
    counts: {
      draft: byStatus.draft ?? 0,
      in_review: byStatus.in_review ?? 0,
      scheduled: byStatus.scheduled ?? 0,
      published: byStatus.published ?? 0,
      unpublished: byStatus.unpublished ?? 0,
      archived: byStatus.archived ?? 0,
      pendingReview: counts.pendingReview,
    },
    late: late.flatMap((row) =>
      row.scheduled_for
        ? [
            {
              id: row.id,
              headline: row.headline,
              scheduledFor: row.scheduled_for,
              embargoed: row.embargo_until !== null && row.embargo_until > now,
            },
          ]
        : [],
    ),
    hasMore: rows.length > STORIES_PER_PAGE,
  };
}

// ---------------------------------------------------------------------------------------------
// Preview

/** The story's newest revision as readers would see it once published. */
export async function previewStory(
  deps: Pick<NewsroomDeps, 'db' | 'clock' | 'config'>,
  id: string,
): Promise<Article | undefined> {
  const story = await loadStory(deps.db, id);
  if (!story) return undefined;
  const now = deps.clock();
  return previewArticle(deps.db, id, rowInput(story.content), {
    publishedAt: story.publishedAt ?? story.scheduledFor ?? now,
    updatedAt: story.publishedAt ? now : null,
    timeZone: deps.config.timeZone,
  });
}

/** A preview link lives this long: long enough to send to a source for a fact check. */
export const PREVIEW_LINK_SECONDS = 48 * 3_600;

async function previewKey(db: q.Db): Promise<string> {
  return findOrCreateMeta(db, 'preview_key', () => randomToken());
}

function previewSignature(key: string, id: string, expires: number): string {
  return createHmac('sha256', key).update(`preview:${id}:${expires}`).digest('base64url');
}

/** A link anyone may open until it expires, showing the story's newest revision. */
export async function signPreviewLink(
  deps: Pick<NewsroomDeps, 'db' | 'clock'>,
  id: string,
): Promise<{ id: string; expires: number; signature: string }> {
  const expires = Math.floor(deps.clock().getTime() / 1000) + PREVIEW_LINK_SECONDS;
  return { id, expires, signature: previewSignature(await previewKey(deps.db), id, expires) };
}

export async function checkPreviewLink(
  deps: Pick<NewsroomDeps, 'db' | 'clock'>,
  link: { id: string; expires: number; signature: string },
): Promise<boolean> {
  if (link.expires * 1000 <= deps.clock().getTime()) return false;
  const expected = previewSignature(await previewKey(deps.db), link.id, link.expires);
  return sameSecret(expected, link.signature);
}
