/**
 * What a committed change altered among the things readers see, as told to the page cache in
 * this process (`deps.contentChanged`) and to every other process (`NOTIFY byline_content`,
 * src/db/db-notify.ts). Naming the articles lets a listener drop only the pages that show them;
 * anything that is not one article's content (a policy, a site page, a section, a restore) is
 * `everything`. See docs/decisions/0013-content-changes.md.
 */
export type ContentChange =
  /** These articles changed (text, address, status, bylines, tags, translation link, threads). */
  | { readonly kind: 'articles'; readonly ids: readonly string[] }
  /** Something every page may show changed, or what changed is not known. */
  | { readonly kind: 'everything' };

export const EVERYTHING: ContentChange = Object.freeze({ kind: 'everything' });

/**
 * Above this many articles the change is `everything`: a batch that large (an import, a restore
 * of many files) leaves little worth keeping, and the NOTIFY payload must stay far below
 * PostgreSQL's 8000 bytes (a bigserial id is at most 19 digits: 100 of them quoted is ~2.2 kB).
 */
export const MAX_NAMED_ARTICLES = 100;

/** The change naming these articles (each once), or `everything` when they are too many. */
export function articlesChanged(ids: Iterable<string>): ContentChange {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_NAMED_ARTICLES) return EVERYTHING;
  return { kind: 'articles', ids: unique };
}
