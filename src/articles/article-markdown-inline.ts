import MarkdownIt from 'markdown-it';
import { assertUnreachable } from '../lib/assert.js';
import type { Inline } from './article-body.js';

/**
 * Inline nodes → Markdown, for bodyToMarkdown. Text is escaped, and where CommonMark's delimiter
 * rules depend on the neighbouring character, that character is written as a numeric entity
 * (&#x20;), which reads back as the same text but counts as punctuation for the rules.
 */

// markdown-it hands out its character classes only on an instance. These are the functions its
// delimiter rules call, so the escaping here agrees with the reading in article-markdown-body.ts.
const { isWhiteSpace, isMdAsciiPunct, isPunctCharCode } = new MarkdownIt().utils;

type Delimiter = '*' | '_';

type InlineContext = {
  /** The nodes start and end a block, whose edges markdown-it trims. */
  blockEdges: boolean;
  /** The delimiter directly around the nodes, if they sit inside emphasis or strong. */
  parent: Delimiter | undefined;
  /** The nearest delimiter of each kind around the nodes: nesting the same one can misparse. */
  enclosing: { emphasis?: Delimiter; strong?: Delimiter };
};

const BLOCK_CONTEXT: InlineContext = { blockEdges: true, parent: undefined, enclosing: {} };

/** The Markdown for the inline content of a paragraph or heading. */
export function blockInlinesToMarkdown(nodes: readonly Inline[]): string {
  return inlinesToMarkdown(nodes, BLOCK_CONTEXT);
}

type Piece =
  | { kind: 'text'; value: string }
  | {
      kind: 'markup';
      node: Exclude<Inline, { type: 'text' }>;
      source: string;
      delimiter?: Delimiter;
      /** The character outside must be whitespace or punctuation for the delimiter to count. */
      boundaryBefore: boolean;
      boundaryAfter: boolean;
    };

function inlinesToMarkdown(nodes: readonly Inline[], context: InlineContext): string {
  const pieces: Piece[] = [];
  nodes.forEach((node, index) => {
    if (node.type === 'text') return pieces.push({ kind: 'text', value: node.value });
    const left = index === 0 ? context.parent : markupDelimiter(pieces.at(-1));
    const right = index === nodes.length - 1 ? context.parent : undefined;
    return pieces.push(markupPiece(node, context, left, right));
  });
  return pieces
    .map((piece, index) => {
      if (piece.kind === 'markup') return piece.source;
      return textPiece(
        piece.value,
        { previous: pieces[index - 1], next: pieces[index + 1] },
        context,
      );
    })
    .join('');
}

function markupDelimiter(piece: Piece | undefined): Delimiter | undefined {
  return piece?.kind === 'markup' ? piece.delimiter : undefined;
}

function markupPiece(
  node: Exclude<Inline, { type: 'text' }>,
  context: InlineContext,
  left: Delimiter | undefined,
  right: Delimiter | undefined,
): Piece {
  const plain = { kind: 'markup', node, boundaryBefore: false, boundaryAfter: false } as const;
  switch (node.type) {
    case 'emphasis':
    case 'strong':
      return delimitedPiece(node, context, left, right);
    case 'code':
      return { ...plain, source: codeToMarkdown(node.value) };
    case 'link': {
      const label = inlinesToMarkdown(node.children, {
        ...context,
        blockEdges: false,
        parent: undefined,
      });
      return { ...plain, source: `[${label}](<${node.href.replace(/[\\<>&]/g, '\\$&')}>)` };
    }
    case 'break':
      return { ...plain, source: '\\\n' };
    default:
      return assertUnreachable(node);
  }
}

function delimitedPiece(
  node: Extract<Inline, { type: 'emphasis' | 'strong' }>,
  context: InlineContext,
  left: Delimiter | undefined,
  right: Delimiter | undefined,
): Piece {
  // A delimiter next to one of the same character would merge into one run ("**" for two "*").
  const candidates = (['*', '_'] as const).filter((d) => d !== left && d !== right);
  const delimiter =
    candidates.find((d) => d !== context.enclosing[node.type]) ?? candidates[0] ?? '*';
  const enclosing = { ...context.enclosing, [node.type]: delimiter };
  const content = inlinesToMarkdown(node.children, {
    blockEdges: false,
    parent: delimiter,
    enclosing,
  });
  const run = node.type === 'strong' ? delimiter.repeat(2) : delimiter;
  // '*' may sit inside a word unless punctuation is on its inner side; '_' never may.
  const boundaryBefore = delimiter === '_' || isBoundary(content.codePointAt(0));
  const boundaryAfter = delimiter === '_' || isBoundary(lastCodePoint(content));
  return {
    kind: 'markup',
    node,
    delimiter,
    source: `${run}${content}${run}`,
    boundaryBefore,
    boundaryAfter,
  };
}

function codeToMarkdown(value: string): string {
  const runs = new Set(value.match(/`+/g)?.map((run) => run.length));
  let length = 1;
  while (runs.has(length)) length += 1;
  const fence = '`'.repeat(length);
  // markdown-it strips one space from each side when both are there (and the code is not all
  // spaces); padding also keeps a backtick at the edge from joining the fence.
  const pad = /^`|`$/.test(value) || /^ .*[^ ].* $/s.test(value) ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

function isBoundary(codePoint: number | undefined): boolean {
  return (
    codePoint === undefined ||
    isWhiteSpace(codePoint) ||
    isMdAsciiPunct(codePoint) ||
    isPunctCharCode(codePoint)
  );
}

function lastCodePoint(text: string): number | undefined {
  return Array.from(text).at(-1)?.codePointAt(0);
}

type Neighbours = { previous: Piece | undefined; next: Piece | undefined };

/** What the characters around a text node demand of its first and last characters. */
type TextEdges = {
  encodeFirst: (codePoint: number) => boolean;
  encodeLast: (codePoint: number) => boolean;
  /** The text starts a line, where '#', '>', '-', '1.' and the like would start a block. */
  lineStart: boolean;
  /** A link follows, and "!" before "[" would make it an image. */
  beforeLink: boolean;
};

function textPiece(value: string, around: Neighbours, context: InlineContext): string {
  const { previous, next } = around;
  const insideDelimiters = context.parent !== undefined;
  const afterBreak = previous?.kind === 'markup' && previous.node.type === 'break';
  const beforeBreak = next?.kind === 'markup' && next.node.type === 'break';
  const edges: TextEdges = {
    encodeFirst: (cp) =>
      (previous === undefined && context.blockEdges && isSpaceOrTab(cp)) ||
      (previous === undefined && insideDelimiters && isWhiteSpace(cp)) ||
      (afterBreak && isSpaceOrTab(cp)) ||
      (previous?.kind === 'markup' && previous.boundaryAfter && !isBoundary(cp)),
    encodeLast: (cp) =>
      (next === undefined && context.blockEdges && isSpaceOrTab(cp)) ||
      (next === undefined && insideDelimiters && isWhiteSpace(cp)) ||
      (beforeBreak && isSpaceOrTab(cp)) ||
      (next?.kind === 'markup' && next.boundaryBefore && !isBoundary(cp)),
    lineStart: afterBreak || (previous === undefined && context.blockEdges),
    beforeLink: next?.kind === 'markup' && next.node.type === 'link',
  };
  return textToMarkdown(value, edges);
}

/** Special anywhere in text; "&" only where it would start an entity markdown-it decodes. */
const ESCAPED = /[\\`*_[\]<]|&(?=#\d+;|#x[\da-f]+;|[a-z][\da-z]*;)/gi;
/** Special only at the start of a line: headings, quotes, lists, setext underlines, fences. */
const LINE_START = /^[#>+=~-]/;
/** "2023. " or "1) " starting a line would start an ordered list. */
const LIST_MARKER = /^(\d{1,9})([.)])/;

function textToMarkdown(value: string, edges: TextEdges): string {
  // Code points, not graphemes: markdown-it's rules look at one code point at a time.
  const chars = Array.from(value);
  const head = takeEncoded(chars, 0, edges.encodeFirst);
  const tail = takeEncoded(chars, chars.length - 1, edges.encodeLast);
  let middle = chars
    .join('')
    .replace(ESCAPED, '\\$&')
    .replace(/[\n\r]/g, (char) => entity(char.charCodeAt(0)));
  if (head === '' && edges.lineStart) {
    middle = middle.replace(LINE_START, '\\$&').replace(LIST_MARKER, '$1\\$2');
  }
  if (tail === '' && edges.beforeLink) middle = middle.replace(/!$/, '\\!');
  return head + middle + tail;
}

/** Removes the character at `index` from `chars` and returns it as an entity, if it must be one. */
function takeEncoded(
  chars: string[],
  index: number,
  encode: (codePoint: number) => boolean,
): string {
  const codePoint = chars[index]?.codePointAt(0);
  if (codePoint === undefined || !encode(codePoint)) return '';
  chars.splice(index, 1);
  return entity(codePoint);
}

function entity(codePoint: number): string {
  return `&#x${codePoint.toString(16).toUpperCase()};`;
}

function isSpaceOrTab(codePoint: number): boolean {
  return codePoint === 0x20 || codePoint === 0x09;
}
