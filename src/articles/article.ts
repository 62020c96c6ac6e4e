import type { VNode } from 'preact';
import { assertUnreachable } from '../lib/assert.js';
import { editionPrefix, type Language } from '../lib/language.js';
import type { ArticleBody } from './article-body.js';
import type { ArticleCorrection } from './article-corrections.js';

export { LANGUAGES, editionPrefix, type Language } from '../lib/language.js';
// The body's node types and its one link rule, for the newsroom's editor schema, which runs in the
// browser too and so cannot reach them through articles.service.ts.
export { isSafeHref, type ArticleBody, type Block, type Inline } from './article-body.js';

export const ARTICLE_STATUSES = [
  'draft',
  'in_review',
  'scheduled',
  'published',
  'unpublished',
  'archived',
] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** Statuses a reader may see at the article's address: archived answers 410 Gone. */
export function isPublic(status: ArticleStatus): boolean {
  switch (status) {
    case 'published':
      return true;
    case 'draft':
    case 'in_review':
    case 'scheduled':
    case 'unpublished':
    case 'archived':
      return false;
    default:
      return assertUnreachable(status);
  }
}

/**
 * The newsroom's workflow: draft → in_review → scheduled | published, then unpublished (for
 * now) or archived (for good). Who may make each move is the newsroom's rule
 * (src/newsroom/story-rules.ts); this is only which moves exist.
 */
export function canTransition(from: ArticleStatus, to: ArticleStatus): boolean {
  switch (from) {
    case 'draft':
      return to === 'in_review' || to === 'published' || to === 'scheduled';
    case 'in_review':
      return to === 'draft' || to === 'scheduled' || to === 'published';
    case 'scheduled':
      return to === 'draft' || to === 'published';
    case 'published':
      return to === 'unpublished' || to === 'archived';
    case 'unpublished':
      return to === 'published' || to === 'draft' || to === 'archived';
    case 'archived':
      return to === 'published';
    default:
      return assertUnreachable(from);
  }
}

export type ArticleImage = { src: string; alt: string; caption?: string; credit?: string };

/** An author; the same e-mail under two names links the two as one person (Sarah Kim, 김사라). */
export type AuthorInput = { name: string; email?: string };

/** A tag's name in the other language, so the two tag pages lead to each other. */
export type TagTranslation = { name: string; translation: string };

/** What an import file (or, later, the newsroom's editor) gives us to save. */
export type ArticleInput = {
  language: Language;
  slug: string;
  headline: string;
  summary: string;
  body: ArticleBody;
  section: string;
  tags: string[];
  /** Names in `tags` with their name in the other language. */
  tagTranslations?: TagTranslation[];
  authors: AuthorInput[];
  credit?: string;
  publishedAt: Date;
  updatedAt?: Date;
  /** The slug of the same article in the other language. */
  translation?: string;
  image?: ArticleImage;
};

export type SectionRef = { slug: string; name: string };
export type TagRef = { slug: string; name: string };
export type Byline = { slug: string; name: string; email: string | null };

/** An article as pages show it. */
export type Article = {
  id: string;
  language: Language;
  slug: string;
  path: string;
  headline: string;
  summary: string;
  body: ArticleBody;
  status: ArticleStatus;
  section: SectionRef;
  tags: TagRef[];
  authors: Byline[];
  creditLine: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
  translation: { id: string; language: Language; path: string; headline: string } | null;
  image: ArticleImage | null;
  /**
   * Its corrections and clarifications, oldest first. Absent where none can exist yet (the
   * newsroom's preview of an article never published).
   */
  corrections?: readonly ArticleCorrection[];
};

/** A line in a list of articles (home, section, tag, author pages). */
export type ArticleSummary = Pick<
  Article,
  'id' | 'language' | 'path' | 'headline' | 'summary' | 'publishedAt' | 'section'
> & { authors: Pick<Byline, 'name' | 'slug'>[] };

const MAX_SLUG_LENGTH = 80;

/** Slug length in code points: NFC Hangul syllables are one each, and slugs hold no emoji. */
function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    // A high surrogate and its low surrogate are one code point.
    if (unit < 0xd800 || unit > 0xdbff) count += 1;
  }
  return count;
}

/**
 * A readable, stable slug: NFKC (so full-width letters and digits become plain ones, and
 * decomposed Hangul is composed), lower case, the letters, marks and digits of any script (so a
 * Korean headline keeps its Hangul), words joined by '-'.
 */
export function slugify(text: string): string {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((word) => word.length > 0);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (codePoints(next) > MAX_SLUG_LENGTH) break;
    slug = next;
  }
  return slug;
}

export function isValidSlug(slug: string): boolean {
  return (
    slug.length > 0 &&
    codePoints(slug) <= MAX_SLUG_LENGTH &&
    slug === slug.normalize('NFC') &&
    /^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+)*$/u.test(slug)
  );
}

/**
 * The years an article may be dated in. The address carries a four-digit year (the routes match
 * \d{4}), which any year in this range keeps in every time zone; a date outside it is a typo
 * (0001 for 2001) that would publish an article no address reaches. 1800 is older than any
 * newspaper archive a newsroom here would import (the first Korean newspaper is from 1883).
 */
export const PUBLISHED_YEARS = { first: 1800, last: 2999 } as const;

export function isWithinPublishedYears(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= PUBLISHED_YEARS.first && year <= PUBLISHED_YEARS.last;
}

/**
 * Canonical address: edition, publication date in the newsroom's time zone, section, slug.
 * Computed once at publication and stored, so a later change of time zone moves no URL.
 */
export function articlePath(
  input: { language: Language; publishedAt: Date; sectionSlug: string; slug: string },
  timeZone: string,
): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(input.publishedAt);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year')}/${part('month')}/${part('day')}`;
  return `${editionPrefix(input.language)}/${date}/${input.sectionSlug}/${input.slug}`;
}

/** What the comments feature puts under an article (app.tsx wires it; articles do not know it). */
export type ArticleComments = {
  section: VNode;
  count: number;
  /** The browser bundles the section needs (its feature's), loaded by the article page. */
  bundles: readonly string[];
};
