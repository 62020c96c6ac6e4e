import type { Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

/**
 * A person is credited under one name in each edition (Sarah Kim, 김사라) and a tag has one name in
 * each language (Seoul, 서울): each row may name its counterpart in the other edition, so the
 * language switch on an author or tag page leads to the same person or subject, not to an empty
 * page. Set null when the counterpart goes: a missing link only sends the switch to the home page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('people')
    .addColumn('counterpart_id', 'bigint', (c) => c.references('people.id').onDelete('set null'))
    .execute();
  await db.schema
    .alterTable('tags')
    .addColumn('counterpart_id', 'bigint', (c) => c.references('tags.id').onDelete('set null'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tags').dropColumn('counterpart_id').execute();
  await db.schema.alterTable('people').dropColumn('counterpart_id').execute();
}
