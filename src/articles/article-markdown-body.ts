import { isDeepStrictEqual } from 'node:util';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { assertUnreachable } from '../lib/assert.js';
import { isSafeHref, type ArticleBody, type Block, type Inline } from './article-body.js';
import { ArticleFileError } from './article-file-error.js';
import { blockInlinesToMarkdown } from './article-markdown-inline.js';

/**
 * The body of an article file: CommonMark in, a body document out, and back. Only what the body
 * document can hold is read; anything else stops the import at its line.
 */

// ---------------------------------------------------------------------------------------------
// Markdown → body

// html: false turns raw HTML into literal text, so nothing from a file can reach a page as markup.
const markdown = new MarkdownIt('commonmark', { html: false });
// markdown-it leaves javascript: and similar links as plain text; we want them to stop the import
// instead, so every link reaches isSafeHref, the one rule for hrefs.
markdown.validateLink = () => true;

function failInBody(reader: { file: string }, line: number, problem: string): never {
  throw new ArticleFileError({ file: reader.file, line, field: 'body' }, problem);
}

type BlockReader = { tokens: Token[]; next: number; file: string; firstLine: number };

export function markdownToBody(source: string, file: string, firstLine: number): ArticleBody {
  const tokens = markdown.parse(source.normalize('NFC'), {});
  return {
    type: 'doc',
    version: 1,
    blocks: readBlocks({ tokens, next: 0, file, firstLine }, undefined),
  };
}

function take(reader: { tokens: Token[]; next: number }): Token | undefined {
  const token = reader.tokens[reader.next];
  reader.next += 1;
  return token;
}

/** Blocks up to the token of type `closeType` (consumed), or to the end. */
function readBlocks(reader: BlockReader, closeType: string | undefined): Block[] {
  const blocks: Block[] = [];
  for (let token = take(reader); token; token = take(reader)) {
    if (token.type === closeType) return blocks;
    blocks.push(readBlock(reader, token));
  }
  return blocks;
}

function readBlock(reader: BlockReader, token: Token): Block {
  const line = reader.firstLine + (token.map?.[0] ?? 0);
  switch (token.type) {
    case 'paragraph_open':
      return { type: 'paragraph', children: readInlineBlock(reader, line) };
    case 'heading_open': {
      const level = token.tag === 'h1' || token.tag === 'h2' ? 2 : 3;
      return { type: 'heading', level, children: readInlineBlock(reader, line) };
    }
    case 'blockquote_open':
      refuseDeepNesting(reader, token, line);
      return { type: 'blockquote', children: readBlocks(reader, 'blockquote_close') };
    case 'bullet_list_open':
    case 'ordered_list_open':
      refuseDeepNesting(reader, token, line);
      return readList(reader, token, line);
    case 'hr':
      return { type: 'rule' };
    case 'code_block':
    case 'fence':
      return failInBody(reader, line, 'code blocks are not supported');
    default:
      return failInBody(reader, line, `${token.type} is not supported`);
  }
}

/**
 * markdown-it silently drops whatever sits 20 tokens deep (its maxNesting); refusing containers
 * well before that keeps a file from losing text without a word. No article nests this deep.
 */
const MAX_CONTAINER_LEVEL = 12;

function refuseDeepNesting(reader: BlockReader, token: Token, line: number): void {
  if (token.level >= MAX_CONTAINER_LEVEL) {
    failInBody(reader, line, 'quotes and lists are nested too deeply');
  }
}

/** The inline token of a paragraph or heading, then its closing token. */
function readInlineBlock(reader: BlockReader, line: number): Inline[] {
  const inline = take(reader);
  take(reader);
  const tokens = inline?.children ?? [];
  return readInlines({ tokens, next: 0, file: reader.file, line, inLink: false }, undefined);
}

function readList(reader: BlockReader, open: Token, line: number): Block {
  const start = open.attrGet('start');
  // The body has no place for a first number; renumbering "3." to "1." would change the text.
  if (start !== null && Number(start) !== 1) {
    failInBody(reader, line, 'an ordered list must start at 1');
  }
  const items: Block[][] = [];
  for (let token = take(reader); token?.type === 'list_item_open'; token = take(reader)) {
    items.push(readBlocks(reader, 'list_item_close'));
  }
  return { type: 'list', ordered: open.type === 'ordered_list_open', items };
}

/** `line` follows the line breaks, so an error points at the line of the offending link. */
type InlineReader = { tokens: Token[]; next: number; file: string; line: number; inLink: boolean };

function readInlines(reader: InlineReader, closeType: string | undefined): Inline[] {
  const nodes: Inline[] = [];
  for (let token = take(reader); token; token = take(reader)) {
    if (token.type === closeType) return nodes;
    appendInline(nodes, readInline(reader, token));
  }
  return nodes;
}

function appendInline(nodes: Inline[], node: Inline): void {
  const last = nodes.at(-1);
  if (node.type !== 'text') nodes.push(node);
  else if (last?.type === 'text')
    nodes[nodes.length - 1] = { type: 'text', value: last.value + node.value };
  else if (node.value !== '') nodes.push(node);
}

function readInline(reader: InlineReader, token: Token): Inline {
  switch (token.type) {
    case 'text':
      return { type: 'text', value: token.content };
    case 'softbreak':
      reader.line += 1;
      return { type: 'text', value: ' ' };
    case 'hardbreak':
      reader.line += 1;
      return { type: 'break' };
    case 'em_open':
      return { type: 'emphasis', children: readInlines(reader, 'em_close') };
    case 'strong_open':
      return { type: 'strong', children: readInlines(reader, 'strong_close') };
    case 'code_inline':
      return { type: 'code', value: token.content };
    case 'link_open':
      return readLink(reader, token);
    case 'image':
      return failInBody(reader, reader.line, 'images are not supported; use the image key');
    default:
      return failInBody(reader, reader.line, `${token.type} is not supported`);
  }
}

function readLink(reader: InlineReader, open: Token): Inline {
  const line = reader.line;
  const href = open.attrGet('href');
  if (typeof href !== 'string' || !isSafeHref(href)) {
    failInBody(reader, line, `only http, https and mailto links are allowed: "${String(href)}"`);
  }
  // The body keeps no link titles; dropping one silently would lose what the author wrote.
  if (open.attrGet('title') !== null) failInBody(reader, line, 'link titles are not supported');
  // markdown-it lets an autolink sit in a link's text; a link in a link is not valid HTML.
  if (reader.inLink) failInBody(reader, line, 'a link inside a link is not supported');
  reader.inLink = true;
  const children = readInlines(reader, 'link_close');
  reader.inLink = false;
  return { type: 'link', href, children };
}

// ---------------------------------------------------------------------------------------------
// Body → Markdown

/**
 * Markdown that markdownToBody reads back to the same body (in normal form: NFC, adjacent text
 * merged). Some trees have no CommonMark spelling at all (an empty emphasis, a line break ending a
 * paragraph); for those this throws rather than write something that reads back differently.
 */
export function bodyToMarkdown(body: ArticleBody): string {
  const normal: ArticleBody = { type: 'doc', version: 1, blocks: body.blocks.map(normaliseBlock) };
  const source = blocksToMarkdown(normal.blocks, 0);
  if (!isDeepStrictEqual(markdownToBody(source, 'body', 1), normal)) {
    throw new Error(
      `This article body cannot be written as Markdown that reads back the same:\n${source}`,
    );
  }
  return source;
}

function normaliseBlock(block: Block): Block {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return { ...block, children: normaliseInlines(block.children) };
    case 'blockquote':
      return { ...block, children: block.children.map(normaliseBlock) };
    case 'list':
      return { ...block, items: block.items.map((item) => item.map(normaliseBlock)) };
    case 'rule':
      return block;
    default:
      return assertUnreachable(block);
  }
}

function normaliseInlines(nodes: readonly Inline[]): Inline[] {
  const normal: Inline[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'code':
        appendInline(normal, { ...node, value: node.value.normalize('NFC') });
        break;
      case 'emphasis':
      case 'strong':
      case 'link':
        normal.push({ ...node, children: normaliseInlines(node.children) });
        break;
      case 'break':
        normal.push(node);
        break;
      default:
        assertUnreachable(node);
    }
  }
  return normal;
}

/** `listDepth` counts the lists around the blocks, to vary bullets (see listToMarkdown). */
function blocksToMarkdown(blocks: readonly Block[], listDepth: number): string {
  const parts: string[] = [];
  let alternate = false;
  blocks.forEach((block, index) => {
    const previous = blocks[index - 1];
    if (block.type !== 'list') return parts.push(blockToMarkdown(block, listDepth));
    // Two lists in a row would merge into one; a different marker keeps them apart.
    const follows = previous?.type === 'list' && previous.ordered === block.ordered;
    alternate = follows ? !alternate : false;
    return parts.push(listToMarkdown(block, alternate, listDepth));
  });
  return parts.join('\n\n');
}

function blockToMarkdown(block: Exclude<Block, { type: 'list' }>, listDepth: number): string {
  switch (block.type) {
    case 'paragraph':
      return blockInlinesToMarkdown(block.children);
    case 'heading':
      return headingToMarkdown(block.level, blockInlinesToMarkdown(block.children));
    case 'blockquote':
      return prefixLines(blocksToMarkdown(block.children, listDepth), '> ', '>');
    case 'rule':
      // Not '---': as the first block of a list item, "- ---" is itself a rule.
      return '***';
    default:
      return assertUnreachable(block);
  }
}

function headingToMarkdown(level: 2 | 3, content: string): string {
  // A line break only fits a setext heading, and those only go to level 2.
  if (content.includes('\n') && level === 2) return `${content}\n---`;
  // A trailing '#' would be taken for the optional closing sequence; an explicit one protects it.
  const closing = content.endsWith('#') ? ' #' : '';
  return `${'#'.repeat(level)}${content === '' ? '' : ` ${content}`}${closing}`;
}

function listToMarkdown(
  list: Extract<Block, { type: 'list' }>,
  alternate: boolean,
  listDepth: number,
): string {
  // Bullets alternate with depth too: nested lists of empty items would otherwise print as
  // "- - -", a thematic break. '*' is never a bullet, as "* ***" would be one as well.
  const plus = alternate !== (listDepth % 2 === 1);
  const tight = list.items.every((item) => item.length <= 1);
  const items = list.items.map((item, index) => {
    const marker = list.ordered ? `${index + 1}${alternate ? ')' : '.'}` : plus ? '+' : '-';
    const [first = '', ...rest] = blocksToMarkdown(item, listDepth + 1).split('\n');
    const indent = ' '.repeat(marker.length + 1);
    const lines = [first === '' ? marker : `${marker} ${first}`, ...rest];
    return prefixLines(lines.join('\n'), indent, '').slice(indent.length);
  });
  return items.join(tight ? '\n' : '\n\n');
}

function prefixLines(text: string, prefix: string, emptyLinePrefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? emptyLinePrefix : prefix + line))
    .join('\n');
}
