import type { Block } from '../articles/articles.service.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { EVERYTHING } from '../lib/content-change.js';
import { LANGUAGES, type Language } from '../lib/language.js';
import { normaliseSitePageText, readSitePage, type SitePageKey } from './site-page.js';
import * as q from './site-pages.queries.js';

/**
 * The site's own pages: read by everyone, saved by an admin. Nothing is cached here; the page
 * cache keeps the rendered pages and is told when one is saved (`contentChanged`, and NOTIFY for
 * other processes), so readers see a saved text at once.
 */

export type { SitePageKey } from './site-page.js';

type Deps = Pick<AppDeps, 'db' | 'log'>;
type SaveDeps = Pick<AppDeps, 'db' | 'clock' | 'contentChanged'>;

export type SitePage = {
  key: SitePageKey;
  language: Language;
  /** The admin's Markdown, for the editor. */
  text: string;
  /** What readers see. */
  blocks: Block[];
  updatedAt: Date;
};

/** A text saved under older Markdown rules that no longer reads is shown as plain paragraphs. */
function plainParagraphs(text: string): Block[] {
  return text
    .split(/\n{2,}/)
    .filter((part) => part.trim() !== '')
    .map((part) => ({ type: 'paragraph', children: [{ type: 'text', value: part }] }));
}

export async function getSitePage(
  deps: Deps,
  key: SitePageKey,
  language: Language,
): Promise<SitePage> {
  const row = await q.findPageText(deps.db, key, language);
  // Migration 0006 seeds every key in both editions, and rows are only ever replaced.
  if (!row) throw new Error(`site page ${key} (${language}) is missing`);
  const read = readSitePage(row.body);
  if (!read.ok) deps.log.warn({ key, language, problem: read.problem }, 'site page unreadable');
  return {
    key,
    language,
    text: row.body,
    blocks: read.ok ? read.blocks : plainParagraphs(row.body),
    updatedAt: row.updated_at,
  };
}

/**
 * Saves both editions' texts of a page at once, or neither: a text that is empty, too long or
 * not readable Markdown is refused (`SITE_PAGE_INVALID`).
 */
export async function saveSitePage(
  deps: SaveDeps,
  input: { key: SitePageKey; adminId: string; texts: Readonly<Record<Language, string>> },
): Promise<void> {
  const texts = LANGUAGES.map((language) => ({
    language,
    body: normaliseSitePageText(input.texts[language]),
  }));
  for (const { language, body } of texts) {
    const read = readSitePage(body);
    if (!read.ok)
      throw new AppError('SITE_PAGE_INVALID', `${input.key} (${language}): ${read.problem.kind}`);
  }
  const at = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    for (const { language, body } of texts)
      await q.upsertPageText(trx, { key: input.key, language, body, at, by: input.adminId });
    // Not one article's content: no change narrower than everything names it.
    await q.notifyContentChanged(trx, EVERYTHING);
  });
  deps.contentChanged(EVERYTHING);
}
