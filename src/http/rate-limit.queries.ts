import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/db-schema.js';

/** The abuse-limit counters' reads and writes (rate-limit.ts decides what they mean). */

/** Counts one hit in a key's window, inserting or adding in one statement; returns the total. */
export async function countHit(
  db: Kysely<Database>,
  key: string,
  windowStart: Date,
): Promise<number> {
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return row.hits;
}

export async function deleteWindowsBefore(db: Kysely<Database>, cutoff: Date): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', cutoff).execute();
}
