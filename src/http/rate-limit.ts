import type { Kysely } from 'kysely';
import type { Database } from '../db/db-schema.js';
import { AppError } from './app-error.js';
import { countHit, deleteWindowsBefore } from './rate-limit.queries.js';

/**
 * Abuse limits kept in the database, so every app process shares one budget (docs/SECURITY.md,
 * items 25–26). A fixed window per key: the first request of a window inserts its row, later ones
 * add one in the same statement, so two processes can never both see room for the last request.
 *
 * The limits themselves live beside the features that use them and are listed in
 * docs/decisions/0008-accounts-and-sessions.md.
 */

export type Limit = Readonly<{
  /** What is counted, and for whom: `email-code:address:a@b.example`. */
  key: string;
  max: number;
  windowSeconds: number;
}>;

type Deps = { db: Kysely<Database>; clock: () => Date };

function windowOf(limit: Limit, now: Date): { start: Date; end: Date } {
  const size = limit.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / size) * size;
  return { start: new Date(start), end: new Date(start + size) };
}

/** Counts one request against the limit, or throws 429 with the seconds until the window ends. */
export async function spendLimit(deps: Deps, limit: Limit): Promise<void> {
  const now = deps.clock();
  const { start, end } = windowOf(limit, now);
  if ((await countHit(deps.db, limit.key, start)) > limit.max) throw tooMany(limit, now, end);
}

function tooMany(limit: Limit, now: Date, end: Date): AppError {
  return new AppError('TOO_MANY_REQUESTS', `limit reached: ${limit.key}`, {
    retryAfterSeconds: Math.ceil((end.getTime() - now.getTime()) / 1000),
  });
}

/** Forgets windows that have ended; called by the housekeeping tick. */
export async function deleteEndedWindows(deps: Deps, olderThanSeconds = 86_400): Promise<void> {
  const cutoff = new Date(deps.clock().getTime() - olderThanSeconds * 1000);
  await deleteWindowsBefore(deps.db, cutoff);
}
