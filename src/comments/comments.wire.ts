import type { CommentRow } from './comments.queries.js';
import type { PostedComment, ThreadPage } from './comments.service.js';
import type { VoteResult } from './comments.voting.js';

/**
 * What JSON clients get from the comment routes: the enhanced form in the browser (client/), the
 * live stream's events and anyone reading a thread as JSON. A promise to clients, so written out
 * by hand, field by field: a column added to a row reaches no one until it is added here.
 */

type VoteWire = 'up' | 'down' | null;

export type CommentWire = {
  id: string;
  parentId: string | null;
  status: CommentRow['status'];
  /** Null for a tombstone (hidden or deleted) and for an author whose account is deleted. */
  author: string | null;
  body: string | null;
  up: number;
  down: number;
  replyCount: number;
  createdAt: string;
  editedAt: string | null;
  myVote: VoteWire;
  replies?: CommentWire[];
};

type WithMyVote = CommentRow & { myVote: number | undefined };

export function commentWire(c: WithMyVote & { replies?: WithMyVote[] }): CommentWire {
  // Only a comment readers may see carries its words and its author; a tombstone keeps its place.
  const shown = c.status === 'published' || c.status === 'pending';
  return {
    id: c.id,
    parentId: c.parentId,
    status: c.status,
    author: shown ? (c.authorDeleted ? null : c.authorName) : null,
    body: shown ? c.body : null,
    up: c.up,
    down: c.down,
    replyCount: c.replyCount,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
    myVote: c.myVote === 1 ? 'up' : c.myVote === -1 ? 'down' : null,
    ...(c.replies ? { replies: c.replies.map((r) => commentWire(r)) } : {}),
  };
}

/** One page of a thread; `next` is the cursor of the page after it (`?after=`). */
export function threadPageWire(page: ThreadPage) {
  return {
    count: page.count,
    next: page.next ?? null,
    comments: page.comments.map((c) => commentWire(c)),
  };
}

/**
 * A comment just posted through the enhanced form: where it goes (`parentId` is the thread's
 * top-level comment, the list a reply joins), the thread's new count, and the comment rendered
 * as its author sees it, so the page inserts it without a reload.
 */
export function postedWire(posted: PostedComment, html: string) {
  return {
    comment: { id: posted.id, parentId: posted.rootId, status: posted.status },
    count: posted.count,
    html,
  };
}

export function votesWire(result: VoteResult) {
  return { up: result.up, down: result.down, mine: result.mine };
}

/**
 * A `comment` event of the live stream: a new comment, the list it goes into (the thread's
 * top-level comment, or the article's), the thread's count and the comment as the listener's
 * browser shows it.
 */
export function liveCommentWire(comment: CommentRow, count: number, html: string) {
  return { id: comment.id, parentId: comment.rootId, count, html };
}

/** A `votes` event: a comment's new counts, the same for everyone (no one's own vote). */
export function liveVotesWire(votes: { commentId: string; up: number; down: number }) {
  return { id: votes.commentId, up: votes.up, down: votes.down };
}

export function deletedWire(commentId: string) {
  return { deleted: commentId };
}

export function reportedWire(commentId: string) {
  return { reported: commentId };
}
