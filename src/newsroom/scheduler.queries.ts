import { sql } from 'kysely';
import type { Db } from './newsroom.queries.js';

/** The scheduler's own question to the database; its publishing goes through newsroom.queries.ts. */

/** The database server's clock, to compare with this process's (docs/decisions/0015). */
export async function databaseClock(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('select clock_timestamp() gave no row');
  return new Date(row.now);
}
