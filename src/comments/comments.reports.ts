import { AppError } from '../http/app-error.js';
import { recordCommentEvent } from '../moderation/moderation-gate.service.js';
import {
  citableClauses,
  findClause,
  getCurrentPolicy,
  type PolicyClause,
} from '../policy/policy.service.js';
import { checkText, type CommentDeps } from './comments.service.js';
import * as q from './comments.queries.js';
import * as reactions from './comments.reactions.queries.js';

/** Reports: a reader points the standards board at a comment, citing a clause of the policy. */

/** A report's note is short, like a comment: counted the same way. */
export const REPORT_NOTE_MAX = 300;

/**
 * What the report form offers this reader: the clauses of the policy in force that a comment can
 * break, or nothing to fill in when they have reported the comment already.
 */
export async function findReportForm(
  deps: CommentDeps,
  input: { commentId: string; reporterId: string },
): Promise<{ clauses: PolicyClause[]; reported: boolean }> {
  const [policy, reported] = await Promise.all([
    getCurrentPolicy(deps),
    reactions.listReported(deps.db, [input.commentId], input.reporterId),
  ]);
  return {
    clauses: citableClauses(policy),
    reported: reported.has(input.commentId),
  };
}

export async function reportComment(
  deps: CommentDeps,
  input: { commentId: string; reporterId: string; clause: number; note: string },
): Promise<void> {
  let note = '';
  if (input.note.trim() !== '') {
    const checked = checkText(input.note, REPORT_NOTE_MAX);
    if (!checked.ok) throw new AppError('COMMENT_REPORT_INVALID', checked.problem.code);
    note = checked.text;
  }
  const policy = await getCurrentPolicy(deps);
  const clause = await findClause(deps, policy.version, input.clause);
  if (!clause)
    throw new AppError('COMMENT_REPORT_INVALID', `no clause ${input.clause} in ${policy.version}`);
  // The form never offers such a clause; a hand-made request citing one is refused the same way.
  if (!clause.reportable)
    throw new AppError('COMMENT_REPORT_CLAUSE', `clause ${input.clause} is not for reports`);
  const comment = await q.findComment(deps.db, input.commentId);
  if (!comment || comment.status !== 'published')
    throw new AppError('COMMENT_UNAVAILABLE', `comment ${input.commentId}`);
  if (comment.authorId === input.reporterId)
    throw new AppError('COMMENT_REPORT_INVALID', 'own comment');
  const now = deps.clock();
  const added = await deps.db.transaction().execute(async (trx) => {
    if (
      !(await reactions.insertReport(trx, {
        commentId: comment.id,
        reporterId: input.reporterId,
        policyVersion: policy.version,
        clauseNumber: input.clause,
        note,
        at: now,
      }))
    )
      return false;
    await recordCommentEvent(trx, now, {
      action: 'comment_reported',
      commentId: comment.id,
      articleId: comment.articleId,
      authorId: comment.authorId,
      reporterId: input.reporterId,
      policyVersion: policy.version,
      clause: input.clause,
    });
    return true;
  });
  if (!added) throw new AppError('COMMENT_ALREADY_REPORTED', `comment ${input.commentId}`);
  deps.log.info({ commentId: comment.id, clause: input.clause }, 'comment reported');
}
