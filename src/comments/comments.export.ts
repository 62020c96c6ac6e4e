import type { AppDeps } from '../deps.js';
import { voteName } from './comments.voting.js';
import * as q from './comments.export.queries.js';
import { listAllByAuthor } from './comments.queries.js';

/**
 * What the account page's "Download your data" lists of a reader's part in comments: their own
 * comments, and what they did to others' (votes, reports). Who else voted or reported is never in
 * it. Other features reach these through comments.service.ts.
 */

/** A reader's comments as their data download lists them (their own words, deleted ones too). */
export async function exportReaderComments(deps: Pick<AppDeps, 'db'>, authorId: string) {
  const rows = await listAllByAuthor(deps.db, authorId);
  return rows.map((c) => ({
    id: c.id,
    article: c.articlePath,
    inReplyTo: c.parentId,
    text: c.body,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    editedAt: c.editedAt?.toISOString() ?? null,
    deletedAt: c.deletedAt?.toISOString() ?? null,
  }));
}

export async function exportReaderVotes(deps: Pick<AppDeps, 'db'>, accountId: string) {
  const rows = await q.listVotesBy(deps.db, accountId);
  return rows.map((v) => ({
    comment: v.commentId,
    article: v.articlePath,
    vote: voteName(v.value),
    at: v.at.toISOString(),
  }));
}

export async function exportReaderReports(deps: Pick<AppDeps, 'db'>, accountId: string) {
  const rows = await q.listReportsBy(deps.db, accountId);
  return rows.map((r) => ({
    comment: r.commentId,
    article: r.articlePath,
    policyVersion: r.policyVersion,
    clause: r.clause,
    note: r.note,
    at: r.at.toISOString(),
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
  }));
}
