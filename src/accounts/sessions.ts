import type { Kysely } from 'kysely';
import type { Database } from '../db/db-schema.js';
import type { Viewer } from '../http/access.js';
import { randomToken, tokenDigest } from '../lib/tokens.js';

/**
 * Sessions after Lucia's design: the browser holds a random token (256 bits, base64url); the
 * database holds its SHA-256 and everything else. A session is ended by deleting its row, so
 * logout, suspension and "end this session" hold at once in every app process.
 *
 * Lifetimes (SECURITY.md item 4; ADR 8): staff sessions follow ASVS 4.0.3 L2, 30 minutes idle
 * and 12 hours absolute; readers, who only comment, keep a session 30 days at most and 7 days
 * without use.
 */

export type SessionKind = 'reader' | 'staff';

export const SESSION_LIFETIMES: Readonly<
  Record<SessionKind, { idleSeconds: number; absoluteSeconds: number }>
> = {
  reader: { idleSeconds: 7 * 86_400, absoluteSeconds: 30 * 86_400 },
  staff: { idleSeconds: 30 * 60, absoluteSeconds: 12 * 3_600 },
};

/** last_seen_at is written at most this often, so reading pages does not mean writing rows. */
const TOUCH_AFTER_SECONDS = 60;

type Deps = { db: Kysely<Database>; clock: () => Date };

export async function createSession(
  deps: Deps,
  input: {
    accountId: string;
    kind: SessionKind;
    method: string;
    userAgent: string;
    ip: string;
  },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIMES[input.kind].absoluteSeconds * 1000);
  await deps.db
    .insertInto('sessions')
    .values({
      token_hash: tokenDigest(token),
      account_id: input.accountId,
      kind: input.kind,
      method: input.method,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      user_agent: input.userAgent.slice(0, 300),
      ip: input.ip,
    })
    .execute();
  return { token, expiresAt };
}

/**
 * The person behind a token, or null when the token is unknown, the session has run out (idle
 * or absolute), or the account is no longer active. A session found dead is deleted.
 */
export async function validateSession(deps: Deps, token: string): Promise<Viewer | null> {
  if (token.length < 22 || token.length > 100) return null;
  const row = await deps.db
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
      'accounts.status',
    ])
    .where('sessions.token_hash', '=', tokenDigest(token))
    .executeTakeFirst();
  if (!row) return null;
  const now = deps.clock().getTime();
  const idleLimit = row.last_seen_at.getTime() + SESSION_LIFETIMES[row.kind].idleSeconds * 1000;
  if (row.status !== 'active' || now >= row.expires_at.getTime() || now >= idleLimit) {
    await deps.db.deleteFrom('sessions').where('id', '=', row.id).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() >= TOUCH_AFTER_SECONDS * 1000) {
    await deps.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now) })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    sessionId: row.id,
    kind: row.kind,
    method: row.method,
    authenticatedAt: row.created_at,
    accountId: row.account_id,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    role: row.role,
  };
}

export async function endSessionByToken(deps: Deps, token: string): Promise<void> {
  await deps.db.deleteFrom('sessions').where('token_hash', '=', tokenDigest(token)).execute();
}

/** Ends one of the account's own sessions; another account's session id changes nothing. */
export async function endOwnSession(
  deps: Deps,
  accountId: string,
  sessionId: string,
): Promise<boolean> {
  const result = await deps.db
    .deleteFrom('sessions')
    .where('id', '=', sessionId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function endAllSessions(deps: Pick<Deps, 'db'>, accountId: string): Promise<number> {
  const result = await deps.db
    .deleteFrom('sessions')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export type SessionSummary = {
  id: string;
  kind: SessionKind;
  method: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string;
  ip: string;
};

export async function listSessions(deps: Deps, accountId: string): Promise<SessionSummary[]> {
  const rows = await deps.db
    .selectFrom('sessions')
    .select(['id', 'kind', 'method', 'created_at', 'last_seen_at', 'user_agent', 'ip'])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', deps.clock())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    method: r.method,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    userAgent: r.user_agent,
    ip: r.ip,
  }));
}

/** Deletes sessions past their absolute end; idle ones are deleted when next presented. */
export async function deleteExpiredSessions(deps: Deps): Promise<void> {
  await deps.db.deleteFrom('sessions').where('expires_at', '<=', deps.clock()).execute();
}
