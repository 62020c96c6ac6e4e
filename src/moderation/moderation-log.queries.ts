import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/db-schema.js';
import type { LogAction } from './moderation.js';

/**
 * The audit log's one writer. Rows are only added: the database refuses UPDATE, DELETE and
 * TRUNCATE on `moderation_log` (migration 0005), so a mistaken decision is answered by another.
 */

type Db = Kysely<Database> | Transaction<Database>;

export type LogEntry = Readonly<{
  at: Date;
  action: LogAction;
  /** Who acted; null when the system did (a comment held by the screening rules). */
  actorId: string | null;
  commentId?: string | null;
  articleId?: string | null;
  /** The reader concerned: a comment's author, a reporter, the subject of a sanction. */
  accountId?: string | null;
  policyVersion?: number | null;
  clauses?: readonly number[];
  note?: string | null;
  fromState?: string | null;
  toState?: string | null;
  detail?: Readonly<Record<string, unknown>>;
}>;

export async function appendLog(db: Db, entry: LogEntry): Promise<string> {
  const row = await db
    .insertInto('moderation_log')
    .values({
      at: entry.at,
      action: entry.action,
      actor_id: entry.actorId,
      comment_id: entry.commentId ?? null,
      article_id: entry.articleId ?? null,
      account_id: entry.accountId ?? null,
      policy_version: entry.policyVersion ?? null,
      clauses: JSON.stringify(entry.clauses ?? []),
      note: entry.note ?? null,
      from_state: entry.fromState ?? null,
      to_state: entry.toState ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export type LogRow = Readonly<{
  id: string;
  at: Date;
  action: LogAction;
  actorId: string | null;
  actorName: string | null;
  commentId: string | null;
  articleId: string | null;
  accountId: string | null;
  policyVersion: number | null;
  clauses: number[];
  note: string | null;
  fromState: string | null;
  toState: string | null;
  detail: Record<string, unknown>;
}>;

function logColumns(db: Db) {
  return db
    .selectFrom('moderation_log as l')
    .leftJoin('accounts as actor', 'actor.id', 'l.actor_id')
    .select([
      'l.id',
      'l.at',
      'l.action',
      'l.actor_id as actorId',
      'actor.display_name as actorName',
      'l.comment_id as commentId',
      'l.article_id as articleId',
      'l.account_id as accountId',
      'l.policy_version as policyVersion',
      'l.clauses',
      'l.note',
      'l.from_state as fromState',
      'l.to_state as toState',
      'l.detail',
    ]);
}

/** A comment's entries, oldest first. */
export function listCommentLog(db: Db, commentId: string): Promise<LogRow[]> {
  return logColumns(db).where('l.comment_id', '=', commentId).orderBy('l.id').execute();
}

/** The entries concerning a reader, newest first. */
export function listAccountLog(db: Db, accountId: string, limit: number): Promise<LogRow[]> {
  return logColumns(db)
    .where('l.account_id', '=', accountId)
    .orderBy('l.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The latest entry of the given actions for each comment: what "My comments" shows. Typed by the
 * actions asked for, so a view's switch over them names each one and no other.
 */
export async function latestDecisions<A extends LogAction>(
  db: Db,
  commentIds: readonly string[],
  actions: readonly A[],
): Promise<Map<string, LogRow & { action: A }>> {
  if (commentIds.length === 0) return new Map();
  const rows = await logColumns(db)
    .where('l.comment_id', 'in', commentIds)
    .where('l.action', 'in', actions)
    .orderBy('l.id')
    .execute();
  // The WHERE already keeps only these actions; the guard tells the type system so.
  const asked: readonly LogAction[] = actions;
  const isAsked = (row: LogRow): row is LogRow & { action: A } => asked.includes(row.action);
  const latest = new Map<string, LogRow & { action: A }>();
  for (const row of rows) if (row.commentId && isAsked(row)) latest.set(row.commentId, row);
  return latest;
}

export function findLogEntry(db: Db, id: string): Promise<LogRow | undefined> {
  return logColumns(db).where('l.id', '=', id).executeTakeFirst();
}
