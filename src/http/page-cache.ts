import { createHash } from 'node:crypto';

/**
 * Rendered pages kept in memory, dropped whole when any content changes (DESIGN.md: page cache,
 * invalidated on change). Dropping everything is deliberate: a change of one article touches the
 * home page, its section, its tags and its authors' pages, and changes are rare next to reads.
 * Entries are bounded, oldest first out, so random addresses cannot grow memory without limit.
 *
 * Pages are keyed by the address as requested (path without query), so a hit is answered before
 * any parsing or routing work (see pages.tsx, serveCachedPage).
 */

/** Public pages may be kept briefly by browsers and a CDN, and served stale while refreshed. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';

export type CachedPage = {
  readonly body: Buffer;
  readonly etag: string;
  /** Every header of the answer but the security set, ready to send in one call. */
  readonly headers: Readonly<Record<string, string>>;
};

export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  /** Pages by tag (`article:12`), so one article's comments can drop its page alone. */
  private readonly tagged = new Map<string, Set<string>>();
  private readonly tagOf = new Map<string, string>();
  private readonly memos = new Map<string, Promise<unknown>>();
  private generation = 0;

  constructor(
    readonly enabled: boolean,
    private readonly maxEntries = 5_000,
  ) {}

  get(key: string): CachedPage | undefined {
    return this.enabled ? this.pages.get(key) : undefined;
  }

  /**
   * Stores a page rendered during `generation`; a page rendered before the last clear() is
   * stale already and is not kept.
   */
  set(key: string, page: CachedPage, generation: number, tag?: string): void {
    if (!this.enabled || generation !== this.generation) return;
    if (this.pages.size >= this.maxEntries) {
      const oldest = this.pages.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    this.pages.set(key, page);
    if (tag !== undefined) {
      this.tagOf.set(key, tag);
      const keys = this.tagged.get(tag) ?? new Set<string>();
      keys.add(key);
      this.tagged.set(tag, keys);
    }
  }

  private delete(key: string): void {
    this.pages.delete(key);
    const tag = this.tagOf.get(key);
    if (tag === undefined) return;
    this.tagOf.delete(key);
    const keys = this.tagged.get(tag);
    keys?.delete(key);
    if (keys?.size === 0) this.tagged.delete(tag);
  }

  /**
   * Drops the pages carrying a tag (a comment changed under one article). A new generation
   * starts too, so a page of that article rendered before the change is not stored after it.
   */
  dropTag(tag: string): void {
    this.generation += 1;
    for (const key of this.tagged.get(tag) ?? []) this.delete(key);
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
    this.tagged.clear();
    this.tagOf.clear();
    this.memos.clear();
  }

  get size(): number {
    return this.pages.size;
  }
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

/** The cache key of a request: its path exactly as sent, without the query. */
export function pageKey(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
