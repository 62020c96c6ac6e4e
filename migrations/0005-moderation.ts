import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

const LOG_ACTIONS = [
  'comment_published',
  'comment_held',
  'comment_deleted',
  'comment_reported',
  'comment_approved',
  'comment_rejected',
  'comment_restored',
  'comment_featured',
  'comment_unfeatured',
  'appeal_filed',
  'appeal_upheld',
  'appeal_granted',
  'reader_warned',
  'reader_suspended',
  'reader_banned',
  'reader_reinstated',
  'words_changed',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // A member of staff other than a moderator (an editor, say) may also sit on the standards board.
  await db.schema
    .alterTable('accounts')
    .addColumn('on_board', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  // The desk's hold on a comment: a revision number that every decision raises (a decision made
  // on an older one is stale), who is reviewing it and until when, and whether it is featured.
  await db.schema
    .alterTable('comments')
    .addColumn('moderation_rev', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'bigint')
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('featured_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('comments_pending')
    .on('comments')
    .columns(['created_at', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('comments_recent')
    .on('comments')
    .columns(['created_at desc', 'id desc'])
    .execute();

  // A report is open until a decision on its comment settles it.
  await db.schema.alterTable('comment_reports').addColumn('resolved_at', 'timestamptz').execute();
  await db.schema
    .createIndex('comment_reports_open')
    .on('comment_reports')
    .columns(['comment_id'])
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();

  // The audit log: one row per thing that happened to a comment or a reader, by whom, under which
  // clauses of which policy version. Rows are only ever added (see the trigger below); undoing a
  // decision is a new row. No foreign keys: the record outlives what it speaks of.
  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('action', 'text', (c) =>
      c.notNull().check(sql`action in (${sql.join(LOG_ACTIONS.map((a) => sql.lit(a)))})`),
    )
    // The moderator, reader or admin who acted; null when the system did (a held comment).
    .addColumn('actor_id', 'bigint')
    .addColumn('comment_id', 'bigint')
    .addColumn('article_id', 'bigint')
    // The reader the entry concerns: a comment's author, or the subject of a sanction.
    .addColumn('account_id', 'bigint')
    .addColumn('policy_version', 'integer')
    .addColumn('clauses', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('note', 'text')
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('moderation_log_at').on('moderation_log').columns(['at']).execute();
  await db.schema
    .createIndex('moderation_log_comment')
    .on('moderation_log')
    .columns(['comment_id', 'id'])
    .where(sql.ref('comment_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('moderation_log_account')
    .on('moderation_log')
    .columns(['account_id', 'id'])
    .where(sql.ref('account_id'), 'is not', null)
    .execute();
  await sql`
    create function moderation_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'moderation_log is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger moderation_log_append_only before update or delete on moderation_log
    for each row execute function moderation_log_refuse_change()`.execute(db);
  await sql`
    create trigger moderation_log_no_truncate before truncate on moderation_log
    for each statement execute function moderation_log_refuse_change()`.execute(db);

  // A reader's standing, as sanctions leave it: kept here so posting checks one row.
  await db.schema
    .createTable('reader_standing')
    .addColumn('account_id', 'bigint', (c) =>
      c.primaryKey().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('suspended_until', 'timestamptz')
    .addColumn('banned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('warnings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // One appeal per comment, by its author, against the decision that hid it.
  await db.schema
    .createTable('comment_appeals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('comment_id', 'bigint', (c) =>
      c.notNull().unique().references('comments.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'bigint', (c) => c.notNull())
    // The log entry of the decision appealed against, and the moderator who made it.
    .addColumn('decision_id', 'bigint', (c) => c.notNull())
    .addColumn('decided_by_first', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'upheld', 'granted')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'bigint')
    .addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'bigint')
    .addColumn('claimed_until', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('comment_appeals_open')
    .on('comment_appeals')
    .columns(['created_at', 'id'])
    .where(sql.ref('status'), '=', 'open')
    .execute();

  // Words the site refuses outright and words that hold a comment for review, stored NFC and
  // case-folded, as the screening compares them.
  await db.schema
    .createTable('moderation_words')
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('banned', 'suspect')`))
    .addColumn('added_by', 'bigint')
    .addColumn('added_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('moderation_words_pkey', ['word'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['moderation_words', 'comment_appeals', 'reader_standing', 'moderation_log'])
    await db.schema.dropTable(table).execute();
  await sql`drop function moderation_log_refuse_change()`.execute(db);
  await db.schema.alterTable('comment_reports').dropColumn('resolved_at').execute();
  await db.schema.dropIndex('comments_pending').execute();
  await db.schema.dropIndex('comments_recent').execute();
  await db.schema
    .alterTable('comments')
    .dropColumn('moderation_rev')
    .dropColumn('claimed_by')
    .dropColumn('claimed_until')
    .dropColumn('featured_at')
    .execute();
  await db.schema.alterTable('accounts').dropColumn('on_board').execute();
}
