import { readMarkdownBlocks, type Block } from '../articles/articles.service.js';

/**
 * The site's own pages: the privacy policy, the terms of use and the About page, one Markdown
 * text per edition. Markdown goes through the articles' reader (`readMarkdownBlocks`), so a
 * page can hold exactly what an article body can, and is shown through the same allowlist.
 */

export const SITE_PAGE_KEYS = ['privacy', 'terms', 'about'] as const;

export type SitePageKey = (typeof SITE_PAGE_KEYS)[number];

/**
 * A Korean privacy policy runs to some 10,000 characters; four times that leaves room and keeps
 * the editor's form (two texts, nine bytes a Korean character once URL-encoded) under 1 MiB.
 */
export const SITE_PAGE_MAX_CHARACTERS = 40_000;

export type SitePageProblem =
  | { kind: 'empty' }
  | { kind: 'too_long'; limit: number }
  | { kind: 'control' }
  | { kind: 'markdown'; line: number };

/**
 * Line breaks and tabs are text (carriage returns are gone by now); any other control character
 * (C0, DEL, C1) would be shown as nothing.
 */
const CONTROL = /[^\P{Cc}\n\t]/u;

/** The text as it is kept: NFC, one kind of line break, no trailing blank lines. */
export function normaliseSitePageText(raw: string): string {
  return raw.normalize('NFC').replace(/\r\n?/g, '\n').trimEnd();
}

/** Blocks of a text already normalised, or why it cannot be a page. */
export function readSitePage(
  text: string,
): { ok: true; blocks: Block[] } | { ok: false; problem: SitePageProblem } {
  // Counted before anything reads the text, so no over-long input costs a parse.
  if (text.length > SITE_PAGE_MAX_CHARACTERS)
    return { ok: false, problem: { kind: 'too_long', limit: SITE_PAGE_MAX_CHARACTERS } };
  if (text.trim() === '') return { ok: false, problem: { kind: 'empty' } };
  if (CONTROL.test(text)) return { ok: false, problem: { kind: 'control' } };
  const read = readMarkdownBlocks(text, 'site page');
  return read.ok
    ? { ok: true, blocks: read.blocks }
    : { ok: false, problem: { kind: 'markdown', line: read.line } };
}
