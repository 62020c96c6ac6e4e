import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

/**
 * The newsroom: stories written and revised in the browser. The `articles` row stays what
 * readers see (for a published story, its approved version); every save of the newsroom is a
 * numbered revision beside it, so a published story is revised without being unpublished, and
 * nothing saved is ever overwritten.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // `unpublished`: taken down by the newsroom, for now (its address answers 404, and it may
  // come back at the same address); `archived` stays the withdrawal for good (410).
  await sql`alter table articles drop constraint articles_status_check`.execute(db);
  await sql`alter table articles drop constraint articles_published_has_time`.execute(db);
  await sql`alter table articles drop constraint articles_published_has_path`.execute(db);
  await sql`alter table articles add constraint articles_status_check check (status in
    ('draft', 'in_review', 'scheduled', 'published', 'unpublished', 'archived'))`.execute(db);
  await sql`alter table articles add constraint articles_published_has_time check (status not in
    ('published', 'unpublished', 'archived') or published_at is not null)`.execute(db);
  await sql`alter table articles add constraint articles_published_has_path check (status not in
    ('published', 'unpublished', 'archived') or path is not null)`.execute(db);

  await db.schema
    .alterTable('articles')
    // Who started the story in the newsroom (a reporter edits their own); null for imports.
    .addColumn('created_by', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    // The newest revision (0: none yet, the row is all there is, as after an import).
    .addColumn('head_revision', 'integer', (c) => c.notNull().defaultTo(0))
    // The revision readers see; null while it was never published from the newsroom.
    .addColumn('live_revision', 'integer')
    // For a published story: its newest revision waits for an editor's approval.
    .addColumn('pending_review', 'boolean', (c) => c.notNull().defaultTo(false))
    // The minute a scheduled story goes live, and the revision that will.
    .addColumn('scheduled_for', 'timestamptz')
    .addColumn('scheduled_revision', 'integer')
    // Before this moment the story cannot go live, whoever asks.
    .addColumn('embargo_until', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('articles')
    .addCheckConstraint(
      'articles_scheduled_has_time',
      sql`status <> 'scheduled' or (scheduled_for is not null and scheduled_revision is not null)`,
    )
    .execute();
  // The scheduler's question, every minute: which scheduled stories are due.
  await sql`create index articles_scheduled_idx on articles (scheduled_for) where status = 'scheduled'`.execute(
    db,
  );

  // Every save, kept without a cap. `content` is the whole story as the newsroom edits it (the
  // body as the editor's JSON document); `headline` is copied out for lists and search.
  await db.schema
    .createTable('article_revisions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('article_id', 'bigint', (c) =>
      c.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull())
    // The revision the writer had when saving; a save not based on the head is a conflict,
    // kept as a revision of its own (reason `conflict`) that never becomes the head by itself.
    .addColumn('based_on', 'integer')
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('baseline', 'save', 'conflict', 'restore')`),
    )
    .addColumn('account_id', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('article_revisions_number_key', ['article_id', 'number'])
    .execute();

  // Notes between staff on a story, never shown to readers. `sent_back` carries an editor's
  // reason for returning a story to its writer.
  await db.schema
    .createTable('article_notes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('article_id', 'bigint', (c) =>
      c.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('note', 'sent_back')`))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('article_notes_article_idx')
    .on('article_notes')
    .columns(['article_id', 'created_at'])
    .execute();

  // Who has a story open in the editor: one holder at a time, seen by everyone else; a holder
  // not seen for a while has left. `taken_from` tells the person an editor displaced.
  await db.schema
    .createTable('story_locks')
    .addColumn('article_id', 'bigint', (c) =>
      c.primaryKey().references('articles.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'bigint', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('taken_from', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .execute();

  // Each time a story went live: by whom (null: the scheduler), which revision, when it was
  // due and when it happened. One row per publication; lateness is read from here.
  await db.schema
    .createTable('article_publications')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('article_id', 'bigint', (c) =>
      c.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('revision', 'integer')
    .addColumn('account_id', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('due_at', 'timestamptz')
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .addColumn('process', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_publications_article_idx')
    .on('article_publications')
    .columns(['article_id', 'published_at'])
    .execute();

  // Public, dated notes on a published story: a correction (a fact was wrong) or a
  // clarification (it was unclear). Shown on the article, in its JSON-LD, and on the
  // corrections page of its edition.
  await db.schema
    .createTable('article_corrections')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('article_id', 'bigint', (c) =>
      c.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('correction', 'clarification')`),
    )
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('account_id', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('published_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('article_corrections_article_idx')
    .on('article_corrections')
    .columns(['article_id', 'published_at'])
    .execute();
  await db.schema
    .createIndex('article_corrections_published_idx')
    .on('article_corrections')
    .column('published_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'article_corrections',
    'article_publications',
    'story_locks',
    'article_notes',
    'article_revisions',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop index articles_scheduled_idx`.execute(db);
  await db.schema.alterTable('articles').dropConstraint('articles_scheduled_has_time').execute();
  await db.schema
    .alterTable('articles')
    .dropColumn('embargo_until')
    .dropColumn('scheduled_revision')
    .dropColumn('scheduled_for')
    .dropColumn('pending_review')
    .dropColumn('live_revision')
    .dropColumn('head_revision')
    .dropColumn('created_by')
    .execute();
  await sql`alter table articles drop constraint articles_status_check`.execute(db);
  await sql`alter table articles drop constraint articles_published_has_time`.execute(db);
  await sql`alter table articles drop constraint articles_published_has_path`.execute(db);
  await sql`alter table articles add constraint articles_status_check check (status in
    ('draft', 'in_review', 'scheduled', 'published', 'archived'))`.execute(db);
  await sql`alter table articles add constraint articles_published_has_time check (status not in
    ('published', 'scheduled', 'archived') or published_at is not null)`.execute(db);
  await sql`alter table articles add constraint articles_published_has_path check (status not in
    ('published', 'archived') or path is not null)`.execute(db);
}
