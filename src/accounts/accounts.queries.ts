import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type {
  AccountsTable,
  AuthFlowsTable,
  Database,
  IdentitiesTable,
  RoleColumn,
  SessionsTable,
  StaffSetupTokensTable,
} from '../db/db-schema.js';

/**
 * Every read and write of the accounts feature's tables, as plain functions over Kysely whose
 * first parameter is the database or a transaction (CONTRIBUTING.md, habit 4). Private to the
 * feature: the use cases in sessions.ts, email-login.ts, oauth-login.ts, accounts.service.ts and
 * staff.service.ts decide what to call and when.
 */

export type Db = Kysely<Database> | Transaction<Database>;

// Sessions

export async function insertSession(db: Db, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export function findSessionByToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select([
      'sessions.id',
      'sessions.kind',
      'sessions.method',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'accounts.id as account_id',
      'accounts.display_name',
      'accounts.avatar_url',
      'accounts.role',
      'accounts.on_board',
      'accounts.status',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, sessionId: string, seenAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: seenAt })
    .where('id', '=', sessionId)
    .execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteSessionByToken(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Deletes a session only if it is the account's own; says whether one went. */
export async function deleteAccountSession(
  db: Db,
  accountId: string,
  sessionId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('sessions')
    .where('id', '=', sessionId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deleteAccountSessions(db: Db, accountId: string): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function listAccountSessions(db: Db, accountId: string, liveAt: Date) {
  return db
    .selectFrom('sessions')
    .select([
      'id',
      'kind',
      'method',
      'created_at',
      'last_seen_at',
      'expires_at',
      'user_agent',
      'ip',
    ])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', liveAt)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function deleteSessionsEndedBy(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

// Logins under way

export async function insertFlow(db: Db, row: Insertable<AuthFlowsTable>): Promise<void> {
  await db.insertInto('auth_flows').values(row).execute();
}

export function findLiveEmailFlow(db: Db, flowId: string, now: Date) {
  return db
    .selectFrom('auth_flows')
    .select(['email', 'language', 'return_to'])
    .where('id', '=', flowId)
    .where('kind', '=', 'email')
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Counts one try at an e-mailed code and returns the flow as it now is. */
export function countEmailAttempt(db: Db, flowId: string) {
  return db
    .updateTable('auth_flows')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', flowId)
    .where('kind', '=', 'email')
    .returning(['attempts', 'code_hash', 'expires_at', 'email', 'language', 'return_to'])
    .executeTakeFirst();
}

export async function deleteFlow(db: Db, flowId: string): Promise<void> {
  await db.deleteFrom('auth_flows').where('id', '=', flowId).execute();
}

/** Deletes a flow and returns it: of two requests taking the same flow, one gets it. */
export function takeFlow(db: Db, flowId: string, kind: 'oauth' | 'email') {
  return db
    .deleteFrom('auth_flows')
    .where('id', '=', flowId)
    .where('kind', '=', kind)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteFlowsEndedBy(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('auth_flows').where('expires_at', '<=', now).execute();
}

// Accounts and identities

export function findAccount(db: Db, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'display_name', 'avatar_url', 'role', 'status', 'created_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

export async function insertAccount(db: Db, row: Insertable<AccountsTable>): Promise<string> {
  const inserted = await db
    .insertInto('accounts')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function deleteAccountRow(db: Db, accountId: string): Promise<void> {
  await db.deleteFrom('accounts').where('id', '=', accountId).execute();
}

/** Changes an account that is not deleted; says whether there was one. */
export async function updateLiveAccount(
  db: Db,
  accountId: string,
  change:
    | { status: 'active' | 'suspended' }
    | { role: RoleColumn }
    | { on_board: boolean }
    | { display_name: string },
): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set(change)
    .where('id', '=', accountId)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Empties an account to a tombstone: no name, no credentials, no role. */
export async function tombstoneAccount(db: Db, accountId: string, at: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      status: 'deleted',
      display_name: null,
      avatar_url: null,
      staff_email: null,
      password_hash: null,
      totp_secret: null,
      totp_last_step: null,
      role: 'reader',
      deleted_at: at,
    })
    .where('id', '=', accountId)
    .execute();
}

export function listAccountsNewestFirst(db: Db, limit: number) {
  return db
    .selectFrom('accounts')
    .select(['id', 'display_name', 'staff_email', 'role', 'on_board', 'status', 'created_at'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Records a login with an identity; returns its account, or undefined for a new identity. */
export async function touchIdentity(
  db: Db,
  identity: { provider: string; subject: string; email: string | null },
  at: Date,
): Promise<string | undefined> {
  const row = await db
    .updateTable('identities')
    .set({ last_login_at: at, email: identity.email })
    .where('provider', '=', identity.provider)
    .where('subject', '=', identity.subject)
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id;
}

/** Inserts an identity unless (provider, subject) exists; says whether it did. */
export async function insertIdentity(db: Db, row: Insertable<IdentitiesTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('identities')
    .values(row)
    .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
    .returning('account_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The account an identity belongs to, if it exists. */
export async function findIdentityOwner(
  db: Db,
  provider: string,
  subject: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('identities')
    .select('account_id')
    .where('provider', '=', provider)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.account_id;
}

export function listIdentities(db: Db, accountId: string, options: { forUpdate?: boolean } = {}) {
  const query = db
    .selectFrom('identities')
    .select(['provider', 'subject', 'email', 'created_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at');
  return (options.forUpdate ? query.forUpdate() : query).execute();
}

export async function deleteIdentity(
  db: Db,
  accountId: string,
  provider: string,
  subject: string,
): Promise<void> {
  await db
    .deleteFrom('identities')
    .where('account_id', '=', accountId)
    .where('provider', '=', provider)
    .where('subject', '=', subject)
    .execute();
}

export async function deleteAccountIdentities(db: Db, accountId: string): Promise<void> {
  await db.deleteFrom('identities').where('account_id', '=', accountId).execute();
}

// Staff credentials

export function findStaffByEmail(db: Db, email: string, options: { activeOnly: boolean }) {
  return db
    .selectFrom('accounts')
    .select(['id', 'role', 'password_hash', 'totp_secret', 'totp_last_step'])
    .where(sql<string>`lower(staff_email)`, '=', email)
    .where('status', options.activeOnly ? '=' : '!=', options.activeOnly ? 'active' : 'deleted')
    .executeTakeFirst();
}

/**
 * A new staff account, unless a live one has the address already (the unique index on
 * `lower(staff_email)`, migration 0002): undefined then. The index, not an earlier look-up,
 * decides, so two invitations of one address at once make one account.
 */
export async function insertStaffAccount(
  db: Db,
  row: Insertable<AccountsTable> & { staff_email: string },
): Promise<string | undefined> {
  const inserted = await db
    .insertInto('accounts')
    .values(row)
    .onConflict((oc) =>
      oc
        .expression(sql`lower(staff_email)`)
        .where('staff_email', 'is not', null)
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/**
 * Every member of staff not deleted, with whether they finished set-up and when their latest
 * set-up link ends (null without one). A subquery, not a join: one row per person even if two
 * links were issued at once.
 */
export function listStaffAccounts(db: Db) {
  return db
    .selectFrom('accounts')
    .select([
      'accounts.id',
      'accounts.display_name',
      'accounts.staff_email',
      'accounts.role',
      'accounts.on_board',
      'accounts.status',
      'accounts.created_at',
    ])
    .select((eb) => [
      eb
        .and([
          eb('accounts.password_hash', 'is not', null),
          eb('accounts.totp_secret', 'is not', null),
        ])
        .as('set_up'),
      eb
        .selectFrom('staff_setup_tokens')
        .select((sub) => sub.fn.max('staff_setup_tokens.expires_at').as('expires_at'))
        .whereRef('staff_setup_tokens.account_id', '=', 'accounts.id')
        .as('setup_expires_at'),
    ])
    .where('accounts.staff_email', 'is not', null)
    .where('accounts.status', '!=', 'deleted')
    .orderBy('accounts.id')
    .execute();
}

/** One member of staff not deleted, by id. */
export function findStaffById(db: Db, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'display_name', 'staff_email', 'role', 'status', 'password_hash', 'totp_secret'])
    .where('id', '=', accountId)
    .where('staff_email', 'is not', null)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
}

/**
 * Locks accounts' rows until the transaction ends, in id order, so two transactions that lock
 * the same two rows wait for each other instead of deadlocking; returns their roles and statuses.
 */
export function lockAccounts(db: Db, accountIds: readonly string[]) {
  return db
    .selectFrom('accounts')
    .select(['id', 'role', 'status', 'staff_email'])
    .where('id', 'in', accountIds)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function anyStaffAccount(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('accounts')
    .select('id')
    .where('role', '!=', 'reader')
    .where('staff_email', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function setStaffCredentials(
  db: Db,
  accountId: string,
  credentials: { passwordHash: string; totpSecret: string; totpStep: number },
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      password_hash: credentials.passwordHash,
      totp_secret: credentials.totpSecret,
      totp_last_step: credentials.totpStep,
    })
    .where('id', '=', accountId)
    .execute();
}

export async function setPasswordHash(db: Db, accountId: string, hash: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ password_hash: hash })
    .where('id', '=', accountId)
    .execute();
}

/** Claims a TOTP step for the account: false if that step or a later one was used already. */
export async function claimTotpStep(db: Db, accountId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set({ totp_last_step: step })
    .where('id', '=', accountId)
    .where((eb) =>
      eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function replaceSetupToken(
  db: Db,
  row: Insertable<StaffSetupTokensTable>,
): Promise<void> {
  await db.deleteFrom('staff_setup_tokens').where('account_id', '=', row.account_id).execute();
  await db.insertInto('staff_setup_tokens').values(row).execute();
}

export function findLiveSetupToken(db: Db, tokenHash: string, now: Date) {
  return db
    .selectFrom('staff_setup_tokens')
    .innerJoin('accounts', 'accounts.id', 'staff_setup_tokens.account_id')
    .select([
      'staff_setup_tokens.account_id',
      'staff_setup_tokens.totp_secret',
      'accounts.staff_email',
      'accounts.display_name',
    ])
    .where('staff_setup_tokens.token_hash', '=', tokenHash)
    .where('staff_setup_tokens.expires_at', '>', now)
    .where('accounts.status', '=', 'active')
    .executeTakeFirst();
}

/** Deletes a set-up token and returns its account: of two uses of one link, one gets it. */
export async function takeSetupToken(db: Db, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .deleteFrom('staff_setup_tokens')
    .where('token_hash', '=', tokenHash)
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id;
}

export async function deleteStaffExtras(db: Db, accountId: string): Promise<void> {
  await db.deleteFrom('staff_setup_tokens').where('account_id', '=', accountId).execute();
  await db.deleteFrom('staff_devices').where('account_id', '=', accountId).execute();
}

export async function isKnownDevice(
  db: Db,
  accountId: string,
  tokenHash: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('staff_devices')
    .select('token_hash')
    .where('token_hash', '=', tokenHash)
    .where('account_id', '=', accountId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

export async function rememberDevice(
  db: Db,
  accountId: string,
  tokenHash: string,
  expiresAt: Date,
): Promise<void> {
  await db
    .insertInto('staff_devices')
    .values({ token_hash: tokenHash, account_id: accountId, expires_at: expiresAt })
    .onConflict((oc) => oc.column('token_hash').doUpdateSet({ expires_at: expiresAt }))
    .execute();
}
