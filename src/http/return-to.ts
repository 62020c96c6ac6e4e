/**
 * Where to send a reader back after login: a path on this site only (docs/SECURITY.md, item 22).
 * `//evil.example`, `/\evil.example`, absolute URLs and anything with control characters fall
 * back to the front page.
 *
 * The address is normalised first and checked after: dot segments are resolved by the URL
 * parser, plain or percent-encoded, so `/.//evil.example`, `/%2e//evil.example` and
 * `/x/..//evil.example` all become `//evil.example`, which a browser reads as another host. A
 * check made on the raw text passed them; the check on what is actually sent refuses them.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith('/') || /[\p{Cc}\\]/u.test(value)) return fallback;
  let normalised: string;
  try {
    const url = new URL(value, 'http://byline.invalid');
    if (url.origin !== 'http://byline.invalid') return fallback;
    normalised = `${url.pathname}${url.search}${url.hash}`;
  } catch {
    // An address the URL parser refuses is not one to send anyone to; the fallback is the answer.
    return fallback;
  }
  return isSitePath(normalised) ? normalised : fallback;
}

/**
 * A path a browser resolves on this site: one leading slash, then neither a second slash nor a
 * backslash (browsers treat `/\` as `//`), and nothing the parser left that a browser would
 * strip or stop at.
 */
function isSitePath(path: string): boolean {
  return (
    path.startsWith('/') &&
    !path.startsWith('//') &&
    !path.startsWith('/\\') &&
    !/[\p{Cc}\\]/u.test(path)
  );
}
