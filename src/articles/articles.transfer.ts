import fs from 'node:fs/promises';
import path from 'node:path';
import { findMeta, setMeta } from '../db/db-meta.js';
import { projectRoot } from '../lib/project-root.js';
import { EVERYTHING } from '../lib/content-change.js';
import type { ArticleInput, ArticleStatus, Language } from './article.js';
import type { ArticleBody } from './article-body.js';
import { readArticleFile, writeFilesInto } from './article-file-io.js';
import { ArticleFileError, formatArticleFile, parseArticleFile } from './article-markdown.js';
import * as q from './articles.queries.js';
import {
  imageOf,
  plannedAddress,
  saveArticles,
  type ArticleDeps,
  type SaveResult,
} from './articles.service.js';

export { ExportError } from './article-file-io.js';

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

/** What importing a file would do to an article already in the database. */
export type ArticleChange = {
  file: string;
  language: Language;
  slug: string;
  before: { headline: string; path: string | null; status: ArticleStatus };
  after: { headline: string; path: string; status: ArticleStatus };
};

/** An import that would replace articles already there, refused without `--replace`. */
export class ImportReplaceError extends Error {
  override name = 'ImportReplaceError';
  constructor(readonly changes: readonly ArticleChange[]) {
    super(
      `Nothing was imported: ${changes.length} file(s) would replace an article already in the database\n` +
        `${changes.map((c) => describeChange(c).join('\n')).join('\n')}\n` +
        'Run the import again with --replace to replace them (an old address redirects to the new one).',
    );
  }
}

/** The lines that say what replacing changes: title, address and status, where they differ. */
export function describeChange(change: ArticleChange): string[] {
  const { before, after } = change;
  const lines = [`  ${change.file}: ${change.language}:${change.slug}`];
  if (before.headline !== after.headline) {
    lines.push(
      `    title:   ${JSON.stringify(before.headline)} → ${JSON.stringify(after.headline)}`,
    );
  }
  if (before.path !== after.path) {
    lines.push(`    address: ${before.path ?? '(none)'} → ${after.path}`);
  }
  if (before.status !== after.status) lines.push(`    status:  ${before.status} → ${after.status}`);
  if (lines.length === 1) lines.push('    content changes (title, address and status stay)');
  return lines;
}

/**
 * The Markdown files named, and those inside any folder named, in a stable order. A folder whose
 * name ends in .md is walked like any folder, never read as a file; anything else ending in .md
 * (a FIFO, a link) is listed, and reading it says what is wrong with it.
 */
export async function collectArticleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const stat = await fs.stat(given);
    if (stat.isDirectory()) {
      const entries = await fs.readdir(given, { recursive: true, withFileTypes: true });
      files.push(
        ...entries
          .filter((e) => e.name.endsWith('.md') && !e.isDirectory())
          .map((e) => path.join(e.parentPath, e.name))
          .sort(),
      );
    } else {
      files.push(given);
    }
  }
  return files;
}

export type ImportedArticle = SaveResult & {
  outcome: 'created' | 'unchanged' | 'replaced';
  change?: ArticleChange;
};

/**
 * Reads, checks and saves the files, all or nothing. A file whose article is already in the
 * database with other content replaces it only with `replace`: an import is how a newsroom loads
 * its archive, and a slug that happens to match must not quietly rewrite a published article.
 */
export async function importArticleFiles(
  deps: ArticleDeps,
  files: readonly string[],
  options: { replace: boolean } = { replace: false },
): Promise<ImportedArticle[]> {
  const inputs: ArticleInput[] = [];
  const problems: ArticleFileError[] = [];
  for (const file of files) {
    try {
      inputs.push(parseArticleFile(await readArticleFile(file), file));
    } catch (error) {
      if (!(error instanceof ArticleFileError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new ImportError(problems);
  // Checked before the save's transaction: a newsroom edit in between is replaced unannounced,
  // as the import of a file always did; the check is for the file's own surprises.
  const changes = await Promise.all(
    inputs.map((input, index) => changeOf(deps, input, files[index] ?? '')),
  );
  const replacing = changes.filter((c): c is ArticleChange => c !== undefined && c !== 'same');
  if (replacing.length > 0 && !options.replace) throw new ImportReplaceError(replacing);
  const saved = await saveArticles(deps, inputs);
  return saved.map((result, index) => {
    const change = changes[index];
    if (change === undefined) return { ...result, outcome: 'created' };
    if (change === 'same') return { ...result, outcome: 'unchanged' };
    return { ...result, outcome: 'replaced', change };
  });
}

/** Undefined for a new article, 'same' when saving changes nothing a file holds. */
async function changeOf(
  deps: ArticleDeps,
  input: ArticleInput,
  file: string,
): Promise<ArticleChange | 'same' | undefined> {
  const record = await q.findArticleRecord(deps.db, input.language, input.slug);
  if (!record) return undefined;
  const [bylines, tags, planned] = await Promise.all([
    q.listBylines(deps.db, [record.id]),
    q.listArticleTags(deps.db, [record.id]),
    plannedAddress(deps, input),
  ]);
  const stored = asInputWouldSave(toInput(record, bylines, tags), input);
  const incoming = { ...input, section: planned.sectionName, tagTranslations: [] };
  if (record.status === 'published' && formatArticleFile(stored) === formatArticleFile(incoming)) {
    return 'same';
  }
  return {
    file,
    language: input.language,
    slug: input.slug,
    before: { headline: record.headline, path: record.path, status: record.status },
    after: { headline: input.headline, path: planned.path, status: 'published' },
  };
}

/**
 * The stored article less what saving `input` leaves alone: a translation link the file does not
 * name, an e-mail an author is given without, the tags' other-language names (the tags' business,
 * not the article's).
 */
function asInputWouldSave(stored: ArticleInput, input: ArticleInput): ArticleInput {
  const kept: ArticleInput = {
    ...stored,
    tagTranslations: [],
    authors: stored.authors.map((author, index) =>
      input.authors[index]?.email === undefined ? { name: author.name } : author,
    ),
  };
  if (input.translation === undefined) delete kept.translation;
  return kept;
}

type Named = { article_id: string; name: string };
type Byline = Named & { email: string | null };
type Tag = Named & { translation: string | null };

/** The import file's view of a stored article; the section is named by its English name. */
function toInput(record: q.ArticleRecord, bylines: Byline[], tags: Tag[]): ArticleInput {
  const image = imageOf(record);
  const tagTranslations = tags.flatMap((t) =>
    t.translation === null ? [] : [{ name: t.name, translation: t.translation }],
  );
  return {
    language: record.language,
    slug: record.slug,
    headline: record.headline,
    summary: record.summary,
    body: record.body as ArticleBody,
    section: record.section_name_en,
    tags: tags.map((t) => t.name),
    ...(tagTranslations.length > 0 ? { tagTranslations } : {}),
    authors: bylines.map((a) => (a.email ? { name: a.name, email: a.email } : { name: a.name })),
    ...(record.credit_line ? { credit: record.credit_line } : {}),
    publishedAt: record.published_at ?? record.created_at,
    ...(record.updated_at ? { updatedAt: record.updated_at } : {}),
    ...(record.translation_slug ? { translation: record.translation_slug } : {}),
    ...(image ? { image } : {}),
  };
}

/**
 * Writes every article as `<language>/<slug>.md` under the folder; importing the folder into an
 * empty database gives the same articles back. Refuses, writing nothing, if a file is there
 * already (unless `force`) or a symbolic link is in the way (always).
 */
export async function exportArticles(
  deps: Pick<ArticleDeps, 'db'>,
  folder: string,
  options: { force: boolean } = { force: false },
): Promise<string[]> {
  const records = await q.listArticlesForExport(deps.db);
  const ids = records.map((r) => r.id);
  const [bylines, tags] = await Promise.all([
    q.listBylines(deps.db, ids),
    q.listArticleTags(deps.db, ids),
  ]);
  const files = records.map((record) => ({
    relative: path.join(record.language, `${record.slug}.md`),
    text: formatArticleFile(
      toInput(
        record,
        bylines.filter((b) => b.article_id === record.id),
        tags.filter((t) => t.article_id === record.id),
      ),
    ),
  }));
  return writeFilesInto(folder, files, options);
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
  // The sections' Korean names and order are in every page's masthead.
  deps.contentChanged(EVERYTHING);
  return results;
}
