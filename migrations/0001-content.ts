import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Facts about this installation (when the demo content was loaded, …), one row a fact.
  await db.schema
    .createTable('site_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('sections')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_ko', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en', 'ko')`))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.unique())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(sql`status in ('draft', 'in_review', 'scheduled', 'published', 'archived')`),
    )
    .addColumn('section_id', 'bigint', (c) => c.notNull().references('sections.id'))
    .addColumn('credit_line', 'text')
    .addColumn('translation_id', 'bigint', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('image_src', 'text')
    .addColumn('image_alt', 'text')
    .addColumn('image_caption', 'text')
    .addColumn('image_credit', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('modified_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('articles_language_slug_key', ['language', 'slug'])
    .addCheckConstraint(
      'articles_published_has_time',
      sql`status not in ('published', 'scheduled', 'archived') or published_at is not null`,
    )
    .addCheckConstraint(
      'articles_published_has_path',
      sql`status not in ('published', 'archived') or path is not null`,
    )
    .execute();

  await db.schema
    .createIndex('articles_listing_idx')
    .on('articles')
    .columns(['language', 'status', 'published_at desc'])
    .execute();
  await db.schema
    .createIndex('articles_section_idx')
    .on('articles')
    .columns(['section_id', 'published_at desc'])
    .execute();

  await db.schema
    .createTable('article_bylines')
    .addColumn('article_id', 'bigint', (c) =>
      c.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('people.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_bylines_pkey', ['article_id', 'position'])
    .addUniqueConstraint('article_bylines_person_key', ['article_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('article_bylines_person_idx')
    .on('article_bylines')
    .column('person_id')
    .execute();

  await db.schema
    .createTable('article_tags')
    .addColumn('article_id', 'bigint', (c) =>
      c.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('tag_id', 'bigint', (c) => c.notNull().references('tags.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_tags_pkey', ['article_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('article_tags_tag_idx').on('article_tags').column('tag_id').execute();

  // Every path an article was once published at, so old links answer 301 to the current one.
  await db.schema
    .createTable('article_redirects')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'bigint', (c) =>
      c.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'article_redirects',
    'article_tags',
    'article_bylines',
    'articles',
    'tags',
    'people',
    'sections',
    'site_meta',
  ];
  for (const table of tables) {
    await db.schema.dropTable(table).execute();
  }
}
