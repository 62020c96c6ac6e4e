/**
 * Where to send a reader back after login: a path on this site only (SECURITY.md item 22).
 * `//evil.example`, `/\evil.example`, absolute URLs and anything with control characters fall
 * back to the front page.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\p{Cc}\\]/u.test(value)) return fallback;
  try {
    const url = new URL(value, 'http://byline.invalid');
    if (url.origin !== 'http://byline.invalid') return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
