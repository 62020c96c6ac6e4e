/**
 * Every route of an app, for the tests that walk them all (the role × route table, the fuzzer).
 * Fastify prints its routes as a tree but gives no list, so the tree is read back: method and
 * pattern of each route.
 */
export function routesOfTree(tree: string): { method: string; url: string }[] {
  const found: { method: string; url: string }[] = [];
  const pathAtDepth: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/u.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const url = (pathAtDepth[depth - 1] ?? '') + (match[2] ?? '');
    pathAtDepth.length = depth;
    pathAtDepth.push(url);
    for (const method of match[3]?.split(', ') ?? []) found.push({ method, url });
  }
  return found;
}

/** Text of a page with tags removed and the entities our strings use decoded, for assertions. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
