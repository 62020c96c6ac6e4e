import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, PolicyClausesTable, PolicyVersionsTable } from '../db/db-schema.js';

export { notifyContentChanged } from '../db/db-notify.js';

/**
 * Every read and write of the policy tables, as plain functions over Kysely whose first
 * parameter is the database or a transaction (CONTRIBUTING.md, habit 4). Private to the feature:
 * policy.service.ts decides what to call and when.
 */

export type Db = Kysely<Database> | Transaction<Database>;

const VERSION_COLUMNS = [
  'version',
  'effective_at',
  'intro_en',
  'intro_ko',
  'note_en',
  'note_ko',
] as const;

/** The newest version in force at `now`: the highest number whose effective_at has come. */
export function findVersionInForce(db: Db, now: Date) {
  return db
    .selectFrom('policy_versions')
    .select(VERSION_COLUMNS)
    .where('effective_at', '<=', now)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findFirstVersion(db: Db) {
  return db
    .selectFrom('policy_versions')
    .select(VERSION_COLUMNS)
    .orderBy('version', 'asc')
    .limit(1)
    .executeTakeFirst();
}

export function findVersion(db: Db, version: number) {
  return db
    .selectFrom('policy_versions')
    .select(VERSION_COLUMNS)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function listVersions(db: Db) {
  return db
    .selectFrom('policy_versions')
    .select(['version', 'effective_at', 'note_en', 'note_ko'])
    .orderBy('version', 'desc')
    .execute();
}

export function listClauses(db: Db, version: number) {
  return db
    .selectFrom('policy_clauses')
    .select(['number', 'title_en', 'title_ko', 'text_en', 'text_ko', 'reportable'])
    .where('version', '=', version)
    .orderBy('number', 'asc')
    .execute();
}

export function findClauseRow(db: Db, version: number, clauseNumber: number) {
  return db
    .selectFrom('policy_clauses')
    .select(['number', 'title_en', 'title_ko', 'text_en', 'text_ko', 'reportable'])
    .where('version', '=', version)
    .where('number', '=', clauseNumber)
    .executeTakeFirst();
}

/** The highest version number and clause number ever published (0 when there are none). */
export async function highestNumbers(db: Db): Promise<{ version: number; clause: number }> {
  const versions = await db
    .selectFrom('policy_versions')
    .select((eb) => eb.fn.max('version').as('n'))
    .executeTakeFirst();
  const clauses = await db
    .selectFrom('policy_clauses')
    .select((eb) => eb.fn.max('number').as('n'))
    .executeTakeFirst();
  return { version: versions?.n ?? 0, clause: clauses?.n ?? 0 };
}

/**
 * Makes concurrent publishers wait for each other until commit, so that two cannot both read
 * version n and both write n + 1. Readers of the policy are not blocked by this mode.
 */
export async function lockPolicyForPublishing(trx: Transaction<Database>): Promise<void> {
  await sql`lock table policy_versions in share row exclusive mode`.execute(trx);
}

export async function insertVersion(db: Db, row: Insertable<PolicyVersionsTable>): Promise<void> {
  await db.insertInto('policy_versions').values(row).execute();
}

export async function insertClauses(
  db: Db,
  rows: readonly Insertable<PolicyClausesTable>[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto('policy_clauses').values(rows).execute();
}

/** Records an acceptance; accepting the same version again keeps the first time. */
export async function insertAcceptance(
  db: Db,
  accountId: string,
  version: number,
  acceptedAt: Date,
): Promise<void> {
  await db
    .insertInto('policy_acceptances')
    .values({ account_id: accountId, version, accepted_at: acceptedAt })
    .onConflict((oc) => oc.columns(['account_id', 'version']).doNothing())
    .execute();
}

export async function hasAcceptance(db: Db, accountId: string, version: number): Promise<boolean> {
  const row = await db
    .selectFrom('policy_acceptances')
    .select('version')
    .where('account_id', '=', accountId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row !== undefined;
}

/** Every version a reader accepted and when, oldest first (their data download). */
export function listAcceptances(db: Db, accountId: string) {
  return db
    .selectFrom('policy_acceptances')
    .select(['version', 'accepted_at'])
    .where('account_id', '=', accountId)
    .orderBy('version')
    .execute();
}
