import type { AppDeps } from '../deps.js';
import { voteName } from './comments.voting.js';
import * as q from './comments.export.queries.js';

/**
 * A reader's votes and reports as their data download lists them (the account page's "Download
 * your data"): what they did to others' comments, beside their own comments
 * (`exportReaderComments`). Who else voted or reported is never in it.
 */

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
