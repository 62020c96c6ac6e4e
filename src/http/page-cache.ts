import { createHash } from 'node:crypto';
import { assertUnreachable } from '../lib/assert.js';
import type { ContentChange } from '../lib/content-change.js';

/**
 * Rendered pages kept in memory, and dropped when what they show changes
 * (docs/decisions/0005-page-cache.md, 0013-content-changes.md). A change names the articles it
 * touched, or `everything`. An article's page is tagged with every article it shows, and is kept
 * through a change of other articles; every other page (home, section, tag and author lists,
 * site pages) may list the changed article, and is dropped. Entries are bounded in number and in
 * bytes, oldest first out, so random addresses cannot grow memory past a set size
 * (BYLINE_PAGE_CACHE_MB).
 *
 * Pages are keyed by their path in one canonical spelling (pageKey), so a hit is answered before
 * any parsing or routing work (see pages.tsx, serveCached), and the many spellings of one address
 * (`/%73eoul`, `/s%65oul`, `/seoul/`) share one entry instead of each keeping a copy.
 */

/** The default byte budget of the cache, when the configuration gives none. */
export const DEFAULT_PAGE_CACHE_BYTES = 64 * 1024 * 1024;

/** Public pages may be kept briefly by browsers and a CDN, and served stale while refreshed. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';

export type CachedPage = {
  readonly body: Buffer;
  readonly etag: string;
  /** Every header of the answer but the security set, ready to send in one call. */
  readonly headers: Readonly<Record<string, string>>;
};

export type PageCacheLimits = Readonly<{ maxEntries: number; maxBytes: number }>;

export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  /** Body and key bytes of the pages kept; headers are small and shared in shape. */
  private bytes = 0;
  /**
   * Pages by tag (`article:12`): a page carries one tag per article it shows, so a change to one
   * article (or to its comments) drops the pages showing it and no other article's page.
   */
  private readonly tagged = new Map<string, Set<string>>();
  private readonly tagsOf = new Map<string, readonly string[]>();
  private readonly memos = new Map<string, Promise<unknown>>();
  private generation = 0;

  private readonly limits: PageCacheLimits;

  constructor(
    readonly enabled: boolean,
    limits: Partial<PageCacheLimits> = {},
  ) {
    this.limits = { maxEntries: 5_000, maxBytes: DEFAULT_PAGE_CACHE_BYTES, ...limits };
  }

  get(key: string): CachedPage | undefined {
    return this.enabled ? this.pages.get(key) : undefined;
  }

  /**
   * Stores a page rendered during `generation`; a page rendered before the last clear() is
   * stale already and is not kept.
   */
  set(key: string, page: CachedPage, generation: number, tags: readonly string[] = []): void {
    if (!this.enabled || generation !== this.generation) return;
    const size = sizeOf(key, page);
    // A page larger than the whole budget would empty the cache and still not fit.
    if (size > this.limits.maxBytes) return;
    this.delete(key);
    while (
      this.pages.size > 0 &&
      (this.pages.size >= this.limits.maxEntries || this.bytes + size > this.limits.maxBytes)
    ) {
      const oldest = this.pages.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    this.pages.set(key, page);
    this.bytes += size;
    if (tags.length === 0) return;
    this.tagsOf.set(key, tags);
    for (const tag of tags) {
      const keys = this.tagged.get(tag) ?? new Set<string>();
      keys.add(key);
      this.tagged.set(tag, keys);
    }
  }

  private delete(key: string): void {
    const page = this.pages.get(key);
    if (page === undefined) return;
    this.pages.delete(key);
    this.bytes -= sizeOf(key, page);
    const tags = this.tagsOf.get(key);
    if (tags === undefined) return;
    this.tagsOf.delete(key);
    for (const tag of tags) {
      const keys = this.tagged.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.tagged.delete(tag);
    }
  }

  /**
   * Drops the pages carrying a tag (a comment changed under one article). A new generation
   * starts too, so a page of that article rendered before the change is not stored after it.
   */
  dropTag(tag: string): void {
    this.generation += 1;
    for (const key of [...(this.tagged.get(tag) ?? [])]) this.delete(key);
  }

  /**
   * Drops what a committed change made stale. A new generation starts, so a page rendered before
   * the change is not stored after it.
   */
  apply(change: ContentChange): void {
    switch (change.kind) {
      case 'everything':
        this.clear();
        return;
      case 'articles': {
        this.generation += 1;
        const changed = new Set(change.ids.map(articleTag));
        for (const [key] of [...this.pages]) {
          if (!showsOnlyOtherArticles(this.tagsOf.get(key), changed)) this.delete(key);
        }
        // The memos stay: the section navigation changes only with a section, which is
        // `everything` (a new section is in every page's masthead).
        return;
      }
      default:
        assertUnreachable(change);
    }
  }

  /**
   * A value derived from content (the section navigation), kept until the next change. Kept even
   * when whole pages are not: it is a part of every page, not a page.
   */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const found = this.memos.get(key) as Promise<T> | undefined;
    if (found) return found;
    const value = compute();
    this.memos.set(key, value);
    // A failed computation is not remembered: the next request tries again.
    value.catch(() => this.memos.delete(key));
    return value;
  }

  currentGeneration(): number {
    return this.generation;
  }

  clear(): void {
    this.generation += 1;
    this.pages.clear();
    this.bytes = 0;
    this.tagged.clear();
    this.tagsOf.clear();
    this.memos.clear();
  }

  get size(): number {
    return this.pages.size;
  }

  /** What the kept pages weigh, as counted against the byte budget. */
  get byteSize(): number {
    return this.bytes;
  }
}

/** The tag of the pages that show an article: its own page, and its translation's. */
export function articleTag(articleId: string): string {
  return `article:${articleId}`;
}

/**
 * Whether a page, by its tags, is known to show none of the changed articles. A page without
 * tags (a list of articles, a site page) or with a tag that is not an article's promises nothing
 * about which articles it shows, so it is not kept: a stale headline anywhere is a bug.
 */
function showsOnlyOtherArticles(
  tags: readonly string[] | undefined,
  changed: ReadonlySet<string>,
): boolean {
  if (tags === undefined || tags.length === 0) return false;
  return tags.every((tag) => tag.startsWith(articleTag('')) && !changed.has(tag));
}

function sizeOf(key: string, page: CachedPage): number {
  return page.body.length + key.length * 2;
}

export function pageOf(html: string): CachedPage {
  const body = Buffer.from(html, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return {
    body,
    etag,
    headers: Object.freeze({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': PUBLIC_CACHE_CONTROL,
      // A browser that logs in (or out) must not reuse the page it kept under the other cookie.
      vary: 'Cookie',
      etag,
    }),
  };
}

/** If-None-Match may list several tags, or `*`; weak tags compare equal to strong ones here. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * The cache key of a request: its path without the query (but for a page number, see
 * pageParameter), in one spelling for every spelling the
 * router takes as the same address. The router (find-my-way) decodes percent-escapes before it
 * matches, ends the path at `?` or `#`, and ignores one trailing slash; so `/%73eoul`,
 * `/s%65oul`, `/seoul/` and `/seoul#x` are all `/seoul` here. Without this, each spelling was an
 * entry of its own: a few thousand requests for one page kept gigabytes.
 *
 * This runs before routing on every GET, the path of cached pages, so a path already in that
 * spelling (as browsers send them) is answered as it is, and only the others are rewritten.
 */
export function pageKey(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return pathKey(url);
  return `${pathKey(url.slice(0, query))}${pageParameter(url.slice(query + 1))}`;
}

function pathKey(path: string): string {
  if (hasTrailingSlash(path)) return canonicalPath(path);
  if (path.indexOf('%') === -1 && path.indexOf('#') === -1 && isAscii(path)) return path;
  // A browser's encoding of a Korean address is canonical already: one scan, no decoding. A
  // client that sends Hangul unencoded reaches the same page, so it gets the same key.
  return isCanonicalEncoding(path) ? path : canonicalPath(path);
}

/** Page 2 to 999 as the `pageNumber` schema (src/http/schemas.ts) takes it; page 1 is no page. */
const LATER_PAGE = /^(?:[2-9]|[1-9]\d{1,2})$/;

/**
 * The one part of a query that is a different page at the same address: `page`, on a paged
 * public list (the corrections pages). Without it `?page=2` was answered with the kept page 1.
 * Page 1 (or none) keys as no query; a page number from 2 to 999 keys as itself; any other
 * `page` (malformed, repeated, out of range) keys as one shared `?page`, so a paged list refuses
 * it whether or not page 1 is kept. Any other query keys as no query: a random query adds no
 * entry, and one address adds at most 999.
 */
function pageParameter(query: string): string {
  if (query.indexOf('page=') === -1) return '';
  const hash = query.indexOf('#');
  const pages = new URLSearchParams(hash === -1 ? query : query.slice(0, hash)).getAll('page');
  const [page, ...more] = pages;
  if (page === undefined) return '';
  if (more.length > 0) return '?page';
  if (page === '1') return '';
  return LATER_PAGE.test(page) ? `?page=${page}` : '?page';
}

function isAscii(path: string): boolean {
  for (let i = 0; i < path.length; i += 1) if (path.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** The ASCII characters encodeURIComponent leaves as they are. */
const UNESCAPED = new Uint8Array(128);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()")
  UNESCAPED[char.charCodeAt(0)] = 1;

/**
 * Whether canonicalPath would give `path` back unchanged: every escape is upper-case and stands
 * for a byte encodeURIComponent escapes, and every other character is one it leaves, or a slash.
 * (An escape sequence that is not UTF-8 is given back unchanged by canonicalPath too.)
 */
function isCanonicalEncoding(path: string): boolean {
  for (let i = 0; i < path.length; i += 1) {
    const code = path.charCodeAt(i);
    if (code === 0x25) {
      const byte = upperHex(path.charCodeAt(i + 1)) * 16 + upperHex(path.charCodeAt(i + 2));
      if (byte < 0 || (byte < 0x80 && UNESCAPED[byte] === 1)) return false;
      i += 2;
    } else if (code !== 0x2f && (code >= 0x80 || UNESCAPED[code] !== 1)) return false;
  }
  return true;
}

/** An upper-case hexadecimal digit's value; anything else is far enough below 0 to stay there. */
function upperHex(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1_000;
}

function hasTrailingSlash(path: string): boolean {
  return path.length > 1 && path.endsWith('/');
}

function canonicalPath(raw: string): string {
  const hash = raw.indexOf('#');
  let path = hash === -1 ? raw : raw.slice(0, hash);
  if (hasTrailingSlash(path)) path = path.slice(0, -1);
  try {
    // Split on the slashes as sent: an encoded one (%2F) stays inside its segment, as routed.
    return path
      .split('/')
      .map((segment) => encodeURIComponent(decodeURIComponent(segment)))
      .join('/');
  } catch {
    // A malformed escape (`%zz`, half a UTF-8 sequence) is refused by the router, so no page is
    // ever stored under it; the path as sent is a key that nothing will match.
    return path;
  }
}
