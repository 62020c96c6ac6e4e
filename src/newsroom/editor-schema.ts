import { Schema, type DOMOutputSpec, type MarkSpec, type NodeSpec } from 'prosemirror-model';
import { isSafeHref } from '../articles/article.js';

/**
 * The one ProseMirror schema of an article body, loaded by the browser editor
 * (src/newsroom/client/) and by the server, which checks every posted document against it
 * (editor-document.ts). It holds exactly what the stored body can (src/articles/article-body.ts):
 * each node and mark below maps to one body node, so nothing the editor makes is lost on saving
 * and nothing the body holds is lost on editing.
 *
 * parseDOM is the paste filter: HTML pasted from anywhere becomes these nodes or their text. An
 * element no rule names (script, style, img, iframe, a table) contributes its text at most, and
 * no DOM attribute survives but a link's href, and that only when it passes the body's link rule.
 * The text of script and style is dropped outright (`ignore`), never kept as text.
 */

export type HeadingLevel = 2 | 3;

export function isHeadingLevel(value: unknown): value is HeadingLevel {
  return value === 2 || value === 3;
}

const nodes = {
  doc: { content: 'block+' },
  paragraph: {
    group: 'block',
    content: 'inline*',
    parseDOM: [{ tag: 'p' }],
    toDOM: (): DOMOutputSpec => ['p', 0],
  },
  heading: {
    group: 'block',
    content: 'inline*',
    defining: true,
    attrs: {
      level: {
        default: 2,
        validate: (value) => {
          if (!isHeadingLevel(value)) throw new RangeError('a heading is of level 2 or 3');
        },
      },
    },
    // A pasted h1 is the top of someone else's page: it becomes our highest level, as the
    // Markdown importer does, and h4–h6 our lowest.
    parseDOM: [
      { tag: 'h1', attrs: { level: 2 } },
      { tag: 'h2', attrs: { level: 2 } },
      { tag: 'h3', attrs: { level: 3 } },
      { tag: 'h4', attrs: { level: 3 } },
      { tag: 'h5', attrs: { level: 3 } },
      { tag: 'h6', attrs: { level: 3 } },
    ],
    toDOM: (node): DOMOutputSpec => [node.attrs.level === 3 ? 'h3' : 'h2', 0],
  },
  blockquote: {
    group: 'block',
    content: 'block+',
    defining: true,
    parseDOM: [{ tag: 'blockquote' }],
    toDOM: (): DOMOutputSpec => ['blockquote', 0],
  },
  bullet_list: {
    group: 'block',
    content: 'list_item+',
    parseDOM: [{ tag: 'ul' }],
    toDOM: (): DOMOutputSpec => ['ul', 0],
  },
  // No `start` attribute: the body has no place for a list's first number.
  ordered_list: {
    group: 'block',
    content: 'list_item+',
    parseDOM: [{ tag: 'ol' }],
    toDOM: (): DOMOutputSpec => ['ol', 0],
  },
  // block+ rather than prosemirror-schema-list's "paragraph block*": an item of an imported
  // body may open with a heading or a quote, and the editor must hold every body.
  list_item: {
    content: 'block+',
    defining: true,
    parseDOM: [{ tag: 'li' }],
    toDOM: (): DOMOutputSpec => ['li', 0],
  },
  horizontal_rule: {
    group: 'block',
    parseDOM: [{ tag: 'hr' }],
    toDOM: (): DOMOutputSpec => ['hr'],
  },
  // The seam for the photo library's issue: a `figure` node (image, alt text, caption, credit)
  // goes here, in the block group, with a body node of its own in article-body.ts.
  text: { group: 'inline' },
  hard_break: {
    group: 'inline',
    inline: true,
    selectable: false,
    parseDOM: [{ tag: 'br' }],
    toDOM: (): DOMOutputSpec => ['br'],
  },
} satisfies Record<string, NodeSpec>;

/**
 * Mark order is nesting order when a run carries several marks (editor-document.ts breaks ties
 * by it): a link outside, code inside, as the body's `code` holds text only, and emphasis
 * around strong, as markdown-it reads `***both***`, so such text reads back from Markdown the same.
 */
const marks = {
  link: {
    attrs: {
      href: {
        validate: (value) => {
          if (typeof value !== 'string' || !isSafeHref(value)) {
            throw new RangeError('a link leads to an http, https or mailto address');
          }
        },
      },
    },
    // Typing at a link's end extends the text, not the link.
    inclusive: false,
    parseDOM: [
      {
        tag: 'a[href]',
        // A pasted link that breaks the body's link rule keeps its text and loses the link.
        getAttrs: (dom) => {
          const href = dom.getAttribute('href')?.trim() ?? '';
          return isSafeHref(href) ? { href } : false;
        },
      },
    ],
    toDOM: (mark): DOMOutputSpec => ['a', { href: String(mark.attrs.href) }, 0],
  },
  em: {
    parseDOM: [{ tag: 'em' }, { tag: 'i' }],
    toDOM: (): DOMOutputSpec => ['em', 0],
  },
  strong: {
    parseDOM: [{ tag: 'strong' }, { tag: 'b' }],
    toDOM: (): DOMOutputSpec => ['strong', 0],
  },
  code: {
    parseDOM: [{ tag: 'code' }],
    toDOM: (): DOMOutputSpec => ['code', 0],
  },
} satisfies Record<string, MarkSpec>;

export const editorSchema = new Schema({ nodes, marks });

/** The attributes each node and mark type takes; a posted document may carry no others. */
export const NODE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(editorSchema.nodes).map(([name, type]) => [
    name,
    Object.keys(type.spec.attrs ?? {}),
  ]),
);
export const MARK_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(editorSchema.marks).map(([name, type]) => [
    name,
    Object.keys(type.spec.attrs ?? {}),
  ]),
);

/** The link rule for addresses typed in the browser: the body's, trimmed as the URL parser would. */
export function isLinkAddress(href: string): boolean {
  return isSafeHref(href.trim());
}
