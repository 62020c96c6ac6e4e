import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Whether a comment can break a clause, and so whether a reader may cite it in a report. Most
  // clauses are rules for comments; some are about the board itself (its decisions, appeals).
  await db.schema
    .alterTable('policy_clauses')
    .addColumn('reportable', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  // Clause 8 of the seeded policy, "Decisions and appeals", tells how the board decides: no
  // comment can break it. A clause number names one rule for ever, so every version's 8 is it.
  await sql`update policy_clauses set reportable = false where number = 8`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('policy_clauses').dropColumn('reportable').execute();
}
