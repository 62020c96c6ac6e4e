import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/db-schema.js';

/** Readers' votes and reports on comments: their reads and writes, private to the feature. */

type Db = Kysely<Database> | Transaction<Database>;

export async function findVote(
  db: Db,
  commentId: string,
  accountId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('comment_votes')
    .select('value')
    .where('comment_id', '=', commentId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.value;
}

export async function listVotes(
  db: Db,
  commentIds: readonly string[],
  accountId: string,
): Promise<Map<string, number>> {
  if (commentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('comment_votes')
    .select(['comment_id', 'value'])
    .where('account_id', '=', accountId)
    .where('comment_id', 'in', [...commentIds])
    .execute();
  return new Map(rows.map((r) => [r.comment_id, r.value]));
}

/** Which of these comments the reader has reported already. */
export async function listReported(
  db: Db,
  commentIds: readonly string[],
  reporterId: string,
): Promise<Set<string>> {
  if (commentIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('comment_reports')
    .select('comment_id')
    .where('reporter_id', '=', reporterId)
    .where('comment_id', 'in', [...commentIds])
    .execute();
  return new Set(rows.map((r) => r.comment_id));
}

export async function voteEventsSince(db: Db, accountId: string, since: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom('comment_vote_events')
    .select('at')
    .where('account_id', '=', accountId)
    .where('at', '>', since)
    .orderBy('at', 'asc')
    .execute();
  return rows.map((r) => r.at);
}

export async function recordVote(
  trx: Transaction<Database>,
  input: {
    commentId: string;
    accountId: string;
    value: number | null;
    at: Date;
    up: number;
    down: number;
    ratio: number;
  },
): Promise<void> {
  if (input.value === null)
    await trx
      .deleteFrom('comment_votes')
      .where('comment_id', '=', input.commentId)
      .where('account_id', '=', input.accountId)
      .execute();
  else
    await trx
      .insertInto('comment_votes')
      .values({
        comment_id: input.commentId,
        account_id: input.accountId,
        value: input.value,
        voted_at: input.at,
      })
      .onConflict((oc) =>
        oc
          .columns(['comment_id', 'account_id'])
          .doUpdateSet({ value: input.value ?? 0, voted_at: input.at }),
      )
      .execute();
  await trx
    .insertInto('comment_vote_events')
    .values({ account_id: input.accountId, at: input.at })
    .execute();
  await trx
    .updateTable('comments')
    .set({ up_count: input.up, down_count: input.down, ratio_score: input.ratio })
    .where('id', '=', input.commentId)
    .execute();
}

export async function insertReport(
  db: Db,
  input: {
    commentId: string;
    reporterId: string;
    policyVersion: number;
    clauseNumber: number;
    note: string;
    at: Date;
  },
): Promise<boolean> {
  const row = await db
    .insertInto('comment_reports')
    .values({
      comment_id: input.commentId,
      reporter_id: input.reporterId,
      policy_version: input.policyVersion,
      clause_number: input.clauseNumber,
      note: input.note,
      created_at: input.at,
    })
    .onConflict((oc) => oc.constraint('comment_reports_once').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
