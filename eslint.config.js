// ESLint errors only: a rule worth having is worth failing the build for (CONTRIBUTING.md, habit 12).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Features add their error codes and strings to the platform's types by declaration
      // merging (src/http/app-error.ts, src/views/i18n.ts): an interface that starts empty and
      // one that only extends another are how that is written.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }],
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
          // Parameterised SQL everywhere (docs/SECURITY.md, item 21): Kysely's sql tag is allowed, raw
          // strings handed to sql.raw are not.
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
);
