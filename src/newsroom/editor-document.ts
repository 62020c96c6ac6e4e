import type { Node } from 'prosemirror-model';
import { z } from 'zod';
import { isSafeHref, type ArticleBody, type Block, type Inline } from '../articles/article.js';
import { bodyToMarkdown, readMarkdownBlocks } from '../articles/articles.service.js';
import { assertUnreachable } from '../lib/assert.js';
import { bodyToNode, nodeToBody } from './editor-conversion.js';
import { editorSchema, isHeadingLevel, MARK_ATTRIBUTES, NODE_ATTRIBUTES } from './editor-schema.js';
import type { EditorDocument } from './story.js';

/**
 * The server's side of the editor: a posted document is checked against the one schema
 * (editor-schema.ts) and turned into the stored body, which pages render through their
 * allowlist. A document that holds anything the schema does not name is refused whole, with the
 * reason, rather than cleaned: quietly dropping part of what a reporter wrote would lose text
 * without a word, and a hostile document deserves no partial credit.
 */

export type DocumentProblemCode =
  'unknown_node' | 'unknown_mark' | 'bad_attribute' | 'unsafe_link' | 'too_large' | 'malformed';

export type DocumentProblem = { code: DocumentProblemCode; detail: string };

export type DocumentResult =
  | { ok: true; body: ArticleBody; document: EditorDocument }
  | { ok: false; problem: DocumentProblem };

/**
 * Far above any article (a long one is 60,000 characters in a few hundred nodes) and far below
 * what would make the checks themselves slow or deep enough to exhaust the stack. Depth counts
 * nodes from the doc down: a text in a paragraph in an item of a list in a quote is at depth 5.
 */
export const DOCUMENT_LIMITS = {
  depth: 32,
  nodes: 20_000,
  characters: 400_000,
  /** The posted JSON text, refused before parsing: markup and text together stay well under. */
  jsonCharacters: 1_500_000,
} as const;

// Strict objects: a key ProseMirror would ignore (an `onerror`, a `style`) is refused, not
// carried along in the stored JSON for some later reader of it to trust.
const nodeShape = z.strictObject({
  type: z.string().max(40),
  attrs: z.record(z.string(), z.unknown()).optional(),
  content: z.array(z.unknown()).optional(),
  marks: z.array(z.unknown()).max(8).optional(),
  text: z.string().min(1).optional(),
});
const markShape = z.strictObject({
  type: z.string().max(40),
  attrs: z.record(z.string(), z.unknown()).optional(),
});

/** C0 controls but tab and newline, DEL and C1: invisible, and no writer means to type them. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x09 || code === 0x0a) continue;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

type Budget = { nodes: number; characters: number };

function problem(code: DocumentProblemCode, detail: string): DocumentProblem {
  return { code, detail };
}

/**
 * Checks a posted document and converts it to a body. Never throws: any JSON value gives a body
 * or a problem, which the routes answer with a 400.
 */
export function documentToBody(json: unknown): DocumentResult {
  try {
    const found = inspectNode(json, 1, { nodes: 0, characters: 0 });
    if (found) return { ok: false, problem: found };
    const root = json as { type: string };
    if (root.type !== 'doc') {
      return { ok: false, problem: problem('malformed', 'the document does not start with doc') };
    }
    let node: Node;
    try {
      // Content expressions (a list holding a paragraph, a text at the top, marks out of order)
      // are the schema's own to judge; the shapes checked above cannot be the problem here.
      node = editorSchema.nodeFromJSON(json);
      node.check();
    } catch (error) {
      return { ok: false, problem: problem('malformed', messageOf(error)) };
    }
    const body = nodeToBody(node);
    return { ok: true, body, document: bodyToDocument(body) };
  } catch (error) {
    // Every input was meant to be answered above; one that was not is still a refusal, not a
    // 500, and says what broke so the gap can be closed.
    return { ok: false, problem: problem('malformed', `unexpected: ${messageOf(error)}`) };
  }
}

/**
 * documentToBody for the form field the editor posts (`body`, the document as JSON text): a text
 * too long to be a story is refused before it is parsed, and one that is not JSON is malformed.
 */
export function documentFromJsonText(text: string): DocumentResult {
  if (text.length > DOCUMENT_LIMITS.jsonCharacters) {
    return {
      ok: false,
      problem: problem(
        'too_large',
        `more than ${DOCUMENT_LIMITS.jsonCharacters} characters of JSON`,
      ),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: problem('malformed', `not JSON: ${messageOf(error)}`) };
  }
  return documentToBody(json);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first problem of a node and everything under it, depth first; undefined when none. */
function inspectNode(value: unknown, depth: number, budget: Budget): DocumentProblem | undefined {
  if (depth > DOCUMENT_LIMITS.depth) {
    return problem('too_large', `nested deeper than ${DOCUMENT_LIMITS.depth} nodes`);
  }
  budget.nodes += 1;
  if (budget.nodes > DOCUMENT_LIMITS.nodes) {
    return problem('too_large', `more than ${DOCUMENT_LIMITS.nodes} nodes`);
  }
  const parsed = nodeShape.safeParse(value);
  if (!parsed.success) return shapeProblem(parsed.error, 'node');
  const node = parsed.data;
  const allowed = Object.hasOwn(NODE_ATTRIBUTES, node.type)
    ? NODE_ATTRIBUTES[node.type]
    : undefined;
  if (!allowed) return problem('unknown_node', `no node is called ${JSON.stringify(node.type)}`);
  const attrs = node.attrs ?? {};
  const extra = Object.keys(attrs).find((name) => !allowed.includes(name));
  if (extra !== undefined) {
    return problem('bad_attribute', `a ${node.type} has no attribute ${JSON.stringify(extra)}`);
  }
  if (node.type === 'heading' && 'level' in attrs && !isHeadingLevel(attrs.level)) {
    return problem(
      'bad_attribute',
      `a heading is of level 2 or 3, not ${JSON.stringify(attrs.level)}`,
    );
  }
  if ((node.text !== undefined) !== (node.type === 'text')) {
    return problem('malformed', 'text belongs to text nodes, and every text node has some');
  }
  if (node.text !== undefined) {
    if (hasControlCharacter(node.text))
      return problem('malformed', 'the text holds a control character');
    budget.characters += node.text.length;
    if (budget.characters > DOCUMENT_LIMITS.characters) {
      return problem('too_large', `more than ${DOCUMENT_LIMITS.characters} characters of text`);
    }
  }
  for (const mark of node.marks ?? []) {
    const found = inspectMark(mark);
    if (found) return found;
  }
  for (const child of node.content ?? []) {
    const found = inspectNode(child, depth + 1, budget);
    if (found) return found;
  }
  return undefined;
}

function inspectMark(value: unknown): DocumentProblem | undefined {
  const parsed = markShape.safeParse(value);
  if (!parsed.success) return shapeProblem(parsed.error, 'mark');
  const mark = parsed.data;
  const allowed = Object.hasOwn(MARK_ATTRIBUTES, mark.type)
    ? MARK_ATTRIBUTES[mark.type]
    : undefined;
  if (!allowed) return problem('unknown_mark', `no mark is called ${JSON.stringify(mark.type)}`);
  const attrs = mark.attrs ?? {};
  const extra = Object.keys(attrs).find((name) => !allowed.includes(name));
  if (extra !== undefined) {
    return problem(
      'bad_attribute',
      `a ${mark.type} mark has no attribute ${JSON.stringify(extra)}`,
    );
  }
  if (mark.type !== 'link') return undefined;
  if (typeof attrs.href !== 'string') return problem('bad_attribute', 'a link needs an address');
  // The body's one link rule (docs/SECURITY.md): the URL parser reads the scheme, so case and
  // the blanks and controls it strips (" JaVaScript:") change nothing.
  if (!isSafeHref(attrs.href)) {
    return problem(
      'unsafe_link',
      `only http, https and mailto links: ${JSON.stringify(attrs.href.slice(0, 80))}`,
    );
  }
  return undefined;
}

function shapeProblem(error: z.ZodError, what: 'node' | 'mark'): DocumentProblem {
  const [issue] = error.issues;
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return problem(
    'malformed',
    `a ${what} is not of the expected shape${where}: ${issue?.message ?? ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Body → ProseMirror document

/**
 * The editor's document for a body (one written as Markdown, imported, or saved before the
 * newsroom). documentToBody gives the body back; the few bodies the editor cannot hold as they
 * are come back in its shape: an empty quote or list item holds an empty paragraph, empty texts
 * go, and a link that breaks the link rule keeps its text only, as pages show it.
 */
export function bodyToDocument(body: ArticleBody): EditorDocument {
  return asEditorDocument(bodyToNode(body).toJSON());
}

/** ProseMirror's JSON, as plain objects (its attrs have no prototype), ready to store or compare. */
function asEditorDocument(json: unknown): EditorDocument {
  const plain: unknown = JSON.parse(JSON.stringify(json));
  const parsed = z.object({ type: z.literal('doc'), content: z.array(z.unknown()) }).parse(plain);
  return { type: parsed.type, content: parsed.content };
}

// ---------------------------------------------------------------------------------------------
// Markdown and plain text

export type MarkdownResult =
  { ok: true; document: EditorDocument } | { ok: false; problem: DocumentProblem };

/** A Markdown body (the importer's dialect) as the editor's document. */
export function markdownToDocument(markdown: string): MarkdownResult {
  const read = readMarkdownBlocks(markdown, 'body');
  if (!read.ok) {
    return {
      ok: false,
      problem: problem('malformed', `the Markdown stops being readable at line ${read.line}`),
    };
  }
  return { ok: true, document: bodyToDocument({ type: 'doc', version: 1, blocks: read.blocks }) };
}

/**
 * The document as Markdown that markdownToDocument reads back to the same document. Empty
 * paragraphs and line breaks ending a paragraph (an editor makes both; pages show neither) are
 * left out, as CommonMark has no spelling for them; anything else Markdown cannot hold is a
 * problem rather than a text that reads back differently.
 */
export function documentToMarkdown(
  document: unknown,
): { ok: true; markdown: string } | { ok: false; problem: DocumentProblem } {
  const checked = documentToBody(document);
  if (!checked.ok) return checked;
  const body: ArticleBody = { ...checked.body, blocks: tidyBlocks(checked.body.blocks) };
  try {
    return { ok: true, markdown: bodyToMarkdown(body) };
  } catch (error) {
    return { ok: false, problem: problem('malformed', messageOf(error)) };
  }
}

function tidyBlocks(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((block): Block[] => {
    switch (block.type) {
      case 'paragraph':
      case 'heading': {
        const children = [...block.children];
        while (children.at(-1)?.type === 'break') children.pop();
        if (block.type === 'paragraph' && children.length === 0) return [];
        return [{ ...block, children }];
      }
      case 'blockquote':
        return [{ ...block, children: tidyBlocks(block.children) }];
      case 'list':
        return [{ ...block, items: block.items.map(tidyBlocks) }];
      case 'rule':
        return [block];
      default:
        return assertUnreachable(block);
    }
  });
}

/**
 * The plain text of a document, for the revision diff: one block a paragraph (blank line
 * between), a line break a newline, a list item opened by "- ", a rule as "* * *". A document
 * that does not pass the checks has no text here.
 */
export function documentText(document: EditorDocument): string {
  const checked = documentToBody(document);
  return checked.ok ? blocksText(checked.body.blocks) : '';
}

function blocksText(blocks: readonly Block[]): string {
  return blocks.map(blockText).join('\n\n');
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlineText(block.children);
    case 'blockquote':
      return blocksText(block.children);
    case 'list':
      return block.items.map((item) => `- ${blocksText(item)}`).join('\n');
    case 'rule':
      return '* * *';
    default:
      return assertUnreachable(block);
  }
}

function inlineText(inlines: readonly Inline[]): string {
  return inlines
    .map((inline) => {
      switch (inline.type) {
        case 'text':
        case 'code':
          return inline.value;
        case 'break':
          return '\n';
        case 'emphasis':
        case 'strong':
        case 'link':
          return inlineText(inline.children);
        default:
          return assertUnreachable(inline);
      }
    })
    .join('');
}
