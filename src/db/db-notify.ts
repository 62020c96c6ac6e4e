import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './db-schema.js';

/**
 * Every change that a reader page shows is announced on this channel, inside the writing
 * transaction, so every app process (and the PGlite owner) hears of it once it commits, and
 * drops the pages it kept.
 */
export const CONTENT_CHANNEL = 'byline_content';

export async function notifyContentChanged(
  db: Kysely<Database> | Transaction<Database>,
  what: string,
): Promise<void> {
  await sql`select pg_notify(${CONTENT_CHANNEL}, ${what})`.execute(db);
}
