import { Mark, type Node } from 'prosemirror-model';
import { isSafeHref, type ArticleBody, type Block, type Inline } from '../articles/article.js';
import { assertUnreachable } from '../lib/assert.js';
import { editorSchema } from './editor-schema.js';

/**
 * ProseMirror's nodes to the stored body and back, one node or mark to one body node. A node
 * reaches nodeToBody only once editor-document.ts has checked it against the schema, so a type it
 * does not know is a defect here, thrown; bodyToNode takes any body the type allows.
 */

export function nodeToBody(doc: Node): ArticleBody {
  return { type: 'doc', version: 1, blocks: blocksOf(doc) };
}

function blocksOf(parent: Node): Block[] {
  const blocks: Block[] = [];
  parent.forEach((child) => blocks.push(blockOf(child)));
  return blocks;
}

function blockOf(node: Node): Block {
  switch (node.type.name) {
    case 'paragraph':
      return { type: 'paragraph', children: inlinesOf(node) };
    case 'heading':
      return { type: 'heading', level: node.attrs.level === 3 ? 3 : 2, children: inlinesOf(node) };
    case 'blockquote':
      return { type: 'blockquote', children: blocksOf(node) };
    case 'bullet_list':
    case 'ordered_list': {
      const items: Block[][] = [];
      node.forEach((item) => items.push(blocksOf(item)));
      return { type: 'list', ordered: node.type.name === 'ordered_list', items };
    }
    case 'horizontal_rule':
      return { type: 'rule' };
    default:
      throw new Error(`no body block for ${node.type.name}`);
  }
}

function inlinesOf(parent: Node): Inline[] {
  const items: Node[] = [];
  parent.forEach((child) => items.push(child));
  return groupInlines(items, []);
}

/**
 * ProseMirror keeps inline content flat, each text carrying its marks; the body nests. At each
 * point the mark that runs furthest opens first (ties go to the schema's mark order), so
 * "*a **b** c*" comes back as emphasis around a strong, as the Markdown importer reads it.
 * `code` never opens: the body's code is a leaf holding its text.
 */
function groupInlines(items: readonly Node[], open: readonly Mark[]): Inline[] {
  const out: Inline[] = [];
  let index = 0;
  while (index < items.length) {
    const item = items[index];
    if (!item) break;
    const pending = item.marks.filter((m) => m.type.name !== 'code' && !m.isInSet(open));
    let best: Mark | undefined;
    let bestRun = 0;
    for (const mark of pending) {
      const run = runLength(items, index, mark);
      if (run > bestRun) [best, bestRun] = [mark, run];
    }
    if (!best) {
      out.push(leafOf(item));
      index += 1;
      continue;
    }
    const children = groupInlines(items.slice(index, index + bestRun), [...open, best]);
    out.push(wrapped(best, children));
    index += bestRun;
  }
  return out;
}

function runLength(items: readonly Node[], from: number, mark: Mark): number {
  let end = from;
  while (end < items.length && mark.isInSet(items[end]?.marks ?? [])) end += 1;
  return end - from;
}

function wrapped(mark: Mark, children: Inline[]): Inline {
  switch (mark.type.name) {
    case 'link':
      return { type: 'link', href: String(mark.attrs.href), children };
    case 'strong':
      return { type: 'strong', children };
    case 'em':
      return { type: 'emphasis', children };
    default:
      throw new Error(`no body node for the mark ${mark.type.name}`);
  }
}

function leafOf(node: Node): Inline {
  if (node.type.name === 'hard_break') return { type: 'break' };
  const value = (node.text ?? '').normalize('NFC');
  return node.marks.some((m) => m.type.name === 'code')
    ? { type: 'code', value }
    : { type: 'text', value };
}

/**
 * The document of a body. An empty quote or list item gets an empty paragraph (the schema wants
 * a block in each), empty texts go, and a link that breaks the link rule keeps its text only, as
 * pages show it.
 */
export function bodyToNode(body: ArticleBody): Node {
  return editorSchema.nodes.doc.create(null, containerContent(body.blocks));
}

function containerContent(blocks: readonly Block[]): Node[] {
  return blocks.length > 0 ? blocks.map(blockNode) : [editorSchema.nodes.paragraph.create()];
}

function blockNode(block: Block): Node {
  const { nodes } = editorSchema;
  switch (block.type) {
    case 'paragraph':
      return nodes.paragraph.create(null, inlineNodes(block.children, Mark.none));
    case 'heading':
      return nodes.heading.create({ level: block.level }, inlineNodes(block.children, Mark.none));
    case 'blockquote':
      return nodes.blockquote.create(null, containerContent(block.children));
    case 'list': {
      const type = block.ordered ? nodes.ordered_list : nodes.bullet_list;
      const items = block.items.length > 0 ? block.items : [[]];
      return type.create(
        null,
        items.map((item) => nodes.list_item.create(null, containerContent(item))),
      );
    }
    case 'rule':
      return nodes.horizontal_rule.create();
    default:
      return assertUnreachable(block);
  }
}

function inlineNodes(inlines: readonly Inline[], marks: readonly Mark[]): Node[] {
  const { nodes, marks: types } = editorSchema;
  return inlines.flatMap((inline): Node[] => {
    switch (inline.type) {
      case 'text':
        return inline.value === '' ? [] : [editorSchema.text(inline.value, marks)];
      case 'code':
        return inline.value === ''
          ? []
          : [editorSchema.text(inline.value, types.code.create().addToSet(marks))];
      case 'break':
        return [nodes.hard_break.create(null, null, marks)];
      case 'emphasis':
        return inlineNodes(inline.children, types.em.create().addToSet(marks));
      case 'strong':
        return inlineNodes(inline.children, types.strong.create().addToSet(marks));
      case 'link':
        return inlineNodes(
          inline.children,
          isSafeHref(inline.href)
            ? types.link.create({ href: inline.href }).addToSet(marks)
            : marks,
        );
      default:
        return assertUnreachable(inline);
    }
  });
}
