import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/db-schema.js';

/**
 * What the data download reads of a reader's votes and reports. A file of its own beside
 * comments.queries.ts, read only by comments.export.ts.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** A reader's standing votes (a withdrawn vote leaves no row), oldest first. */
export function listVotesBy(db: Db, accountId: string) {
  return db
    .selectFrom('comment_votes as v')
    .innerJoin('comments as c', 'c.id', 'v.comment_id')
    .innerJoin('articles as ar', 'ar.id', 'c.article_id')
    .select(['v.comment_id as commentId', 'ar.path as articlePath', 'v.value', 'v.voted_at as at'])
    .where('v.account_id', '=', accountId)
    .orderBy('v.voted_at')
    .orderBy('v.comment_id')
    .execute();
}

/** Every report a reader made, resolved or not, oldest first. */
export function listReportsBy(db: Db, accountId: string) {
  return db
    .selectFrom('comment_reports as r')
    .innerJoin('comments as c', 'c.id', 'r.comment_id')
    .innerJoin('articles as ar', 'ar.id', 'c.article_id')
    .select([
      'r.comment_id as commentId',
      'ar.path as articlePath',
      'r.policy_version as policyVersion',
      'r.clause_number as clause',
      'r.note',
      'r.created_at as at',
      'r.resolved_at as resolvedAt',
    ])
    .where('r.reporter_id', '=', accountId)
    .orderBy('r.id')
    .execute();
}
