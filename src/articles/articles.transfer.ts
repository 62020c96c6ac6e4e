import fs from 'node:fs/promises';
import path from 'node:path';
import { findMeta, setMeta } from '../db/db-meta.js';
import { projectRoot } from '../lib/project-root.js';
import type { ArticleInput } from './article.js';
import type { ArticleBody } from './article-body.js';
import { ArticleFileError, formatArticleFile, parseArticleFile } from './article-markdown.js';
import * as q from './articles.queries.js';
import { imageOf, saveArticles, type ArticleDeps, type SaveResult } from './articles.service.js';

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

type Named = { article_id: string; name: string };
type Byline = Named & { email: string | null };

/** The import file's view of a stored article; the section is named by its English name. */
function toInput(
  record: q.ArticleRecord,
  bylines: Byline[],
  tags: Named[],
  translation?: string,
): ArticleInput {
  const image = imageOf(record);
  return {
    language: record.language,
    slug: record.slug,
    headline: record.headline,
    summary: record.summary,
    body: record.body as ArticleBody,
    section: record.section_name_en,
    tags: tags.map((t) => t.name),
    authors: bylines.map((a) => (a.email ? { name: a.name, email: a.email } : { name: a.name })),
    ...(record.credit_line ? { credit: record.credit_line } : {}),
    publishedAt: record.published_at ?? record.created_at,
    ...(record.updated_at ? { updatedAt: record.updated_at } : {}),
    ...(translation ? { translation } : {}),
    ...(image ? { image } : {}),
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
  const ids = records.map((r) => r.id);
  const [bylines, tags] = await Promise.all([
    q.listBylines(deps.db, ids),
    q.listArticleTags(deps.db, ids),
  ]);
  const slugById = new Map(records.map((r) => [r.id, r.slug]));
  const written: string[] = [];
  for (const record of records) {
    const translation = record.translation_id ? slugById.get(record.translation_id) : undefined;
    const input = toInput(
      record,
      bylines.filter((b) => b.article_id === record.id),
      tags.filter((t) => t.article_id === record.id),
      translation,
    );
    const file = path.join(folder, record.language, `${record.slug}.md`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, formatArticleFile(input));
    written.push(file);
  }
  return written;
}

/** The demo sections' Korean names, in masthead order; import files name sections in English. */
const DEMO_SECTIONS = [
  { slug: 'national', nameKo: '사회' },
  { slug: 'business', nameKo: '경제' },
  { slug: 'culture', nameKo: '문화' },
];

/**
 * Loads the demo articles on the first start of an empty database, and never again: not over
 * existing content, and not after a newsroom deleted them.
 */
export async function loadDemoContentOnce(deps: ArticleDeps): Promise<SaveResult[]> {
  if ((await findMeta(deps.db, 'demo_loaded_at')) !== undefined) return [];
  if ((await q.countArticles(deps.db)) > 0) return [];
  const folder = path.join(projectRoot(), 'demo', 'articles');
  const results = await importArticleFiles(deps, await collectArticleFiles([folder]));
  for (const [position, section] of DEMO_SECTIONS.entries()) {
    await q.describeSection(deps.db, section.slug, { nameKo: section.nameKo, position });
  }
  await setMeta(deps.db, 'demo_loaded_at', deps.clock().toISOString());
  deps.contentChanged();
  return results;
}
