import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { projectRoot } from '../src/lib/project-root.js';

/**
 * The dependency rules (docs/ARCHITECTURE.md, Dependency rules) and the exhaustive switch, as
 * eslint.config.js states them: each snippet is linted as if it stood at a real path, so a rule
 * whose files or patterns drift stops failing here first. Nothing is written to disk.
 */

const WHERE = 'docs/ARCHITECTURE.md, Dependency rules';
const SWITCH = '@typescript-eslint/switch-exhaustiveness-check';

let eslint: ESLint;

/** Where the switch snippets stand: outside any file on disk, so typed through a default project. */
const SWITCH_FILE = 'src/lib/switch-snippet.ts';

before(() => {
  eslint = new ESLint({
    cwd: projectRoot(),
    // The project's own config, less the type information for snippets: the project service
    // knows only files on disk, and the import rules need no types. The switch rule keeps its
    // options from eslint.config.js: a bare severity changes nothing else.
    overrideConfig: [
      { ...tseslint.configs.disableTypeChecked, files: ['**/*.ts', '**/*.tsx'] },
      {
        files: [SWITCH_FILE],
        languageOptions: {
          parserOptions: { projectService: { allowDefaultProject: [SWITCH_FILE] } },
        },
        rules: { [SWITCH]: 'error' },
      },
    ],
  });
});

/** The boundary and switch reports for a snippet at a path; other rules are not this test's. */
async function reports(filePath: string, code: string): Promise<ESLint.LintResult['messages']> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, filePath);
  const fatal = result.messages.find((m) => m.fatal === true);
  assert.equal(fatal, undefined, fatal?.message);
  return result.messages.filter(
    (m) => m.ruleId !== null && (m.ruleId.startsWith('boundaries/') || m.ruleId === SWITCH),
  );
}

const importing = (source: string) =>
  `import * as imported from '${source}';\nexport { imported };\n`;

type Case = { file: string; source: string; rule?: string };

const refused: Case[] = [
  {
    file: 'src/http/x.ts',
    source: '../comments/comments.queries.js',
    rule: 'platform-imports-no-feature',
  },
  {
    file: 'src/views/x.tsx',
    source: '../comments/comments.service.js',
    rule: 'platform-imports-no-feature',
  },
  {
    file: 'src/db/x.ts',
    source: '../newsroom/newsroom.service.js',
    rule: 'platform-imports-no-feature',
  },
  { file: 'src/lib/x.ts', source: '../policy/policy.js', rule: 'platform-imports-no-feature' },
  {
    file: 'src/http/x.test.ts',
    source: '../comments/comments.queries.js',
    rule: 'platform-imports-no-feature',
  },
  {
    file: 'src/moderation/x.ts',
    source: '../comments/comments.queries.js',
    rule: 'feature-imports-through-service',
  },
  {
    file: 'src/pages/x.tsx',
    source: '../articles/article-body-view.js',
    rule: 'feature-imports-through-service',
  },
  {
    file: 'src/accounts/providers/x.ts',
    source: '../../comments/comments.routes.js',
    rule: 'feature-imports-through-service',
  },
  {
    file: 'src/comments/x.ts',
    source: '../moderation/client/x.client.js',
    rule: 'feature-imports-through-service',
  },
  {
    file: 'src/moderation/x.ts',
    source: '../comments/comments.testing.js',
    rule: 'feature-imports-through-service',
  },
  {
    file: 'src/moderation/x.test.ts',
    source: '../comments/comments.queries.js',
    rule: 'feature-imports-through-service',
  },
  {
    file: 'migrations/0099-x.ts',
    source: '../src/db/db.js',
    rule: 'migrations-import-no-app-code',
  },
  {
    file: 'src/comments/client/x.client.ts',
    source: 'node:fs',
    rule: 'client-imports-no-server-code',
  },
  {
    file: 'src/comments/client/x.client.ts',
    source: 'fastify',
    rule: 'client-imports-no-server-code',
  },
  {
    file: 'src/comments/client/x.client.ts',
    source: '../../db/db.js',
    rule: 'client-imports-no-server-code',
  },
  {
    file: 'src/comments/client/x.client.ts',
    source: '../comments.queries.js',
    rule: 'client-imports-no-server-code',
  },
  { file: 'src/articles/x.ts', source: '../main.js', rule: 'only-entry-points-import-main' },
  { file: 'src/app.tsx', source: './main.js', rule: 'only-entry-points-import-main' },
];

const allowed: Case[] = [
  { file: 'src/moderation/x.ts', source: '../comments/comments.service.js' },
  { file: 'src/moderation/x.ts', source: '../comments/comment.js' },
  { file: 'src/comments/x.ts', source: '../moderation/moderation-gate.service.js' },
  { file: 'src/pages/x.tsx', source: '../articles/articles.service.js' },
  { file: 'src/accounts/providers/x.ts', source: '../sessions.js' },
  { file: 'src/accounts/providers/x.ts', source: '../accounts.queries.js' },
  { file: 'src/moderation/x.test.ts', source: '../comments/comments.testing.js' },
  { file: 'src/comments/comments.testing.ts', source: '../articles/articles.fixtures.js' },
  { file: 'src/http/x.test.ts', source: '../accounts/accounts.testing.js' },
  { file: 'src/http/x.ts', source: '../lib/assert.js' },
  { file: 'migrations/0099-x.ts', source: 'kysely' },
  { file: 'src/comments/client/x.client.ts', source: './comment-insert.client.js' },
  { file: 'src/comments/client/x.client.ts', source: '../comment-text.js' },
  { file: 'src/cli.ts', source: './main.js' },
  { file: 'bench/x.ts', source: '../src/main.js' },
  { file: 'test/e2e/x.test.ts', source: '../../src/main.js' },
];

describe('the dependency rules', () => {
  for (const { file, source, rule } of refused) {
    it(`refuses ${source} in ${file} under boundaries/${rule ?? ''}`, async () => {
      const found = await reports(file, importing(source));
      assert.equal(found.length, 1, JSON.stringify(found));
      const [report] = found;
      assert.ok(report);
      assert.equal(report.ruleId, `boundaries/${rule ?? ''}`);
      assert.ok(report.message.includes(WHERE), report.message);
    });
  }

  for (const { file, source } of allowed) {
    it(`allows ${source} in ${file}`, async () => {
      assert.deepEqual(await reports(file, importing(source)), []);
    });
  }
});

describe('switches over a string union', () => {
  const union = "type State = 'draft' | 'published' | 'archived';\n";

  it('refuses one that leaves a member to its default', async () => {
    const code = `${union}export function label(state: State): string {
  switch (state) {
    case 'draft':
      return 'd';
    case 'published':
      return 'p';
    default:
      return '?';
  }
}
`;
    const found = await reports(SWITCH_FILE, code);
    const [report] = found;
    assert.ok(report && found.length === 1, JSON.stringify(found));
    assert.equal(report.ruleId, SWITCH);
    assert.match(report.message, /not exhaustive.*"archived"/);
  });

  it('allows one that names every member', async () => {
    const code = `${union}export function label(state: State): string {
  switch (state) {
    case 'draft':
      return 'd';
    case 'published':
      return 'p';
    case 'archived':
      return 'a';
  }
}
`;
    assert.deepEqual(await reports(SWITCH_FILE, code), []);
  });
});
