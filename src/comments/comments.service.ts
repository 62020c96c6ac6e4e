import { createHash } from 'node:crypto';
import { findPublicArticleRef, type ArticleRef } from '../articles/articles.service.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import {
  recordCommentEvent,
  screenNewComment,
  type Screening,
} from '../moderation/moderation-gate.service.js';
import { acceptPolicy, hasAcceptedCurrentPolicy } from '../policy/policy.service.js';
import {
  encodeCursor,
  resolveThreadSettings,
  threadClosesAt,
  threadIsOpen,
  type CommentCursor,
  type CommentSort,
  type CommentViewer,
  type ThreadSettings,
} from './comment.js';
import { checkCommentText, type CommentTextProblem } from './comment-text.js';
import * as q from './comments.queries.js';
import * as settingsQ from './comments.settings.queries.js';
import * as reactions from './comments.reactions.queries.js';

/**
 * Comments' use cases: posting under the thread's rules and the reader's limits, editing within
 * the window, deleting one's own, and reading a thread page by page. Votes and reports live in
 * comments.voting.ts and comments.reports.ts.
 */

export type CommentDeps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'log'>;

/** Replies shown under each top-level comment on a thread page; the rest on the comment's page. */
export const REPLIES_SHOWN = 3;

/**
 * Longer input than this (in UTF-16 units) is refused before it is normalised or counted: NFC and
 * grapheme segmentation of a 64 KiB body of combining marks take a noticeable fraction of a
 * second, and no comment of 250 visible characters comes near it.
 */
export const MAX_INPUT_UNITS = 10_000;

/** The text rules of comment-text.ts, with the input bounded first. */
export function checkText(raw: string, limit: number) {
  if (raw.length > MAX_INPUT_UNITS)
    return {
      ok: false as const,
      problem: { code: 'COMMENT_TOO_LONG' as const, count: undefined, limit },
    };
  return checkCommentText(raw, limit);
}

export function textError(
  problem: CommentTextProblem | { code: 'COMMENT_TOO_LONG'; count: undefined; limit: number },
): AppError {
  switch (problem.code) {
    case 'COMMENT_TOO_LONG':
      return new AppError('COMMENT_TOO_LONG', `${problem.count ?? 'many'} > ${problem.limit}`, {
        params:
          problem.count === undefined
            ? { limit: problem.limit }
            : { count: problem.count, limit: problem.limit },
      });
    case 'COMMENT_EMPTY':
      return new AppError('COMMENT_EMPTY');
    case 'COMMENT_INVALID_TEXT':
      return new AppError('COMMENT_INVALID_TEXT', problem.reason);
    case 'COMMENT_DIRECTION_CONTROL':
      return new AppError('COMMENT_DIRECTION_CONTROL');
    case 'COMMENT_CHARACTER_TOO_LONG':
      return new AppError('COMMENT_CHARACTER_TOO_LONG', `a character over ${problem.limit} units`);
  }
}

/** Case and spacing do not make a comment new: "좋아요" and " 좋아요 " are the same text. */
function bodyHash(text: string): string {
  const folded = text.toLowerCase().replace(/\s+/gu, ' ').trim();
  return createHash('sha256').update(folded).digest('base64url');
}

export type Thread = {
  article: ArticleRef;
  settings: ThreadSettings;
  open: boolean;
  closesAt: Date | undefined;
  /** Published comments when the thread was read. */
  count: number;
};

export async function findThread(
  deps: CommentDeps,
  articleId: string,
): Promise<Thread | undefined> {
  const article = await findPublicArticleRef(deps, articleId);
  if (!article) return undefined;
  return threadOf(deps, article);
}

export async function threadOf(deps: CommentDeps, article: ArticleRef): Promise<Thread> {
  const facts = await settingsQ.findThreadFacts(deps.db, article.id);
  const settings = resolveThreadSettings(deps.config.comments, facts.section, facts.article);
  return {
    article,
    settings,
    open: threadIsOpen(settings, article.publishedAt, deps.clock()),
    closesAt: threadClosesAt(settings, article.publishedAt),
    count: facts.count,
  };
}

export type PostInput = {
  articleId: string;
  authorId: string;
  body: string;
  parentId?: string | undefined;
  /** The policy version the reader accepted with this comment, when they had not before. */
  acceptPolicyVersion?: number | undefined;
};

export type PostedComment = {
  id: string;
  articleId: string;
  articlePath: string;
  parentId: string | null;
  /** The thread's top-level comment, for a reply. */
  rootId: string | null;
  status: 'published' | 'pending';
  /** The article's published comments after this one. */
  count: number;
};

export async function postComment(deps: CommentDeps, input: PostInput): Promise<PostedComment> {
  const { comments: rules } = deps.config;
  const checked = checkText(input.body, deps.config.commentMaxLength);
  if (!checked.ok) throw textError(checked.problem);
  const thread = await findThread(deps, input.articleId);
  if (!thread) throw new AppError('NOT_FOUND', `article ${input.articleId}`);
  if (!thread.open) throw new AppError('COMMENTS_CLOSED', `article ${input.articleId}`);
  const policy = await hasAcceptedCurrentPolicy(deps, input.authorId);
  if (!policy.accepted) {
    if (input.acceptPolicyVersion === undefined)
      throw new AppError('POLICY_NOT_ACCEPTED', `version ${policy.version}`);
    await acceptPolicy(deps, input.authorId, input.acceptPolicyVersion);
  }
  const parent = input.parentId ? await q.findComment(deps.db, input.parentId) : undefined;
  if (input.parentId) {
    if (!parent || parent.articleId !== input.articleId || parent.status !== 'published')
      throw new AppError('COMMENT_UNAVAILABLE', `parent ${input.parentId}`);
    if (parent.depth + 1 > rules.replyDepth)
      throw new AppError('COMMENT_REPLY_NOT_ALLOWED', `depth ${parent.depth + 1}`);
  }
  const hash = bodyHash(checked.text);
  const now = deps.clock();
  const { id, status } = await deps.db.transaction().execute(async (trx) => {
    // One reader's posts queue here, in every process: the limits below see each other's rows.
    if ((await q.lockAuthor(trx, input.authorId)) !== 'active')
      throw new AppError('ACCOUNT_SUSPENDED', `account ${input.authorId}`);
    await checkPostingLimits(trx, deps, {
      authorId: input.authorId,
      articleId: input.articleId,
      hash,
      now,
    });
    // The standards board's rules: sanctions and banned words refuse, the rest hold.
    const screening = await screenNewComment(trx, deps, {
      authorId: input.authorId,
      text: checked.text,
      premoderated: thread.settings.premoderated,
    });
    const status = screening.hold.length > 0 ? ('pending' as const) : ('published' as const);
    const rootId = parent ? (parent.rootId ?? parent.id) : null;
    const inserted = await q.insertComment(trx, {
      articleId: input.articleId,
      parentId: parent?.id ?? null,
      rootId,
      depth: parent ? parent.depth + 1 : 0,
      authorId: input.authorId,
      body: checked.text,
      bodyHash: hash,
      status,
      policyVersion: policy.version,
      createdAt: now,
    });
    await recordCommentEvent(trx, now, {
      action: status === 'pending' ? 'comment_held' : 'comment_published',
      commentId: inserted,
      articleId: input.articleId,
      authorId: input.authorId,
      policyVersion: policy.version,
      ...(status === 'pending' ? { screening } : {}),
    });
    if (status === 'published') {
      await q.adjustCounts(trx, { articleId: input.articleId, rootId, delta: 1 });
      await q.notifyComments(trx, {
        articleId: input.articleId,
        commentId: inserted,
        kind: 'posted',
      });
    }
    return { id: inserted, status };
  });
  deps.log.info({ commentId: id, articleId: input.articleId, status }, 'comment posted');
  return {
    id,
    articleId: input.articleId,
    articlePath: thread.article.path,
    parentId: parent?.id ?? null,
    rootId: parent ? (parent.rootId ?? parent.id) : null,
    status,
    count: await q.publishedCount(deps.db, input.articleId),
  };
}

/** The reader's limits (ADR 9), checked under the lock on their account row. */
async function checkPostingLimits(
  trx: Parameters<typeof q.lockAuthor>[0],
  deps: CommentDeps,
  input: { authorId: string; articleId: string; hash: string; now: Date },
): Promise<void> {
  const rules = deps.config.comments;
  const { now } = input;
  const last = await q.lastCommentAt(trx, input.authorId);
  const gapMs = rules.minGapSeconds * 1000;
  // With no gap, nothing is too soon: a post that waited for this lock took its time before the
  // one that held it, whose comment may then look stamped after it.
  if (gapMs > 0 && last && now.getTime() - last.getTime() < gapMs)
    throw new AppError('COMMENT_TOO_SOON', `last ${last.toISOString()}`, {
      retryAfterSeconds: Math.ceil((last.getTime() + gapMs - now.getTime()) / 1000),
    });
  const day = 86_400_000;
  const today = await q.authorCommentTimesOnArticle(trx, {
    authorId: input.authorId,
    articleId: input.articleId,
    since: new Date(now.getTime() - day),
  });
  const oldest = today[0];
  if (oldest && today.length >= rules.perArticlePerDay)
    throw new AppError('COMMENT_DAILY_LIMIT', `${today.length} today`, {
      retryAfterSeconds: Math.ceil((oldest.getTime() + day - now.getTime()) / 1000),
    });
  if (rules.duplicateHours > 0) {
    const since = new Date(now.getTime() - rules.duplicateHours * 3_600_000);
    if (await q.hasDuplicate(trx, { authorId: input.authorId, bodyHash: input.hash, since }))
      throw new AppError('COMMENT_DUPLICATE');
  }
}

/** The author's comment, locked, or the reason they may not change it. */
async function ownComment(
  trx: Parameters<typeof q.lockComment>[0],
  commentId: string,
  authorId: string,
) {
  const comment = await q.lockComment(trx, commentId);
  if (!comment || comment.status === 'deleted')
    throw new AppError('NOT_FOUND', `comment ${commentId}`);
  if (comment.authorId !== authorId) throw new AppError('FORBIDDEN', `comment ${commentId}`);
  return comment;
}

export function editableUntil(deps: CommentDeps, createdAt: Date): Date {
  return new Date(createdAt.getTime() + deps.config.comments.editMinutes * 60_000);
}

export async function editComment(
  deps: CommentDeps,
  input: { commentId: string; authorId: string; body: string },
): Promise<void> {
  const checked = checkText(input.body, deps.config.commentMaxLength);
  if (!checked.ok) throw textError(checked.problem);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const comment = await ownComment(trx, input.commentId, input.authorId);
    if (comment.status === 'hidden') throw new AppError('COMMENT_UNAVAILABLE', 'hidden');
    if (now >= editableUntil(deps, comment.createdAt))
      throw new AppError('COMMENT_EDIT_CLOSED', `comment ${input.commentId}`);
    if (comment.body === checked.text) return;
    // New text meets the same rules as a new comment: an edit cannot slip past the desk.
    // Read on the transaction's connection: PGlite has only one, held by this transaction.
    const thread = await findThread({ ...deps, db: trx }, comment.articleId);
    const screening = await screenNewComment(trx, deps, {
      authorId: input.authorId,
      text: checked.text,
      premoderated: thread?.settings.premoderated ?? false,
    });
    await q.replaceBody(trx, {
      id: comment.id,
      oldBody: comment.body,
      body: checked.text,
      bodyHash: bodyHash(checked.text),
      at: now,
    });
    if (comment.featured) await unfeatureEditedComment(trx, comment, now);
    if (screening.hold.length > 0 && comment.status === 'published')
      await holdEditedComment(trx, comment, screening, now);
    await q.notifyComments(trx, {
      articleId: comment.articleId,
      commentId: comment.id,
      kind: 'changed',
    });
  });
}

/**
 * "Featured by the standards board" vouches for the text the board read: an edit ends it, and
 * the audit log says so (a system entry), so the board sees why the mark went.
 */
async function unfeatureEditedComment(
  trx: Parameters<typeof q.lockComment>[0],
  comment: NonNullable<Awaited<ReturnType<typeof q.lockComment>>>,
  now: Date,
): Promise<void> {
  await q.clearFeature(trx, comment.id);
  await recordCommentEvent(trx, now, {
    action: 'comment_unfeatured',
    commentId: comment.id,
    articleId: comment.articleId,
    authorId: comment.authorId,
    state: comment.status,
  });
}

/** A published comment whose new text the screening holds goes back to the desk. */
async function holdEditedComment(
  trx: Parameters<typeof q.lockComment>[0],
  comment: NonNullable<Awaited<ReturnType<typeof q.lockComment>>>,
  screening: Screening,
  now: Date,
): Promise<void> {
  await q.holdAgain(trx, comment.id);
  await q.adjustCounts(trx, { articleId: comment.articleId, rootId: comment.rootId, delta: -1 });
  await recordCommentEvent(trx, now, {
    action: 'comment_held',
    commentId: comment.id,
    articleId: comment.articleId,
    authorId: comment.authorId,
    policyVersion: comment.policyVersion,
    screening,
    fromState: 'published',
  });
}

/** The author deletes their comment: its text leaves every page; replies keep their place. */
/**
 * Where a reader goes back to after deleting: the article's page, at the place the comment held
 * in its thread. A reply's place is its thread's first comment; a comment with replies stays as
 * a tombstone, so its own place remains; any other leaves nothing behind but the comment area.
 * `articlePath` is undefined when the article is no longer public.
 */
export type DeletedComment = { articleId: string; articlePath: string | undefined; anchor: string };

export async function deleteComment(
  deps: CommentDeps,
  input: { commentId: string; authorId: string },
): Promise<DeletedComment> {
  const now = deps.clock();
  const deleted = await deps.db.transaction().execute(async (trx) => {
    const comment = await ownComment(trx, input.commentId, input.authorId);
    await q.markDeleted(trx, comment.id, now);
    await recordCommentEvent(trx, now, {
      action: 'comment_deleted',
      commentId: comment.id,
      articleId: comment.articleId,
      authorId: comment.authorId,
      fromState: comment.status,
    });
    if (comment.status === 'published')
      await q.adjustCounts(trx, {
        articleId: comment.articleId,
        rootId: comment.rootId,
        delta: -1,
      });
    await q.notifyComments(trx, {
      articleId: comment.articleId,
      commentId: comment.id,
      kind: 'changed',
    });
    const place = comment.rootId ?? (comment.replyCount > 0 ? comment.id : undefined);
    return {
      articleId: comment.articleId,
      anchor: place === undefined ? 'comments' : `comment-${place}`,
    };
  });
  const article = await findPublicArticleRef(deps, deleted.articleId);
  return { ...deleted, articlePath: article?.path };
}

export type DeskComment = NonNullable<Awaited<ReturnType<typeof q.lockForDesk>>>;

/** Locks a comment for the standards board's decision (moderation.service.ts). */
export function lockCommentForDesk(
  trx: Parameters<typeof q.lockForDesk>[0],
  commentId: string,
): Promise<DeskComment | undefined> {
  return q.lockForDesk(trx, commentId);
}

/**
 * Applies the board's decision to a locked comment: its status and featured mark, a new revision
 * (decisions made on the old one are stale), the counts, and the live pages told.
 */
export async function applyDeskDecision(
  trx: Parameters<typeof q.lockForDesk>[0],
  comment: DeskComment,
  next: { status: 'published' | 'hidden' | 'pending'; featured: boolean; at: Date },
): Promise<void> {
  await q.setDeskState(trx, {
    id: comment.id,
    status: next.status,
    featuredAt: next.featured ? next.at : null,
    rev: comment.rev + 1,
  });
  const was = comment.status === 'published' ? 1 : 0;
  const is = next.status === 'published' ? 1 : 0;
  await q.adjustCounts(trx, {
    articleId: comment.articleId,
    rootId: comment.rootId,
    delta: is - was,
  });
  await q.notifyComments(trx, {
    articleId: comment.articleId,
    commentId: comment.id,
    // A held comment approved appears to readers as if just posted.
    kind: was === 0 && is === 1 && comment.status === 'pending' ? 'posted' : 'changed',
  });
}

/** What the viewer did to a comment: their vote (1 공감, -1 비공감), and whether they reported it. */
export type ViewerMarks = { myVote: number | undefined; myReport: boolean };

export type ThreadComment = q.CommentRow &
  ViewerMarks & {
    replies: (q.CommentRow & ViewerMarks)[];
  };

/** The viewer's votes and reports on these comments; an anonymous reader has none. */
async function viewerMarks(
  deps: CommentDeps,
  comments: readonly q.CommentRow[],
  viewer: CommentViewer,
): Promise<(comment: q.CommentRow) => ViewerMarks> {
  if (!viewer) return () => ({ myVote: undefined, myReport: false });
  const ids = comments.map((c) => c.id);
  const [votes, reported] = await Promise.all([
    reactions.listVotes(deps.db, ids, viewer.accountId),
    reactions.listReported(deps.db, ids, viewer.accountId),
  ]);
  return (comment) => ({ myVote: votes.get(comment.id), myReport: reported.has(comment.id) });
}

export type ThreadPage = {
  comments: ThreadComment[];
  /** The cursor of the next page, when there is one. */
  next: string | undefined;
  count: number;
};

export async function listThreadPage(
  deps: CommentDeps,
  input: {
    articleId: string;
    sort: CommentSort;
    after: CommentCursor | undefined;
    viewer: CommentViewer;
    limit?: number;
    /** The count, when the caller read it with the thread a moment ago. */
    count?: number;
  },
): Promise<ThreadPage> {
  // No published comment, and nobody who could see a held one: nothing to read (no tombstone
  // stands without published replies).
  if (input.count === 0 && input.viewer === null)
    return { comments: [], next: undefined, count: 0 };
  const limit = input.limit ?? deps.config.comments.pageSize;
  const rows = await q.listThreadPage(deps.db, { ...input, limit });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const replies =
    deps.config.comments.replyDepth > 0
      ? await q.listReplies(
          deps.db,
          page.filter((c) => c.replyCount > 0).map((c) => c.id),
          REPLIES_SHOWN,
          input.viewer,
        )
      : [];
  const marks = await viewerMarks(deps, [...page, ...replies], input.viewer);
  const next =
    rows.length > limit && last
      ? encodeCursor(await cursorAfter(deps, input.sort, last))
      : undefined;
  return {
    comments: page.map((c) => ({
      ...c,
      ...marks(c),
      replies: replies.filter((r) => r.rootId === c.id).map((r) => ({ ...r, ...marks(r) })),
    })),
    next,
    count: input.count ?? (await q.publishedCount(deps.db, input.articleId)),
  };
}

async function cursorAfter(
  deps: CommentDeps,
  sort: CommentSort,
  row: q.CommentRow,
): Promise<CommentCursor> {
  switch (sort) {
    case 'newest':
    case 'oldest':
      return { sort, key: row.createdAt.toISOString(), id: row.id };
    case 'top':
      return { sort, key: row.up, id: row.id };
    case 'ratio':
      return { sort, key: await q.ratioScoreOf(deps.db, row.id), id: row.id };
  }
}

export function commentCount(deps: CommentDeps, articleId: string): Promise<number> {
  return q.publishedCount(deps.db, articleId);
}

/** One comment as its page shows it: the comment, and every reply in its thread. */
export async function findCommentThread(
  deps: CommentDeps,
  commentId: string,
  viewer: CommentViewer,
): Promise<{ comment: ThreadComment; thread: Thread } | undefined> {
  const row = await q.findComment(deps.db, commentId);
  if (!row) return undefined;
  const root = row.rootId ? await q.findComment(deps.db, row.rootId) : row;
  if (!root) return undefined;
  const thread = await findThread(deps, root.articleId);
  if (!thread) return undefined;
  const visible = (c: q.CommentRow) =>
    c.status === 'published' ||
    ((c.status === 'deleted' || c.status === 'hidden') && c.replyCount > 0) ||
    (viewer !== null &&
      (viewer.moderator || c.authorId === viewer.accountId) &&
      c.status !== 'deleted');
  if (!visible(root)) return undefined;
  const replies = await q.listReplies(deps.db, [root.id], 1_000, viewer);
  const marks = await viewerMarks(deps, [root, ...replies], viewer);
  return {
    thread,
    comment: { ...root, ...marks(root), replies: replies.map((r) => ({ ...r, ...marks(r) })) },
  };
}

export function findComment(deps: CommentDeps, commentId: string) {
  return q.findComment(deps.db, commentId);
}

export function listCommentRevisions(deps: CommentDeps, commentId: string) {
  return q.listRevisions(deps.db, commentId);
}

export type MyComment = Awaited<ReturnType<typeof q.listAuthorComments>>[number] & {
  replies: Awaited<ReturnType<typeof q.listRepliesTo>>;
  replyTotal: number;
};

/** "My comments": the reader's comments, newest first, each with the latest replies to it. */
export async function listMyComments(
  deps: CommentDeps,
  input: { authorId: string; before: { createdAt: Date; id: string } | undefined },
): Promise<{ comments: MyComment[]; next: { createdAt: Date; id: string } | undefined }> {
  const limit = deps.config.comments.pageSize;
  const rows = await q.listAuthorComments(deps.db, { ...input, limit });
  const page = rows.slice(0, limit);
  const replies = await q.listRepliesTo(
    deps.db,
    page.map((c) => c.id),
    3,
  );
  const last = page.at(-1);
  return {
    comments: page.map((c) => {
      const mine = replies.filter((r) => r.parentId === c.id);
      return { ...c, replies: mine, replyTotal: mine[0]?.total ?? 0 };
    }),
    next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : undefined,
  };
}

// The data download's pieces (the reader's comments, votes and reports) live in
// comments.export.ts; other features reach them here, through the service.
export { exportReaderComments, exportReaderReports, exportReaderVotes } from './comments.export.js';

/** Published comments (replies too) newer than one a browser saw, oldest first: its catch-up. */
export async function listPublishedSince(
  deps: CommentDeps,
  input: { articleId: string; afterId: string; limit: number },
): Promise<{ comments: q.CommentRow[]; count: number }> {
  return {
    comments: await q.listPublishedSince(deps.db, input),
    count: await q.publishedCount(deps.db, input.articleId),
  };
}
