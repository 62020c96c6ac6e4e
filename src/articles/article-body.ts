/**
 * An article body is a structured document, never HTML. Input (Markdown today, an editor later)
 * is converted into these nodes; pages render only these node types, through an allowlist of
 * elements, so no raw HTML from input can reach a page.
 */

import { assertUnreachable } from '../lib/assert.js';

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

export function emptyBody(): ArticleBody {
  return { type: 'doc', version: 1, blocks: [] };
}

/** Links may only lead to the web or to an e-mail address (SECURITY.md item 22). */
export function isSafeHref(href: string): boolean {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:';
}

/** Plain text of inline nodes, for summaries, titles and search. */
export function inlineText(nodes: readonly Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.value;
        case 'break':
          return '\n';
        case 'emphasis':
        case 'strong':
        case 'link':
          return inlineText(node.children);
        default:
          return assertUnreachable(node);
      }
    })
    .join('');
}

/** Plain text of a whole body, a block to a paragraph. */
export function bodyText(body: ArticleBody): string {
  return blocksText(body.blocks).join('\n\n');
}

function blocksText(blocks: readonly Block[]): string[] {
  return blocks.flatMap((block): string[] => {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        return [inlineText(block.children)];
      case 'blockquote':
        return blocksText(block.children);
      case 'list':
        return block.items.flatMap((item) => blocksText(item));
      case 'rule':
        return [];
      default:
        return assertUnreachable(block);
    }
  });
}
