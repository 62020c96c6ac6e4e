import { AppError } from '../http/app-error.js';
import { wilsonLowerBound } from './comment.js';
import type { CommentDeps } from './comments.service.js';
import * as q from './comments.queries.js';
import * as reactions from './comments.reactions.queries.js';

/** 공감/비공감: one vote per reader per comment, changed or withdrawn by voting again. */

export type VoteValue = 'up' | 'down';
export type VoteResult = { up: number; down: number; mine: VoteValue | null };

const DAY_MS = 86_400_000;

function valueOf(vote: VoteValue): 1 | -1 {
  return vote === 'up' ? 1 : -1;
}

export function voteName(value: number | undefined | null): VoteValue | null {
  if (value === 1) return 'up';
  if (value === -1) return 'down';
  return null;
}

/**
 * Casts the reader's vote; the same vote again withdraws it, the other one changes it. Every
 * cast, change or withdrawal counts against the daily cap, so flipping is not free.
 */
export async function voteOnComment(
  deps: CommentDeps,
  input: { commentId: string; accountId: string; vote: VoteValue },
): Promise<VoteResult> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    if ((await q.lockAuthor(trx, input.accountId)) !== 'active')
      throw new AppError('ACCOUNT_SUSPENDED', `account ${input.accountId}`);
    const comment = await q.lockComment(trx, input.commentId);
    if (!comment || comment.status !== 'published')
      throw new AppError('COMMENT_UNAVAILABLE', `comment ${input.commentId}`);
    if (comment.authorId === input.accountId) throw new AppError('COMMENT_OWN_VOTE');
    const events = await reactions.voteEventsSince(
      trx,
      input.accountId,
      new Date(now.getTime() - DAY_MS),
    );
    const oldest = events[0];
    if (oldest && events.length >= deps.config.comments.votesPerDay)
      throw new AppError('VOTE_DAILY_LIMIT', `${events.length} today`, {
        retryAfterSeconds: Math.ceil((oldest.getTime() + DAY_MS - now.getTime()) / 1000),
      });
    const before = await reactions.findVote(trx, comment.id, input.accountId);
    const wanted = valueOf(input.vote);
    const after = before === wanted ? null : wanted;
    const up = comment.up - (before === 1 ? 1 : 0) + (after === 1 ? 1 : 0);
    const down = comment.down - (before === -1 ? 1 : 0) + (after === -1 ? 1 : 0);
    await reactions.recordVote(trx, {
      commentId: comment.id,
      accountId: input.accountId,
      value: after,
      at: now,
      up,
      down,
      ratio: wilsonLowerBound(up, down),
    });
    // Sent after commit, in commit order (the comment's row lock orders its votes): the last
    // counts a page hears are the counts stored.
    await q.notifyComments(trx, {
      articleId: comment.articleId,
      commentId: comment.id,
      kind: 'voted',
      up,
      down,
    });
    return { up, down, mine: voteName(after) };
  });
}
