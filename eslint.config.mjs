// House-style lint: private and protected class members are named `_name`,
// and no TypeScript enums (STYLE.md). Syntax-only (no type information).
import tseslint from 'typescript-eslint';

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      'packages/engine/assembly/**',
      'packages/engine/src/generated/**',
    ],
  },
  {
    files: [
      'packages/*/src/**/*.ts',
      'packages/*/test/**/*.ts',
      'tools/*/src/**/*.ts',
      'examples/*/src/**/*.ts',
    ],
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: 'latest',
      sourceType: 'module',
    },
    plugins: {
      '@typescript-eslint': tseslint.plugin,
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'off',
    },
    rules: {
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'memberLike', modifiers: ['private'], format: null, leadingUnderscore: 'require' },
        { selector: 'memberLike', modifiers: ['protected'], format: null, leadingUnderscore: 'require' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'use a string union, not an enum (STYLE.md)' },
      ],
    },
  },
  // The dashboard's browser code (bundled by esbuild; tsc checks it with lib DOM, which finds unknown globals):
  // no Node built-ins, which a browser bundle cannot take.
  {
    files: ['packages/server/src/dashboard/ui/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'browser code: no Node built-ins' }] }],
    },
  },
];
