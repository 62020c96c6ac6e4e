import fs from 'node:fs/promises';
import path from 'node:path';
import { findMeta, setMeta } from '../db/db-meta.js';
import { projectRoot } from '../lib/project-root.js';
import type { Article, ArticleInput } from './article.js';
import { ArticleFileError, formatArticleFile, parseArticleFile } from './article-markdown.js';
import * as q from './articles.queries.js';
import { saveArticles, type ArticleDeps, type SaveResult } from './articles.service.js';

/**
 * Articles in and out as Markdown files (the `byline import` and `export` commands, and the demo
 * content). An import run is all-or-nothing: every file is parsed and checked before anything is
 * written, and all of it is written in one transaction.
 */

export class ImportError extends Error {
  override name = 'ImportError';
  constructor(readonly problems: readonly ArticleFileError[]) {
    super(
      `Nothing was imported: ${problems.length} file problem(s)\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
    );
  }
}

/** The Markdown files named, and those inside any folder named, in a stable order. */
export async function collectArticleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const stat = await fs.stat(given);
    if (stat.isDirectory()) {
      const entries = await fs.readdir(given, { recursive: true });
      files.push(
        ...entries
          .filter((e) => e.endsWith('.md'))
          .sort()
          .map((e) => path.join(given, e)),
      );
    } else {
      files.push(given);
    }
  }
  return files;
}

export async function importArticleFiles(
  deps: ArticleDeps,
  files: readonly string[],
): Promise<SaveResult[]> {
  const inputs: ArticleInput[] = [];
  const problems: ArticleFileError[] = [];
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8');
    try {
      inputs.push(parseArticleFile(text, file));
    } catch (error) {
      if (!(error instanceof ArticleFileError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new ImportError(problems);
  return saveArticles(deps, inputs);
}

function toInput(article: Article, sectionName: string): ArticleInput {
  return {
    language: article.language,
    slug: article.slug,
    headline: article.headline,
    summary: article.summary,
    body: article.body,
    section: sectionName,
    tags: article.tags.map((t) => t.name),
    authors: article.authors.map((a) =>
      a.email ? { name: a.name, email: a.email } : { name: a.name },
    ),
    ...(article.creditLine ? { credit: article.creditLine } : {}),
    publishedAt: article.publishedAt,
    ...(article.updatedAt ? { updatedAt: article.updatedAt } : {}),
    ...(article.image ? { image: article.image } : {}),
  };
}

/**
 * Writes every article as `<language>/<slug>.md` under the folder; importing the folder into an
 * empty database gives the same articles back.
 */
export async function exportArticles(
  deps: Pick<ArticleDeps, 'db'>,
  folder: string,
): Promise<string[]> {
  const records = await q.listArticlesForExport(deps.db);
  const bylines = await q.listBylines(
    deps.db,
    records.map((r) => r.id),
  );
  const tags = await q.listArticleTags(
    deps.db,
    records.map((r) => r.id),
  );
  const slugById = new Map(records.map((r) => [r.id, r.slug]));
  const written: string[] = [];
  for (const record of records) {
    const input = toInput(
      {
        ...recordBasics(record),
        tags: tags
          .filter((t) => t.article_id === record.id)
          .map((t) => ({ slug: t.slug, name: t.name })),
        authors: bylines
          .filter((b) => b.article_id === record.id)
          .map((b) => ({ slug: b.slug, name: b.name, email: b.email })),
      },
      record.section_name_en,
    );
    const translation = record.translation_id ? slugById.get(record.translation_id) : undefined;
    const file = path.join(folder, record.language, `${record.slug}.md`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, formatArticleFile(translation ? { ...input, translation } : input));
    written.push(file);
  }
  return written;
}

function recordBasics(record: q.ArticleRecord): Omit<Article, 'tags' | 'authors'> {
  return {
    id: record.id,
    language: record.language,
    slug: record.slug,
    path: record.path ?? '',
    headline: record.headline,
    summary: record.summary,
    body: record.body as Article['body'],
    status: record.status,
    section: { slug: record.section_slug, name: record.section_name_en },
    creditLine: record.credit_line,
    publishedAt: record.published_at ?? record.created_at,
    updatedAt: record.updated_at,
    translation: null,
    image: record.image_src
      ? {
          src: record.image_src,
          alt: record.image_alt ?? '',
          ...(record.image_caption ? { caption: record.image_caption } : {}),
          ...(record.image_credit ? { credit: record.image_credit } : {}),
        }
      : null,
  };
}

/** Korean names of the demo sections; the import format names sections in English. */
const DEMO_SECTION_NAMES_KO: Record<string, string> = {
  national: '사회',
  business: '경제',
  culture: '문화',
};

/**
 * Loads the demo articles on the first start of an empty database, and never again: not over
 * existing content, and not after a newsroom deleted them.
 */
export async function loadDemoContentOnce(deps: ArticleDeps): Promise<SaveResult[]> {
  if ((await findMeta(deps.db, 'demo_loaded_at')) !== undefined) return [];
  if ((await q.countArticles(deps.db)) > 0) return [];
  const folder = path.join(projectRoot(), 'demo', 'articles');
  const results = await importArticleFiles(deps, await collectArticleFiles([folder]));
  for (const [slug, nameKo] of Object.entries(DEMO_SECTION_NAMES_KO))
    await q.nameSectionInKorean(deps.db, slug, nameKo);
  await setMeta(deps.db, 'demo_loaded_at', deps.clock().toISOString());
  deps.contentChanged();
  return results;
}
