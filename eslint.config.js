// ESLint errors only: a rule worth having is worth failing the build for (CONTRIBUTING.md, habit 12).
import js from '@eslint/js';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

/**
 * The dependency rules of docs/ARCHITECTURE.md, enforced. Each rule is ESLint's own
 * no-restricted-imports under a name of its own: flat config replaces a rule's options wholesale
 * when a later block names the same rule, so one shared rule name would let the client-bundle
 * block silently drop the feature-boundary patterns for the same file. One name per rule keeps
 * every rule in force wherever its files overlap another's, and says which rule a report breaks.
 * (typescript-eslint extends its own rules from this same export.)
 */
const restrictedImports = builtinRules.get('no-restricted-imports');
if (restrictedImports === undefined)
  throw new Error('ESLint no longer ships no-restricted-imports');
const boundaries = {
  rules: {
    'platform-imports-no-feature': restrictedImports,
    'feature-imports-through-service': restrictedImports,
    'migrations-import-no-app-code': restrictedImports,
    'client-imports-no-server-code': restrictedImports,
    'only-entry-points-import-main': restrictedImports,
  },
};

const WHERE = 'docs/ARCHITECTURE.md, Dependency rules';

/**
 * What each feature lets the others import, besides any `*.service.ts` at its top level: its
 * domain-type files (types and pure rules), and the use cases split out of its service along
 * domain verbs. A folder missing here is not a feature to these rules, so a new feature is
 * listed before its first file lands.
 */
const FEATURE_SURFACE = {
  // No domain-type file of its own; sessions.ts holds the session use cases app.tsx wires in.
  accounts: ['sessions'],
  // article-body.ts: the stored document and its link rule, which the newsroom's editor maps onto.
  articles: ['article', 'article-body'],
  // comment-text.ts is the counting and link rule shared with the browser; the three use-case
  // files were split out of comments.service.ts and import it, so it cannot re-export them.
  comments: ['comment', 'comment-text', 'comments.voting', 'comments.reports', 'comments.settings'],
  moderation: ['moderation'],
  pages: ['site-page'],
  policy: ['policy'],
  newsroom: ['story', 'editor-schema'],
  media: [],
  search: [],
  feeds: [],
  api: [],
  importers: [],
};
const FEATURES = Object.keys(FEATURE_SURFACE);

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneOf = (names) => `(?:${names.map(escapeRegex).join('|')})`;

/**
 * Import sources are relative, so "another feature" is any run of `../` followed by a feature's
 * folder; from `src/accounts/providers/`, `../sessions.js` stays inside accounts. A source that
 * names a module outside the feature's surface matches.
 */
function crossFeatureInternals(extraModules) {
  const perFeature = Object.entries(FEATURE_SURFACE).map(([feature, modules]) => {
    const allowed = ['[\\w-]+\\.service', ...modules.map(escapeRegex), ...extraModules].join('|');
    return `${escapeRegex(feature)}/(?!(?:${allowed})\\.js$)`;
  });
  return `^(?:\\.\\./)+(?:${perFeature.join('|')})`;
}

/** The editor's packages (src/newsroom/client), the one npm code allowed in a browser bundle. */
const PROSEMIRROR = [
  'model',
  'state',
  'view',
  'transform',
  'commands',
  'keymap',
  'history',
  'schema-list',
  'inputrules',
  'dropcursor',
  'gapcursor',
];

const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/*.testing.ts', '**/*.fixtures.ts'];
const TEST_HELPERS = ['[\\w-]+\\.testing', '[\\w-]+\\.fixtures'];
const PLATFORM = ['src/http/**', 'src/views/**', 'src/db/**', 'src/lib/**'];

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { boundaries },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Features add their error codes and strings to the platform's types by declaration
      // merging (src/http/app-error.ts, src/views/i18n.ts): an interface that starts empty and
      // one that only extends another are how that is written.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }],
      // Every switch over a state union names every state (with assertUnreachable from
      // src/lib/assert.ts as its default): a default clause never stands in for a member added
      // later, which must be a decision made at each switch.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, allowDefaultCaseForExhaustiveSwitch: true },
      ],
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // Parameterised SQL everywhere (docs/SECURITY.md, item 21): Kysely's sql tag is
          // allowed, raw strings handed to sql.raw are not.
          selector: "CallExpression[callee.object.name='sql'][callee.property.name='raw']",
          message: 'sql.raw bypasses parameters; build the query with Kysely or the sql tag.',
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },

  // Dependency rules. Each block's message names its rule and where it is written down.
  {
    files: PLATFORM,
    rules: {
      'boundaries/platform-imports-no-feature': [
        'error',
        {
          patterns: [
            {
              regex: `^(?:\\.\\./)+${oneOf(FEATURES)}(?:/|$)`,
              message: `Platform folders (src/http, src/views, src/db, src/lib) never import a feature; the feature registers what it brings (${WHERE}).`,
            },
          ],
        },
      ],
    },
  },
  {
    // A platform test may build the whole app or seed several features, through the same
    // surface features use with each other, plus their test helpers.
    files: PLATFORM.flatMap((folder) => TEST_FILES.map((file) => `${folder}/${file}`)),
    rules: {
      'boundaries/platform-imports-no-feature': [
        'error',
        {
          patterns: [
            {
              regex: crossFeatureInternals(TEST_HELPERS),
              message: `A platform test reaches a feature only through its *.service.ts, domain types or test helpers (${WHERE}).`,
            },
          ],
        },
      ],
    },
  },
  {
    files: FEATURES.map((feature) => `src/${feature}/**`),
    rules: {
      'boundaries/feature-imports-through-service': [
        'error',
        {
          patterns: [
            {
              regex: crossFeatureInternals([]),
              message: `A feature imports another only through its *.service.ts or domain types, never its queries, routes, views or other internals (${WHERE}).`,
            },
          ],
        },
      ],
    },
  },
  {
    files: FEATURES.flatMap((feature) => TEST_FILES.map((file) => `src/${feature}/${file}`)),
    rules: {
      'boundaries/feature-imports-through-service': [
        'error',
        {
          patterns: [
            {
              regex: crossFeatureInternals(TEST_HELPERS),
              message: `A feature's test imports another feature only through its *.service.ts, domain types or test helpers (*.testing.ts, *.fixtures.ts) (${WHERE}).`,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['migrations/**'],
    rules: {
      'boundaries/migrations-import-no-app-code': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:\\.\\./)+src(?:/|$)',
              message: `Migrations are frozen in time and never import app code from src/ (${WHERE}).`,
            },
          ],
        },
      ],
    },
  },
  {
    // The islands run in the browser: no Node module, no npm package (but the editor's
    // ProseMirror, listed above deliberately), nothing from the server's folders or
    // the server-side roles of a feature's files.
    files: ['src/**/client/**'],
    rules: {
      'boundaries/client-imports-no-server-code': [
        'error',
        {
          patterns: [
            {
              // The newsroom's editor is ProseMirror: its packages are the one deliberate exception.
              regex: `^(?!\\.{1,2}/|prosemirror-${oneOf(PROSEMIRROR)}$)`,
              message: `Client bundles run in the browser and import no Node module or npm package (${WHERE}).`,
            },
            {
              regex: `^(?:\\.\\./)+(?:${oneOf(['db', 'http', 'views'])}/|${oneOf(['main', 'app', 'cli', 'config', 'deps', 'control-socket'])}\\.js$)`,
              message: `Client bundles run in the browser and import nothing from the server's platform (${WHERE}).`,
            },
            {
              regex: '\\.(?:queries|service|routes|testing|fixtures)\\.js$',
              message: `Client bundles run in the browser and import no queries, services or routes (${WHERE}).`,
            },
          ],
        },
      ],
    },
  },
  {
    // main.ts builds the real things; a module that imported it would start a server or open a
    // database by being imported. Tests, benchmarks and scripts drive it from outside.
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    ignores: ['src/main.ts', 'src/cli.ts', 'test/**', 'bench/**', 'scripts/**', ...TEST_FILES],
    rules: {
      'boundaries/only-entry-points-import-main': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:\\.{1,2}/)+(?:src/)?main(?:\\.js)?$',
              message: `Only src/cli.ts (with tests, benchmarks and scripts) imports src/main.ts (${WHERE}).`,
            },
          ],
        },
      ],
    },
  },
);
