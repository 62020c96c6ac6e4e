import { isDeepStrictEqual } from 'node:util';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { Document, LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import {
  LANGUAGES,
  isValidSlug,
  slugify,
  type ArticleImage,
  type ArticleInput,
} from './article.js';
import { assertUnreachable } from '../lib/assert.js';
import { isSafeHref, type ArticleBody, type Block, type Inline } from './article-body.js';

/**
 * The import and export format of articles: Markdown with YAML front matter. Reading is strict, so
 * a typo in a key or a date stops the import at its line instead of publishing a wrong article;
 * writing produces a file that reads back to the same ArticleInput.
 */

/** A problem in an article file, named by file, line (1-based, in the whole file) and field. */
export class ArticleFileError extends Error {
  override name = 'ArticleFileError';
  readonly file: string;
  readonly line: number;
  /** A front-matter key such as `published` or `authors[1].email`, or `body`, or `front matter`. */
  readonly field: string;

  constructor(where: { file: string; line: number; field: string }, problem: string) {
    super(`${where.file}:${where.line}: ${where.field}: ${problem}`);
    this.file = where.file;
    this.line = where.line;
    this.field = where.field;
  }
}

const FENCE = '---';
/** The front matter's first YAML line is the file's second line, after the opening fence. */
const YAML_LINE_OFFSET = 1;

export function parseArticleFile(text: string, file: string): ArticleInput {
  const parts = splitFile(text, file);
  const frontMatter = readFrontMatter(parts.frontMatter, file);
  const fields = validateFrontMatter(frontMatter);
  const body = markdownToBody(parts.body, file, parts.bodyFirstLine);
  if (body.blocks.length === 0) {
    fail(file, parts.bodyFirstLine, 'body', 'is empty: write the article below the front matter');
  }
  return toArticleInput(fields, body);
}

function fail(file: string, line: number, field: string, problem: string): never {
  throw new ArticleFileError({ file, line, field }, problem);
}

function failInBody(reader: { file: string }, line: number, problem: string): never {
  return fail(reader.file, line, 'body', problem);
}

// ---------------------------------------------------------------------------------------------
// Front matter

function splitFile(text: string, file: string) {
  // Editors on Windows add CRLF and sometimes a BOM; neither changes a line number.
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  if (lines[0]?.trimEnd() !== FENCE) {
    fail(file, 1, 'front matter', `the file must start with a "${FENCE}" line`);
  }
  const close = lines.findIndex((line, index) => index > 0 && line.trimEnd() === FENCE);
  if (close === -1) fail(file, 1, 'front matter', `is not closed by a "${FENCE}" line`);
  return {
    frontMatter: lines.slice(1, close).join('\n'),
    body: lines.slice(close + 1).join('\n'),
    bodyFirstLine: close + 2,
  };
}

type FrontMatter = { file: string; doc: Document.Parsed; lines: LineCounter };

function readFrontMatter(source: string, file: string): FrontMatter {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const frontMatter = { file, doc, lines };
  // Warnings (an unknown tag, say) would otherwise change a value without a word.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    fail(
      file,
      lines.linePos(problem.pos[0]).line + YAML_LINE_OFFSET,
      'front matter',
      problem.message,
    );
  }
  visit(doc, {
    // Aliases buy nothing in a front matter and are the way to blow up a YAML reader.
    Alias: (_key, node) =>
      fail(
        file,
        nodeLine(frontMatter, node) ?? 1,
        'front matter',
        'aliases (*name) are not supported',
      ),
  });
  return frontMatter;
}

function typeProblem(expected: string) {
  return (issue: { input?: unknown }) => {
    const { input } = issue;
    if (input === undefined) return 'is required';
    // YAML reads 2023 and true as a number and a boolean where the author meant text.
    const scalar = typeof input === 'number' || typeof input === 'boolean';
    const hint = expected === 'text' && scalar ? ' (put it in quotes)' : '';
    return `must be ${expected}, found ${describeValue(input)}${hint}`;
  };
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a YAML timestamp';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? 'text' : `a ${typeof value}`;
}

const text = z
  .string({ error: typeProblem('text') })
  .normalize('NFC')
  .trim();
const nonEmptyText = text.min(1, 'must not be empty');
const slugText = nonEmptyText.refine(
  isValidSlug,
  'must be lower-case letters and digits joined by "-"',
);
const webAddress = nonEmptyText.refine(isWebAddress, 'must be an http:// or https:// address');
const dateTime = text
  .refine((value) => DATE_TIME.test(value), {
    message: 'must be a date and time with an offset, such as 2023-01-29T17:25:00+09:00',
    abort: true,
  })
  .refine((value) => parseDateTime(value) !== undefined, 'is not a real date and time')
  .transform((value) => new Date(value));

const authorSchema = z.strictObject(
  { name: nonEmptyText, email: text.pipe(z.email('must be an e-mail address')).optional() },
  { error: typeProblem('a mapping with a name') },
);

const imageSchema = z.strictObject(
  {
    src: webAddress,
    alt: nonEmptyText,
    caption: nonEmptyText.optional(),
    credit: nonEmptyText.optional(),
  },
  { error: typeProblem('a mapping with src and alt') },
);

const frontMatterSchema = z.strictObject(
  {
    title: nonEmptyText,
    published: dateTime,
    updated: dateTime.optional(),
    authors: z
      .array(authorSchema, { error: typeProblem('a list') })
      .min(1, 'must name at least one author'),
    credit: nonEmptyText.optional(),
    section: nonEmptyText,
    tags: z.array(nonEmptyText, { error: typeProblem('a list') }).optional(),
    language: text.pipe(z.enum(LANGUAGES, `must be ${LANGUAGES.join(' or ')}`)),
    slug: slugText.optional(),
    summary: text.optional(),
    translation: slugText.optional(),
    image: imageSchema.optional(),
  },
  { error: typeProblem('a mapping of keys to values') },
);

type FrontMatterFields = z.output<typeof frontMatterSchema>;

/**
 * Hours and minutes at least, and an offset or Z: a date alone or a local time would be read in
 * whatever zone the importing server happens to run in.
 */
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function parseDateTime(value: string): Date | undefined {
  const date = new Date(value);
  const day = value.slice(0, 10);
  // Date rolls 30 February over into March; a typo in a date must not move an article.
  const calendarDay = new Date(`${day}T00:00:00Z`);
  const valid = !Number.isNaN(date.getTime()) && !Number.isNaN(calendarDay.getTime());
  return valid && calendarDay.toISOString().startsWith(day) ? date : undefined;
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    // URL throws TypeError for anything that is not an absolute URL: that is the answer here.
    return false;
  }
}

function validateFrontMatter(frontMatter: FrontMatter): FrontMatterFields {
  const { file } = frontMatter;
  const parsed = frontMatterSchema.safeParse(frontMatter.doc.toJS());
  if (!parsed.success) {
    const problem = firstProblem(frontMatter, parsed.error.issues);
    fail(file, problem.line, problem.field, problem.message);
  }
  const fields = parsed.data;
  if (fields.updated && fields.updated.getTime() < fields.published.getTime()) {
    fail(file, lineOf(frontMatter, ['updated']), 'updated', 'is earlier than published');
  }
  if (fields.slug === undefined && !isValidSlug(slugify(fields.title))) {
    fail(
      file,
      lineOf(frontMatter, ['title']),
      'title',
      'gives no slug (no letters or digits); add a slug',
    );
  }
  return fields;
}

type Problem = { field: string; line: number; message: string; unknownKey: boolean };

/** An unknown key first, since a typo in a key also makes a required key look missing; then the earliest line. */
function firstProblem(frontMatter: FrontMatter, issues: readonly z.core.$ZodIssue[]): Problem {
  const problems = issues.map((issue): Problem => {
    if (issue.code === 'unrecognized_keys') {
      const path = [...issue.path, issue.keys[0] ?? ''];
      const known = Object.keys(shapeAt(issue.path)).join(', ');
      const message = `is not a known key (known keys: ${known})`;
      return { field: fieldName(path), line: lineOf(frontMatter, path), message, unknownKey: true };
    }
    const { path, message } = issue;
    return { field: fieldName(path), line: lineOf(frontMatter, path), message, unknownKey: false };
  });
  const sorted = problems.toSorted(
    (a, b) => Number(b.unknownKey) - Number(a.unknownKey) || a.line - b.line,
  );
  const first = sorted[0];
  if (!first) throw new Error('zod reported a failure without issues');
  return first;
}

function shapeAt(path: readonly PropertyKey[]): object {
  if (path[0] === 'authors') return authorSchema.shape;
  if (path[0] === 'image') return imageSchema.shape;
  return frontMatterSchema.shape;
}

/** `authors[1].email` for ['authors', 1, 'email']; the whole front matter for []. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'front matter';
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index > 0 ? '.' : ''}${String(key)}`,
    )
    .join('');
}

/** The file line of the key at `path`, or of its nearest ancestor when the key is missing. */
function lineOf(frontMatter: FrontMatter, path: readonly PropertyKey[]): number {
  let node: unknown = frontMatter.doc.contents;
  let line = nodeLine(frontMatter, node) ?? 1;
  for (const key of path) {
    const child = childOf(node, key);
    if (!child) break;
    line = nodeLine(frontMatter, child.at) ?? line;
    node = child.value;
  }
  return line;
}

function childOf(node: unknown, key: PropertyKey): { at: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    return pair && { at: pair.key, value: pair.value };
  }
  if (isSeq(node) && typeof key === 'number') {
    const item: unknown = node.items[key];
    return item === undefined ? undefined : { at: item, value: item };
  }
  return undefined;
}

function nodeLine(frontMatter: FrontMatter, node: unknown): number | undefined {
  if (!isNode(node) || !node.range) return undefined;
  return frontMatter.lines.linePos(node.range[0]).line + YAML_LINE_OFFSET;
}

function toArticleInput(fields: FrontMatterFields, body: ArticleBody): ArticleInput {
  return {
    language: fields.language,
    slug: fields.slug ?? slugify(fields.title),
    headline: fields.title,
    summary: fields.summary ?? '',
    body,
    section: fields.section,
    tags: [...new Set(fields.tags)],
    authors: fields.authors.map((author) => ({
      name: author.name,
      ...optional('email', author.email),
    })),
    ...optional('credit', fields.credit),
    publishedAt: fields.published,
    ...optional('updatedAt', fields.updated),
    ...optional('translation', fields.translation),
    ...optional('image', fields.image && toImage(fields.image)),
  };
}

function toImage(image: NonNullable<FrontMatterFields['image']>): ArticleImage {
  return {
    src: image.src,
    alt: image.alt,
    ...optional('caption', image.caption),
    ...optional('credit', image.credit),
  };
}

/** A missing optional field is left out, never set to undefined (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

// ---------------------------------------------------------------------------------------------
// Markdown → body

// html: false turns raw HTML into literal text, so nothing from a file can reach a page as markup.
const markdown = new MarkdownIt('commonmark', { html: false });
// markdown-it leaves javascript: and similar links as plain text; we want them to stop the import
// instead, so every link reaches isSafeHref, the one rule for hrefs.
markdown.validateLink = () => true;
const { isWhiteSpace, isMdAsciiPunct, isPunctCharCode } = markdown.utils;

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
// Article → file

export function formatArticleFile(article: ArticleInput): string {
  const doc = new Document(frontMatterOf(article));
  const tags = doc.get('tags', true);
  // Tags read best on one line, the way newsroom files write them.
  if (isSeq(tags)) tags.flow = true;
  // lineWidth 0: a long title stays on one line instead of being folded.
  return `${FENCE}\n${doc.toString({ lineWidth: 0 })}${FENCE}\n${bodyToMarkdown(article.body)}\n`;
}

/** Keys in the documented order. Dates in UTC: the newsroom's offset is not known here. */
function frontMatterOf(article: ArticleInput): Record<string, unknown> {
  return {
    title: article.headline,
    published: article.publishedAt.toISOString(),
    ...optional('updated', article.updatedAt?.toISOString()),
    authors: article.authors.map((author) => ({
      name: author.name,
      ...optional('email', author.email),
    })),
    ...optional('credit', article.credit),
    section: article.section,
    ...optional('tags', article.tags.length > 0 ? article.tags : undefined),
    language: article.language,
    slug: article.slug,
    ...optional('summary', article.summary === '' ? undefined : article.summary),
    ...optional('translation', article.translation),
    ...optional('image', article.image),
  };
}

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
      return inlinesToMarkdown(block.children, BLOCK_CONTEXT);
    case 'heading':
      return headingToMarkdown(block.level, inlinesToMarkdown(block.children, BLOCK_CONTEXT));
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

// ---------------------------------------------------------------------------------------------
// Inline nodes → Markdown. Text is escaped, and where CommonMark's delimiter rules depend on the
// neighbouring character, that character is written as a numeric entity (&#x20;), which reads
// back as the same text but counts as punctuation for the rules.

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
