import type { ArticleBody, Block, Inline } from '../articles/article-body.js';
import { isSafeHref } from '../articles/article-body.js';
import type { EditorDocument } from './story.js';

/**
 * Interim conversion between the editor's document and the stored body, strict both ways
 * (replaced by the schema-backed module of the editor's work).
 */

export type DocumentProblem = {
  code:
    'unknown_node' | 'unknown_mark' | 'bad_attribute' | 'unsafe_link' | 'too_large' | 'malformed';
  detail: string;
};

type Json = { type?: unknown; attrs?: unknown; content?: unknown; marks?: unknown; text?: unknown };

class Refused extends Error {
  constructor(readonly problem: DocumentProblem) {
    super(problem.detail);
  }
}

function nodes(value: unknown): Json[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new Refused({ code: 'malformed', detail: 'content is not a list' });
  return value.map((item) => {
    if (typeof item !== 'object' || item === null)
      throw new Refused({ code: 'malformed', detail: 'a node is not an object' });
    return item as Json;
  });
}

function inlines(content: unknown): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes(content)) {
    if (node.type === 'hard_break') {
      out.push({ type: 'break' });
      continue;
    }
    if (node.type !== 'text' || typeof node.text !== 'string')
      throw new Refused({ code: 'unknown_node', detail: `inline ${String(node.type)}` });
    let inline: Inline = { type: 'text', value: node.text };
    for (const mark of nodes(node.marks)) {
      if (mark.type === 'em') inline = { type: 'emphasis', children: [inline] };
      else if (mark.type === 'strong') inline = { type: 'strong', children: [inline] };
      else if (mark.type === 'code' && inline.type === 'text')
        inline = { type: 'code', value: inline.value };
      else if (mark.type === 'link') {
        const href = (mark.attrs as { href?: unknown } | undefined)?.href;
        if (typeof href !== 'string' || !isSafeHref(href))
          throw new Refused({ code: 'unsafe_link', detail: String(href) });
        inline = { type: 'link', href, children: [inline] };
      } else throw new Refused({ code: 'unknown_mark', detail: String(mark.type) });
    }
    out.push(inline);
  }
  return out;
}

function blocks(content: unknown): Block[] {
  return nodes(content).map((node): Block => {
    switch (node.type) {
      case 'paragraph':
        return { type: 'paragraph', children: inlines(node.content) };
      case 'heading': {
        const level = (node.attrs as { level?: unknown } | undefined)?.level;
        if (level !== 2 && level !== 3)
          throw new Refused({ code: 'bad_attribute', detail: `heading level ${String(level)}` });
        return { type: 'heading', level, children: inlines(node.content) };
      }
      case 'blockquote':
        return { type: 'blockquote', children: blocks(node.content) };
      case 'bullet_list':
      case 'ordered_list':
        return {
          type: 'list',
          ordered: node.type === 'ordered_list',
          items: nodes(node.content).map((item) => {
            if (item.type !== 'list_item')
              throw new Refused({ code: 'unknown_node', detail: String(item.type) });
            return blocks(item.content);
          }),
        };
      case 'horizontal_rule':
        return { type: 'rule' };
      default:
        throw new Refused({ code: 'unknown_node', detail: String(node.type) });
    }
  });
}

export function documentToBody(
  json: unknown,
):
  | { ok: true; body: ArticleBody; document: EditorDocument }
  | { ok: false; problem: DocumentProblem } {
  try {
    if (typeof json !== 'object' || json === null || (json as Json).type !== 'doc')
      return { ok: false, problem: { code: 'malformed', detail: 'not a document' } };
    const body: ArticleBody = { type: 'doc', version: 1, blocks: blocks((json as Json).content) };
    return { ok: true, body, document: bodyToDocument(body) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.problem };
    throw error;
  }
}

function inlineJson(inline: Inline, marks: object[]): object[] {
  switch (inline.type) {
    case 'text':
      return inline.value
        ? [{ type: 'text', text: inline.value, ...(marks.length ? { marks } : {}) }]
        : [];
    case 'code':
      return [{ type: 'text', text: inline.value, marks: [...marks, { type: 'code' }] }];
    case 'break':
      return [{ type: 'hard_break' }];
    case 'emphasis':
      return inline.children.flatMap((c) => inlineJson(c, [...marks, { type: 'em' }]));
    case 'strong':
      return inline.children.flatMap((c) => inlineJson(c, [...marks, { type: 'strong' }]));
    case 'link':
      return inline.children.flatMap((c) =>
        inlineJson(c, [...marks, { type: 'link', attrs: { href: inline.href } }]),
      );
  }
}

function blockJson(block: Block): object {
  switch (block.type) {
    case 'paragraph':
      return { type: 'paragraph', content: block.children.flatMap((c) => inlineJson(c, [])) };
    case 'heading':
      return {
        type: 'heading',
        attrs: { level: block.level },
        content: block.children.flatMap((c) => inlineJson(c, [])),
      };
    case 'blockquote':
      return { type: 'blockquote', content: block.children.map(blockJson) };
    case 'list':
      return {
        type: block.ordered ? 'ordered_list' : 'bullet_list',
        content: block.items.map((item) => ({ type: 'list_item', content: item.map(blockJson) })),
      };
    case 'rule':
      return { type: 'horizontal_rule' };
  }
}

export function bodyToDocument(body: ArticleBody): EditorDocument {
  return { type: 'doc', content: body.blocks.map(blockJson) };
}

/** The plain text of a document, one line a block. */
export function documentText(document: EditorDocument): string {
  const result = documentToBody(document);
  if (!result.ok) return '';
  const text = (inline: Inline): string =>
    inline.type === 'text' || inline.type === 'code'
      ? inline.value
      : inline.type === 'break'
        ? '\n'
        : inline.children.map(text).join('');
  const lines = (block: Block): string[] => {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        return [block.children.map(text).join('')];
      case 'blockquote':
        return block.children.flatMap(lines);
      case 'list':
        return block.items.flatMap((item) => item.flatMap(lines));
      case 'rule':
        return ['—'];
    }
  };
  return result.body.blocks.flatMap(lines).join('\n');
}
