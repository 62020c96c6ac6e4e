import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

const THREAD_STATE = sql`state is null or state in ('open', 'closed')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  // Thread settings: a null column inherits (article → section → site configuration).
  for (const [table, key, target] of [
    ['comment_section_settings', 'section_id', 'sections'],
    ['comment_article_settings', 'article_id', 'articles'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(key, 'bigint', (c) =>
        c.primaryKey().references(`${target}.id`).onDelete('cascade'),
      )
      .addColumn('state', 'text', (c) => c.check(THREAD_STATE))
      .addColumn('close_after_hours', 'integer', (c) => c.check(sql`close_after_hours >= 0`))
      .addColumn('premoderated', 'boolean')
      .addColumn('updated_by', 'bigint', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  }

  await db.schema
    .createTable('comments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('article_id', 'bigint', (c) =>
      c.notNull().references('articles.id').onDelete('cascade'),
    )
    // A reply names the comment it answers and the top-level comment of its thread.
    .addColumn('parent_id', 'bigint', (c) => c.references('comments.id'))
    .addColumn('root_id', 'bigint', (c) => c.references('comments.id'))
    .addColumn('depth', 'smallint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`depth >= 0`),
    )
    .addColumn('author_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    // SHA-256 of the case-folded text: the duplicate rule compares these, not whole bodies.
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('published', 'pending', 'hidden', 'deleted')`),
    )
    .addColumn('policy_version', 'integer', (c) =>
      c.notNull().references('policy_versions.version'),
    )
    .addColumn('up_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`up_count >= 0`),
    )
    .addColumn('down_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`down_count >= 0`),
    )
    // Wilson lower bound of the 공감 share, kept beside the counts so it can be indexed.
    .addColumn('ratio_score', 'double precision', (c) => c.notNull().defaultTo(0))
    // Published replies in this comment's thread; a deleted comment with replies stays as a tombstone.
    .addColumn('reply_count', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`reply_count >= 0`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addCheckConstraint('comments_reply_shape', sql`(parent_id is null) = (root_id is null)`)
    .execute();
  // One index per sort order of an article's top-level comments: the first page of a thread of
  // 10,000 comments reads the same few index entries as one of 10.
  for (const [name, columns] of [
    ['comments_thread_newest', ['article_id', 'created_at desc', 'id desc']],
    ['comments_thread_top', ['article_id', 'up_count desc', 'id desc']],
    ['comments_thread_ratio', ['article_id', 'ratio_score desc', 'id desc']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('comments')
      .columns([...columns])
      .where(sql.ref('parent_id'), 'is', null)
      .execute();
  }
  await db.schema
    .createIndex('comments_replies')
    .on('comments')
    .columns(['root_id', 'created_at', 'id'])
    .where(sql.ref('root_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('comments_author')
    .on('comments')
    .columns(['author_id', 'created_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('comments_parent')
    .on('comments')
    .columns(['parent_id'])
    .where(sql.ref('parent_id'), 'is not', null)
    .execute();

  // Published comments per article, kept in step with every change of status, so the article
  // page never counts rows.
  await db.schema
    .createTable('comment_counts')
    .addColumn('article_id', 'bigint', (c) =>
      c.primaryKey().references('articles.id').onDelete('cascade'),
    )
    .addColumn('published', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`published >= 0`),
    )
    .execute();

  // Every earlier text of an edited comment, with the time it was replaced.
  await db.schema
    .createTable('comment_revisions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('comment_id', 'bigint', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('comment_revisions_comment')
    .on('comment_revisions')
    .columns(['comment_id', 'id'])
    .execute();

  // 공감 (1) and 비공감 (-1): one per reader per comment, changeable.
  await db.schema
    .createTable('comment_votes')
    .addColumn('comment_id', 'bigint', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'bigint', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('value', 'smallint', (c) => c.notNull().check(sql`value in (-1, 1)`))
    .addColumn('voted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('comment_votes_pkey', ['comment_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('comment_votes_account')
    .on('comment_votes')
    .columns(['account_id', 'voted_at'])
    .execute();
  // Votes cast, withdrawn or changed count against the daily cap, so a ledger, not the votes.
  await db.schema
    .createTable('comment_vote_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('account_id', 'bigint', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('comment_vote_events_account')
    .on('comment_vote_events')
    .columns(['account_id', 'at'])
    .execute();

  // A report cites a clause of the policy version in force when it was made.
  await db.schema
    .createTable('comment_reports')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('comment_id', 'bigint', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('reporter_id', 'bigint', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('policy_version', 'integer', (c) => c.notNull())
    .addColumn('clause_number', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addForeignKeyConstraint(
      'comment_reports_clause_fkey',
      ['policy_version', 'clause_number'],
      'policy_clauses',
      ['version', 'number'],
    )
    .addUniqueConstraint('comment_reports_once', ['comment_id', 'reporter_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'comment_reports',
    'comment_vote_events',
    'comment_votes',
    'comment_revisions',
    'comment_counts',
    'comments',
    'comment_article_settings',
    'comment_section_settings',
  ])
    await db.schema.dropTable(table).execute();
}
