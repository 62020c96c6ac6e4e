import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../db/db-schema.js';
import type { ArticleStatus, Language } from './article.js';

/** Kysely reads and writes of the articles feature; private to it (CONTRIBUTING.md, habit 4). */

export type Db = Kysely<Database> | Transaction<Database>;

export { notifyContentChanged } from '../db/db-notify.js';

export async function upsertSection(
  db: Db,
  section: { slug: string; nameEn: string; nameKo: string },
): Promise<string> {
  const row = await db
    .insertInto('sections')
    .values({ slug: section.slug, name_en: section.nameEn, name_ko: section.nameKo })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ slug: section.slug }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A section by slug, or by its name in either language, as import files name it. */
export async function findSectionByKey(db: Db, key: { slug: string; name: string }) {
  return db
    .selectFrom('sections')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('slug', '=', key.slug),
        eb('name_en', '=', key.name),
        eb('name_ko', '=', key.name),
      ]),
    )
    .orderBy('id')
    .executeTakeFirst();
}

export async function findSectionBySlug(db: Db, slug: string) {
  return db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function listSections(db: Db) {
  return db.selectFrom('sections').selectAll().orderBy('position').orderBy('id').execute();
}

export async function upsertPerson(
  db: Db,
  person: { slug: string; name: string; email: string | null },
): Promise<string> {
  const row = await db
    .insertInto('people')
    .values(person)
    .onConflict((oc) =>
      oc.column('slug').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        email: eb.fn.coalesce('excluded.email', 'people.email'),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findPersonBySlug(db: Db, slug: string) {
  return db.selectFrom('people').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function upsertTag(db: Db, tag: { slug: string; name: string }): Promise<string> {
  const row = await db
    .insertInto('tags')
    .values(tag)
    .onConflict((oc) => oc.column('slug').doUpdateSet({ slug: tag.slug }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findTagBySlug(db: Db, slug: string) {
  return db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** The people who share an e-mail address (case aside): one person's names in two editions. */
export async function listPeopleByEmail(db: Db, email: string) {
  return db
    .selectFrom('people')
    .select(['id', 'slug'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .orderBy('id')
    .execute();
}

/**
 * Makes `a` and `b` each other's counterpart, first unlinking whatever either was linked to, so
 * a link is always a pair.
 */
export async function linkCounterparts(
  db: Db,
  table: 'people' | 'tags',
  a: string,
  b: string,
): Promise<void> {
  await db
    .updateTable(table)
    .set({ counterpart_id: null })
    .where('counterpart_id', 'in', [a, b])
    .where('id', 'not in', [a, b])
    .execute();
  await db.updateTable(table).set({ counterpart_id: b }).where('id', '=', a).execute();
  await db.updateTable(table).set({ counterpart_id: a }).where('id', '=', b).execute();
}

/** Which of these people are credited on a published article in the edition. */
export async function listPeopleInEdition(
  db: Db,
  personIds: readonly string[],
  language: Language,
): Promise<string[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom('article_bylines')
    .innerJoin('articles', 'articles.id', 'article_bylines.article_id')
    .select('article_bylines.person_id')
    .distinct()
    .where('article_bylines.person_id', 'in', personIds)
    .where('articles.status', '=', 'published')
    .where('articles.language', '=', language)
    .execute();
  return rows.map((row) => row.person_id);
}

/** Which of these tags are on a published article in the edition. */
export async function listTagsInEdition(
  db: Db,
  tagIds: readonly string[],
  language: Language,
): Promise<string[]> {
  if (tagIds.length === 0) return [];
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .select('article_tags.tag_id')
    .distinct()
    .where('article_tags.tag_id', 'in', tagIds)
    .where('articles.status', '=', 'published')
    .where('articles.language', '=', language)
    .execute();
  return rows.map((row) => row.tag_id);
}

export async function findPersonById(db: Db, id: string) {
  return db.selectFrom('people').select('slug').where('id', '=', id).executeTakeFirst();
}

export async function findTagById(db: Db, id: string) {
  return db.selectFrom('tags').select('slug').where('id', '=', id).executeTakeFirst();
}

export type ArticleWrite = {
  language: Language;
  slug: string;
  path: string | null;
  headline: string;
  summary: string;
  bodyJson: string;
  status: ArticleStatus;
  sectionId: string;
  creditLine: string | null;
  image: { src: string; alt: string; caption: string | null; credit: string | null } | null;
  publishedAt: Date | null;
  updatedAt: Date | null;
  modifiedAt: Date;
};

function articleColumns(a: ArticleWrite) {
  return {
    language: a.language,
    slug: a.slug,
    path: a.path,
    headline: a.headline,
    summary: a.summary,
    body: a.bodyJson,
    status: a.status,
    section_id: a.sectionId,
    credit_line: a.creditLine,
    image_src: a.image?.src ?? null,
    image_alt: a.image?.alt ?? null,
    image_caption: a.image?.caption ?? null,
    image_credit: a.image?.credit ?? null,
    published_at: a.publishedAt,
    updated_at: a.updatedAt,
    modified_at: a.modifiedAt,
  };
}

export async function findArticleKey(db: Db, language: Language, slug: string) {
  return db
    .selectFrom('articles')
    .select(['id', 'path'])
    .where('language', '=', language)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export async function insertArticle(db: Db, article: ArticleWrite): Promise<string> {
  const row = await db
    .insertInto('articles')
    .values({ ...articleColumns(article), created_at: article.modifiedAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateArticle(db: Db, id: string, article: ArticleWrite): Promise<void> {
  await db.updateTable('articles').set(articleColumns(article)).where('id', '=', id).execute();
}

export async function setArticleStatus(
  db: Db,
  id: string,
  status: ArticleStatus,
  at: Date,
): Promise<void> {
  await db.updateTable('articles').set({ status, modified_at: at }).where('id', '=', id).execute();
}

/** The article's address, its row locked until the transaction ends (a rename reads, then writes). */
export async function findArticleAddressForUpdate(db: Db, id: string) {
  return db
    .selectFrom('articles')
    .select(['id', 'language', 'slug', 'path'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function setArticleAddress(
  db: Db,
  id: string,
  address: { slug: string; path: string | null; modifiedAt: Date },
): Promise<void> {
  await db
    .updateTable('articles')
    .set({ slug: address.slug, path: address.path, modified_at: address.modifiedAt })
    .where('id', '=', id)
    .execute();
}

export async function setTranslation(
  db: Db,
  id: string,
  translationId: string | null,
): Promise<void> {
  await db
    .updateTable('articles')
    .set({ translation_id: translationId })
    .where('id', '=', id)
    .execute();
}

/** The articles whose translation is one of these (their pages link to it). */
export async function listArticlesWithTranslationIn(
  db: Db,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('articles')
    .select('id')
    .where('translation_id', 'in', ids)
    .execute();
  return rows.map((row) => row.id);
}

export async function replaceBylines(
  db: Db,
  articleId: string,
  personIds: string[],
): Promise<void> {
  await db.deleteFrom('article_bylines').where('article_id', '=', articleId).execute();
  if (personIds.length === 0) return;
  await db
    .insertInto('article_bylines')
    .values(
      personIds.map((personId, position) => ({
        article_id: articleId,
        person_id: personId,
        position,
      })),
    )
    .execute();
}

export async function replaceTags(db: Db, articleId: string, tagIds: string[]): Promise<void> {
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  if (tagIds.length === 0) return;
  await db
    .insertInto('article_tags')
    .values(tagIds.map((tagId, position) => ({ article_id: articleId, tag_id: tagId, position })))
    .execute();
}

/** Remembers a path the article no longer lives at; a path that is live again is forgotten. */
export async function addRedirect(db: Db, path: string, articleId: string): Promise<void> {
  await db
    .insertInto('article_redirects')
    .values({ path, article_id: articleId })
    .onConflict((oc) => oc.column('path').doUpdateSet({ article_id: articleId }))
    .execute();
}

export async function deleteRedirect(db: Db, path: string): Promise<void> {
  await db.deleteFrom('article_redirects').where('path', '=', path).execute();
}

export async function findRedirectTarget(db: Db, path: string) {
  return db
    .selectFrom('article_redirects')
    .innerJoin('articles', 'articles.id', 'article_redirects.article_id')
    .select(['articles.path', 'articles.status'])
    .where('article_redirects.path', '=', path)
    .executeTakeFirst();
}

function selectArticle(db: Db) {
  return db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .leftJoin('articles as translation', 'translation.id', 'articles.translation_id')
    .selectAll('articles')
    .select([
      'sections.slug as section_slug',
      'sections.name_en as section_name_en',
      'sections.name_ko as section_name_ko',
      'translation.language as translation_language',
      'translation.slug as translation_slug',
      'translation.path as translation_path',
      'translation.headline as translation_headline',
      'translation.status as translation_status',
    ]);
}

export type ArticleRecord = Awaited<ReturnType<typeof listArticlesForExport>>[number];
export type ArticleWithBylines = NonNullable<Awaited<ReturnType<typeof findArticleByPath>>>;

/**
 * An article with its bylines, tags and corrections in one round trip: on PGlite every query crosses into
 * WebAssembly and waits for the one connection, so the article page asks once.
 */
export async function findArticleByPath(db: Db, path: string) {
  return selectArticle(db)
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('article_bylines')
          .innerJoin('people', 'people.id', 'article_bylines.person_id')
          .select(['people.slug', 'people.name', 'people.email'])
          .whereRef('article_bylines.article_id', '=', 'articles.id')
          .orderBy('article_bylines.position'),
      ).as('bylines'),
      jsonArrayFrom(
        eb
          .selectFrom('article_tags')
          .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
          .select(['tags.slug', 'tags.name'])
          .whereRef('article_tags.article_id', '=', 'articles.id')
          .orderBy('article_tags.position'),
      ).as('tags'),
      // In JSON an id is text only if cast, and a date arrives as its ISO text.
      jsonArrayFrom(
        eb
          .selectFrom('article_corrections')
          .select([
            sql<string>`article_corrections.id::text`.as('id'),
            'article_corrections.kind',
            'article_corrections.body',
            sql<string>`article_corrections.published_at`.as('published_at'),
          ])
          .whereRef('article_corrections.article_id', '=', 'articles.id')
          .orderBy('article_corrections.published_at')
          .orderBy('article_corrections.id'),
      ).as('corrections'),
    ])
    .where('articles.path', '=', path)
    .executeTakeFirst();
}

export async function listArticlesForExport(db: Db) {
  return selectArticle(db).orderBy('articles.id').execute();
}

/** One stored article as `listArticlesForExport` gives it, whatever its status. */
export async function findArticleRecord(db: Db, language: Language, slug: string) {
  return selectArticle(db)
    .where('articles.language', '=', language)
    .where('articles.slug', '=', slug)
    .executeTakeFirst();
}

export async function listBylines(db: Db, articleIds: readonly string[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_bylines')
    .innerJoin('people', 'people.id', 'article_bylines.person_id')
    .select(['article_bylines.article_id', 'people.slug', 'people.name', 'people.email'])
    .where('article_bylines.article_id', 'in', articleIds)
    .orderBy('article_bylines.article_id')
    .orderBy('article_bylines.position')
    .execute();
}

export async function listArticleTags(db: Db, articleIds: readonly string[]) {
  if (articleIds.length === 0) return [];
  return db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .leftJoin('tags as counterpart', 'counterpart.id', 'tags.counterpart_id')
    .select([
      'article_tags.article_id',
      'tags.slug',
      'tags.name',
      'counterpart.name as translation',
    ])
    .where('article_tags.article_id', 'in', articleIds)
    .orderBy('article_tags.article_id')
    .orderBy('article_tags.position')
    .execute();
}

export type ListFilter = {
  language: Language;
  sectionId?: string;
  tagId?: string;
  personId?: string;
  limit: number;
};

/** What a line in a list of articles shows. */
const SUMMARY_COLUMNS = [
  'articles.id',
  'articles.language',
  'articles.path',
  'articles.headline',
  'articles.summary',
  'articles.published_at',
] as const;

/** The bylines of the article in the enclosing query, as a JSON array, in byline order. */
function bylinesOf(
  eb: ExpressionBuilder<Database & { articles: Database['articles'] }, 'articles'>,
) {
  return jsonArrayFrom(
    eb
      .selectFrom('article_bylines')
      .innerJoin('people', 'people.id', 'article_bylines.person_id')
      .select(['people.slug', 'people.name'])
      .whereRef('article_bylines.article_id', '=', 'articles.id')
      .orderBy('article_bylines.position'),
  );
}

/**
 * Published articles, newest first, with their bylines, for the listing pages: one round trip
 * a list (on PGlite a round trip, not the plan, is what a query costs).
 */
export async function listPublished(db: Db, filter: ListFilter) {
  let query = db
    .selectFrom('articles')
    .innerJoin('sections', 'sections.id', 'articles.section_id')
    .select((eb) => [
      ...SUMMARY_COLUMNS,
      'sections.slug as section_slug',
      'sections.name_en as section_name_en',
      'sections.name_ko as section_name_ko',
      bylinesOf(eb).as('authors'),
    ])
    .where('articles.status', '=', 'published')
    .where('articles.language', '=', filter.language);
  if (filter.sectionId !== undefined)
    query = query.where('articles.section_id', '=', filter.sectionId);
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_tags')
          .select('article_tags.article_id')
          .whereRef('article_tags.article_id', '=', 'articles.id')
          .where('article_tags.tag_id', '=', tagId),
      ),
    );
  }
  if (filter.personId !== undefined) {
    const personId = filter.personId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('article_bylines')
          .select('article_bylines.article_id')
          .whereRef('article_bylines.article_id', '=', 'articles.id')
          .where('article_bylines.person_id', '=', personId),
      ),
    );
  }
  return query
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(filter.limit)
    .execute();
}

export async function countArticles(db: Db): Promise<number> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function describeSection(
  db: Db,
  slug: string,
  section: { nameKo: string; position: number },
): Promise<void> {
  await db
    .updateTable('sections')
    .set({ name_ko: section.nameKo, position: section.position })
    .where('slug', '=', slug)
    .execute();
}

/**
 * The newest published articles of every section, `perSection` each, with their bylines, in one
 * statement (a lateral join: each section reads only its own newest rows from the index).
 */
export async function listLatestPerSection(db: Db, language: Language, perSection: number) {
  return db
    .selectFrom('sections')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('articles')
          .select((inner) => [...SUMMARY_COLUMNS, bylinesOf(inner).as('authors')])
          .whereRef('articles.section_id', '=', 'sections.id')
          .where('articles.status', '=', 'published')
          .where('articles.language', '=', language)
          .orderBy('articles.published_at', 'desc')
          .orderBy('articles.id', 'desc')
          .limit(perSection)
          .as('latest'),
      (join) => join.onTrue(),
    )
    .selectAll('latest')
    .select([
      'sections.slug as section_slug',
      'sections.name_en as section_name_en',
      'sections.name_ko as section_name_ko',
    ])
    .orderBy('sections.position')
    .orderBy('sections.id')
    .orderBy('latest.published_at', 'desc')
    .orderBy('latest.id', 'desc')
    .execute();
}

/** The few facts other features need about an article: where it is, whether it is public. */
export async function findArticleRef(db: Db, id: string) {
  return db
    .selectFrom('articles')
    .select([
      'id',
      'language',
      'path',
      'headline',
      'status',
      'published_at as publishedAt',
      'created_at as createdAt',
      'translation_id as translationId',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findArticleIdByPath(db: Db, path: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('articles')
    .select('id')
    .where('path', '=', path)
    .executeTakeFirst();
  return row?.id;
}

/** Everyone a byline may name, by name. */
export async function listPeopleForChoice(db: Db) {
  return db.selectFrom('people').select(['name', 'email']).orderBy('name').limit(2_000).execute();
}

/** An edition's articles, newest change first, for a list to choose from. */
export async function listArticlesForChoice(db: Db, language: Language, limit: number) {
  return db
    .selectFrom('articles')
    .select(['id', 'headline'])
    .where('language', '=', language)
    .where('status', '<>', 'archived')
    .orderBy('modified_at', 'desc')
    .limit(limit)
    .execute();
}
