import type { CorrectionKind } from './article-corrections.js';
import type { Language } from './article.js';
import type { Db } from './articles.queries.js';

/** Kysely reads and writes of corrections; private to the articles feature. */

/**
 * The article's status, its row locked until the transaction ends: a correction is added only to
 * a published article, and an unpublish racing it waits rather than slipping in between.
 */
export async function findArticleStatusForShare(db: Db, articleId: string) {
  return db
    .selectFrom('articles')
    .select(['id', 'status'])
    .where('id', '=', articleId)
    .forShare()
    .executeTakeFirst();
}

export async function insertCorrection(
  db: Db,
  correction: {
    articleId: string;
    kind: CorrectionKind;
    body: string;
    accountId: string;
    publishedAt: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('article_corrections')
    .values({
      article_id: correction.articleId,
      kind: correction.kind,
      body: correction.body,
      account_id: correction.accountId,
      published_at: correction.publishedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One article's notes, oldest first: the order they were added in, as the article shows them. */
export async function listCorrectionsOfArticle(db: Db, articleId: string) {
  return db
    .selectFrom('article_corrections')
    .select(['id', 'kind', 'body', 'published_at'])
    .where('article_id', '=', articleId)
    .orderBy('published_at')
    .orderBy('id')
    .execute();
}

/**
 * One page of an edition's notes, newest first, of articles published now (an unpublished or
 * archived article takes its notes off the page with it). One row more than asked for tells
 * whether an older page follows.
 */
export async function listCorrectionsInEdition(
  db: Db,
  filter: { language: Language; limit: number; offset: number },
) {
  return db
    .selectFrom('article_corrections')
    .innerJoin('articles', 'articles.id', 'article_corrections.article_id')
    .select([
      'article_corrections.id',
      'article_corrections.kind',
      'article_corrections.body',
      'article_corrections.published_at',
      'articles.id as article_id',
      'articles.headline',
      'articles.path',
    ])
    .where('articles.status', '=', 'published')
    .where('articles.language', '=', filter.language)
    .where('articles.path', 'is not', null)
    .orderBy('article_corrections.published_at', 'desc')
    .orderBy('article_corrections.id', 'desc')
    .limit(filter.limit + 1)
    .offset(filter.offset)
    .execute();
}
