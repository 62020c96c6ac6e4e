import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { ROW_ID } from '../http/schemas.js';
import { articlesChanged } from '../lib/content-change.js';
import {
  CORRECTIONS_PER_PAGE,
  correctionText,
  isCorrectionKind,
  type ArticleCorrection,
  type CorrectionKind,
  type CorrectionsPage,
} from './article-corrections.js';
import type { Language } from './article.js';
import * as cq from './articles.corrections.queries.js';
import { notifyContentChanged } from './articles.queries.js';

/**
 * Corrections and clarifications: the newsroom adds them (src/newsroom/ calls addCorrection
 * through articles.service.ts), readers see them on the article and on the corrections page.
 *
 * There is deliberately no way to edit or delete one. A correction is a public record of what
 * the newspaper got wrong and when it said so; a wrong correction is set right by another
 * correction, never made to disappear.
 */

export type CorrectionDeps = Pick<AppDeps, 'db' | 'clock' | 'contentChanged'>;

export type NewCorrection = {
  articleId: string;
  kind: CorrectionKind;
  body: string;
  /** The staff member who wrote it (kept for the newsroom, never shown to readers). */
  accountId: string;
};

/**
 * Adds a dated note to a published article. Refused on any other article: a draft has nothing
 * public to correct (its text is simply changed), and an archived one is no longer shown.
 */
export async function addCorrection(
  deps: CorrectionDeps,
  input: NewCorrection,
): Promise<{ id: string; publishedAt: Date }> {
  const body = correctionText(input.body);
  // The kind is checked here too, not only by the type: a form's value reaches this at run time.
  if (body === null || !isCorrectionKind(input.kind)) {
    throw new AppError('CORRECTION_INVALID', 'a correction holds 1 to 2000 visible characters');
  }
  // An id no article could have is no article: the database would answer it with an error.
  if (!ROW_ID.test(input.articleId)) throw new AppError('NOT_FOUND', `article ${input.articleId}`);
  const publishedAt = deps.clock();
  const { id, change } = await deps.db.transaction().execute(async (trx) => {
    const article = await cq.findArticleStatusForShare(trx, input.articleId);
    if (!article) throw new AppError('NOT_FOUND', `article ${input.articleId}`);
    if (article.status !== 'published') {
      throw new AppError('CORRECTION_NOT_PUBLISHED', `article ${article.id} is ${article.status}`);
    }
    const id = await cq.insertCorrection(trx, { ...input, body, publishedAt });
    // The note shows on the article's own page, not on its translation's; the corrections pages
    // carry no article tag, so any article change drops them (ADR 13).
    const change = articlesChanged([article.id]);
    await notifyContentChanged(trx, change);
    return { id, change };
  });
  deps.contentChanged(change);
  return { id, publishedAt };
}

/** The notes of one article, oldest first (whatever its status: the newsroom lists them too). */
export async function listCorrectionsOf(
  deps: Pick<AppDeps, 'db'>,
  articleId: string,
): Promise<ArticleCorrection[]> {
  if (!ROW_ID.test(articleId)) return [];
  const rows = await cq.listCorrectionsOfArticle(deps.db, articleId);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    body: row.body,
    publishedAt: row.published_at,
  }));
}

/** One page (from 1) of an edition's notes, newest first, of articles published now. */
export async function listCorrections(
  deps: Pick<AppDeps, 'db'>,
  query: { language: Language; page: number },
): Promise<CorrectionsPage> {
  const rows = await cq.listCorrectionsInEdition(deps.db, {
    language: query.language,
    limit: CORRECTIONS_PER_PAGE,
    offset: (query.page - 1) * CORRECTIONS_PER_PAGE,
  });
  return {
    page: query.page,
    hasOlder: rows.length > CORRECTIONS_PER_PAGE,
    entries: rows.slice(0, CORRECTIONS_PER_PAGE).map((row) => ({
      id: row.id,
      kind: row.kind,
      body: row.body,
      publishedAt: row.published_at,
      article: { id: row.article_id, headline: row.headline, path: row.path ?? '' },
    })),
  };
}
