/**
 * Counts that tell whether the HTTP edge is in order (issue 14): routes that declare schemas,
 * hand-written input parsers left, casts of the viewer, the longest function in a routes file,
 * and the largest source files. Run: `node --import tsx scripts/census.ts`.
 *
 * Routes are counted where they are registered (`app.get(`, `route(app, …)`, …) in `src/`; a
 * registration inside a loop over the editions counts once, as it is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const files = sourceFiles(path.join(root, 'src'));
const rel = (file: string) => path.relative(root, file);
const routeFiles = files.filter((f) => /\.routes\.tsx?$/.test(f));

/** The readers of raw input the code had before schemas (src/http/form.ts, moderation-input.ts). */
const HAND_PARSERS =
  /^(field|values|param|rowId|revOf|clausesOf|oneOf|queueOf|filtersOf|parseQueueFilters)$/;

type Registration = { file: string; line: number; hasSchema: boolean };
const registrations: Registration[] = [];
const functions: { file: string; line: number; name: string; lines: number }[] = [];
const parsers: string[] = [];
const casts: string[] = [];

for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      // app.get(url, options, handler) and friends, and the route() helper.
      const isAppMethod =
        ts.isPropertyAccessExpression(callee) &&
        ['get', 'post', 'put', 'patch', 'delete', 'route'].includes(callee.name.text) &&
        /^(app|scoped|instance|typed)$/.test(callee.expression.getText(source));
      const isRouteHelper = ts.isIdentifier(callee) && callee.text === 'route';
      if (isAppMethod || isRouteHelper) {
        const hasSchema = node.arguments.some((a) => /\bschema\b/.test(a.getText(source)));
        registrations.push({ file: rel(file), line: lineOf(node), hasSchema });
      }
      // Input read by hand: field(body, 'x'), values(body, 'x'), a regular expression tested
      // against a request's params, query or body.
      const calleeText = callee.getText(source);
      if (HAND_PARSERS.test(calleeText)) parsers.push(`${rel(file)}:${lineOf(node)}`);
      if (
        /\.test$/.test(calleeText) &&
        /request\.|params|query|body/.test(node.arguments.map((a) => a.getText(source)).join())
      )
        parsers.push(`${rel(file)}:${lineOf(node)}`);
    }
    if (ts.isAsExpression(node) && /^Viewer\b/.test(node.type.getText(source)))
      casts.push(`${rel(file)}:${lineOf(node)}`);
    if (ts.isNonNullExpression(node) && /viewer$/.test(node.expression.getText(source)))
      casts.push(`${rel(file)}:${lineOf(node)}`);
    if (
      routeFiles.includes(file) &&
      (ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node))
    ) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = ts.isFunctionDeclaration(node) && node.name ? node.name.text : `(anonymous)`;
      functions.push({ file: rel(file), line: start + 1, name, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

const withSchema = registrations.filter((r) => r.hasSchema).length;
const longest = [...functions].sort((a, b) => b.lines - a.lines).slice(0, 3);
const largest = files
  .map((f) => ({ file: rel(f), lines: fs.readFileSync(f, 'utf8').split('\n').length - 1 }))
  .sort((a, b) => b.lines - a.lines)
  .slice(0, 3);

const without = registrations.filter((r) => !r.hasSchema).map((r) => `${r.file}:${r.line}`);
console.log(
  `route registrations: ${registrations.length}, with a schema: ${withSchema}` +
    (without.length ? ` (without: ${without.join(', ')})` : ''),
);
console.log(
  `hand-written parsers: ${parsers.length}${parsers.length ? ` (${parsers.join(', ')})` : ''}`,
);
console.log(`casts of the viewer: ${casts.length}${casts.length ? ` (${casts.join(', ')})` : ''}`);
console.log('longest functions in src/**/*.routes.*:');
for (const f of longest) console.log(`  ${f.lines} lines  ${f.name} (${f.file}:${f.line})`);
console.log('largest source files (tests excluded):');
for (const f of largest) console.log(`  ${f.lines} lines  ${f.file}`);
