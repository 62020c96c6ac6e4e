import { AppError } from '../http/app-error.js';
import { findClause, getCurrentPolicy } from '../policy/policy.service.js';
import { checkText, type CommentDeps } from './comments.service.js';
import * as q from './comments.queries.js';

/** Reports: a reader points the standards board at a comment, citing a clause of the policy. */

/** A report's note is short, like a comment: counted the same way. */
export const REPORT_NOTE_MAX = 300;

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
  if (!(await findClause(deps, policy.version, input.clause)))
    throw new AppError('COMMENT_REPORT_INVALID', `no clause ${input.clause} in ${policy.version}`);
  const comment = await q.findComment(deps.db, input.commentId);
  if (!comment || comment.status !== 'published')
    throw new AppError('COMMENT_UNAVAILABLE', `comment ${input.commentId}`);
  if (comment.authorId === input.reporterId)
    throw new AppError('COMMENT_REPORT_INVALID', 'own comment');
  const added = await q.insertReport(deps.db, {
    commentId: comment.id,
    reporterId: input.reporterId,
    policyVersion: policy.version,
    clauseNumber: input.clause,
    note,
    at: deps.clock(),
  });
  if (!added) throw new AppError('COMMENT_ALREADY_REPORTED', `comment ${input.commentId}`);
  deps.log.info({ commentId: comment.id, clause: input.clause }, 'comment reported');
}
