import type { ArticleBody } from '../articles/article-body.js';
import type { ArticleRowInput } from '../articles/article-row.service.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { visibleLengthProblem } from '../lib/visible-text.js';
import { bodyToDocument, documentToBody } from './editor-document.js';
import * as q from './newsroom.queries.js';
import { may, type Story, type StoryAction, type StoryActor, type StoryContent } from './story.js';

/**
 * What the newsroom's use cases share: a story read with its head revision, the role check,
 * the content a revision holds as the row readers see takes it, the first revision of a story
 * that had none. Private to the feature.
 */

export type NewsroomDeps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'contentChanged' | 'log'>;

/** A holder of the editor not seen for this long has left (the page says it is here every 20 s). */
export const LOCK_FRESH_SECONDS = 60;
export const NOTE_MAX_CHARACTERS = 2_000;

export function contentFromRow(row: q.StoryRow): StoryContent {
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

export async function revisionContent(db: q.Db, id: string, number: number): Promise<StoryContent> {
  const revision = await q.findRevision(db, id, number);
  if (!revision) throw new Error(`story ${id} has no revision ${number}`);
  // Written only by this module, from validated content.
  return revision.content as StoryContent;
}

export function toStory(row: q.StoryRow, content: StoryContent): Story {
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

export async function loadStory(db: q.Db, id: string, lock = false): Promise<Story | undefined> {
  const row = await q.findStoryRow(db, id, lock);
  if (!row) return undefined;
  const content =
    row.head_revision > 0 ? await revisionContent(db, id, row.head_revision) : contentFromRow(row);
  return toStory(row, content);
}

export async function requireStory(db: q.Db, id: string, lock = false): Promise<Story> {
  const story = await loadStory(db, id, lock);
  if (!story) throw new AppError('NOT_FOUND', `No story ${id}`);
  return story;
}

export function allow(
  actor: StoryActor,
  action: StoryAction,
  story: Pick<Story, 'createdBy'>,
): void {
  if (!may(actor, action, story)) {
    throw new AppError('STORY_NOT_ALLOWED', `A ${actor.role} may not ${action} this story`);
  }
}

/** The stored body of a content (its document was validated when it was saved). */
export function rowInput(content: StoryContent): ArticleRowInput {
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

export function revisionWrite(
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
 * A story saved before the newsroom had revisions (an import) gets its row as revision 1, so
 * what came before the first newsroom save is kept and can be compared and restored.
 */
export async function ensureBaseline(trx: q.Db, story: Story, now: Date): Promise<number> {
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

export function refuseMove(story: Story, action: StoryAction): never {
  throw new AppError(
    'STORY_TRANSITION_REFUSED',
    `A story ${story.status}${story.pendingReview ? ' (revision in review)' : ''} cannot ${action}`,
  );
}

export function noteBody(raw: string): string {
  const body = raw.trim();
  // Bounded by the limit, not the input (docs/SECURITY.md, item 27): a note too long to pass is
  // refused before it is counted.
  const problem = visibleLengthProblem(body, NOTE_MAX_CHARACTERS);
  if (body === '' || problem !== null) {
    throw new AppError('STORY_NOTE_INVALID', `A note of ${body.length} code units: ${problem}`);
  }
  return body;
}

export function isFresh(seenAt: Date, now: Date): boolean {
  return now.getTime() - seenAt.getTime() < LOCK_FRESH_SECONDS * 1000;
}

export function personName(name: string | null, email: string | null): string {
  return name ?? email ?? '—';
}
