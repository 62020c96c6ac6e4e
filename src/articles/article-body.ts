/**
 * An article body is a structured document, never HTML. Input (Markdown today, an editor later)
 * is converted into these nodes; pages render only these node types, through an allowlist of
 * elements, so no raw HTML from input can reach a page.
 */

export type Inline =
  | { type: 'text'; value: string }
  | { type: 'emphasis'; children: Inline[] }
  | { type: 'strong'; children: Inline[] }
  | { type: 'code'; value: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: 2 | 3; children: Inline[] }
  | { type: 'blockquote'; children: Block[] }
  | { type: 'list'; ordered: boolean; items: Block[][] }
  | { type: 'rule' };

export type ArticleBody = { type: 'doc'; version: 1; blocks: Block[] };

/** Links may only lead to the web or to an e-mail address (docs/SECURITY.md, item 22). */
export function isSafeHref(href: string): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:';
}
