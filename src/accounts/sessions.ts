import type { Kysely } from 'kysely';
import type { Database } from '../db/db-schema.js';
import type { Viewer } from '../http/access.js';
import { randomToken, tokenDigest } from '../lib/tokens.js';
import {
  deleteAccountSession,
  deleteAccountSessions,
  deleteSession,
  deleteSessionByToken,
  deleteSessionsEndedBy,
  findSessionByToken,
  insertSession,
  listAccountSessions,
  touchSession,
  type Db,
} from './accounts.queries.js';

/**
 * Sessions after Lucia's design: the browser holds a random token (256 bits, base64url); the
 * database holds its SHA-256 and everything else. A session is ended by deleting its row, so
 * logout, suspension and "end this session" hold at once in every app process.
 *
 * Lifetimes (docs/SECURITY.md, item 4; ADR 8): staff sessions follow ASVS 4.0.3 L2, 30 minutes idle
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
  await insertSession(deps.db, {
    token_hash: tokenDigest(token),
    account_id: input.accountId,
    kind: input.kind,
    method: input.method,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    user_agent: input.userAgent.slice(0, 300),
    ip: input.ip,
  });
  return { token, expiresAt };
}

/**
 * The person behind a token, or null when the token is unknown, the session has run out (idle
 * or absolute), or the account is no longer active. A session found dead is deleted.
 */
export async function validateSession(deps: Deps, token: string): Promise<Viewer | null> {
  if (token.length < 22 || token.length > 100) return null;
  const row = await findSessionByToken(deps.db, tokenDigest(token));
  if (!row) return null;
  const now = deps.clock().getTime();
  const idleLimit = row.last_seen_at.getTime() + SESSION_LIFETIMES[row.kind].idleSeconds * 1000;
  if (row.status !== 'active' || now >= row.expires_at.getTime() || now >= idleLimit) {
    await deleteSession(deps.db, row.id);
    return null;
  }
  if (now - row.last_seen_at.getTime() >= TOUCH_AFTER_SECONDS * 1000)
    await touchSession(deps.db, row.id, new Date(now));
  return {
    sessionId: row.id,
    kind: row.kind,
    method: row.method,
    authenticatedAt: row.created_at,
    accountId: row.account_id,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    role: row.role,
    onBoard: row.on_board,
  };
}

export async function endSessionByToken(deps: Pick<Deps, 'db'>, token: string): Promise<void> {
  await deleteSessionByToken(deps.db, tokenDigest(token));
}

/** Ends one of the account's own sessions; another account's session id changes nothing. */
export function endOwnSession(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  sessionId: string,
): Promise<boolean> {
  return deleteAccountSession(deps.db, accountId, sessionId);
}

export function endAllSessions(deps: { db: Db }, accountId: string): Promise<number> {
  return deleteAccountSessions(deps.db, accountId);
}

export type SessionSummary = {
  id: string;
  kind: SessionKind;
  method: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string;
  ip: string;
};

export async function listSessions(deps: Deps, accountId: string): Promise<SessionSummary[]> {
  const rows = await listAccountSessions(deps.db, accountId, deps.clock());
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    method: r.method,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    userAgent: r.user_agent,
    ip: r.ip,
  }));
}

/** Deletes sessions past their absolute end; idle ones are deleted when next presented. */
export async function deleteExpiredSessions(deps: Deps): Promise<void> {
  await deleteSessionsEndedBy(deps.db, deps.clock());
}
