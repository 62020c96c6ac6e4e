import { hostname } from 'node:os';
import { articlePath, type ArticleStatus } from '../articles/article.js';
import { setArticleStatus, writeLiveArticle } from '../articles/article-row.service.js';
import { addCorrection, isCorrectionKind } from '../articles/articles.service.js';
import { AppError } from '../http/app-error.js';
import type { ContentChange } from '../lib/content-change.js';
import {
  type NewsroomDeps,
  revisionContent,
  requireStory,
  allow,
  rowInput,
  ensureBaseline,
  refuseMove,
  noteBody,
} from './story-store.js';
import * as q from './newsroom.queries.js';
import { LATE_AFTER_SECONDS, type Story, type StoryActor } from './story.js';

/**
 * The workflow: a story handed to the editors, sent back, scheduled, published (by an editor
 * or the scheduler, through one conditional update), taken down, embargoed, corrected.
 */

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
