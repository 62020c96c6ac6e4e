import { Document, LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { isValidSlug, slugify, type ArticleInput } from './article.js';
import { ArticleFileError } from './article-file-error.js';
import {
  frontMatterOf,
  frontMatterSchema,
  shapeAt,
  toArticleInput,
  type FrontMatterFields,
} from './article-front-matter.js';
import { bodyToMarkdown, markdownToBody } from './article-markdown-body.js';

/**
 * The import and export format of articles: Markdown with YAML front matter. Reading is strict, so
 * a typo in a key or a date stops the import at its line instead of publishing a wrong article;
 * writing produces a file that reads back to the same ArticleInput.
 */

export { ArticleFileError };

const FENCE = '---';
/** The front matter's first YAML line is the file's second line, after the opening fence. */
const YAML_LINE_OFFSET = 1;

export function parseArticleFile(text: string, file: string): ArticleInput {
  const parts = splitFile(text, file);
  refuseNul(parts, file);
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

/**
 * PostgreSQL stores no NUL in text or JSON, and Markdown would turn one into U+FFFD without a
 * word: a NUL is a damaged file, refused at its line.
 */
function refuseNul(parts: ReturnType<typeof splitFile>, file: string): void {
  const inFrontMatter = parts.frontMatter.indexOf('\0');
  const inBody = parts.body.indexOf('\0');
  if (inFrontMatter === -1 && inBody === -1) return;
  const [field, source, firstLine] =
    inFrontMatter === -1
      ? (['body', parts.body.slice(0, inBody), parts.bodyFirstLine] as const)
      : (['front matter', parts.frontMatter.slice(0, inFrontMatter), 2] as const);
  const line = firstLine + source.split('\n').length - 1;
  fail(file, line, field, 'contains a NUL character (U+0000): the file is damaged or not text');
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
