// House-style lint (STYLE.md): private and protected class members are named `_name`, no TypeScript enums,
// `import type` for type-only imports, no unused variables. Syntax-only (no type information).
import tseslint from 'typescript-eslint';

export default [
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.next/**', // Next.js build output (examples/next-app)
      '!tools/build/**', // the tsup preset's source, not build output
      'packages/engine/assembly/**',
      'packages/engine/src/generated/**',
    ],
  },
  {
    files: [
      'packages/*/src/**/*.ts',
      'packages/*/test/**/*.ts',
      'tools/*/src/**/*.ts',
      'tools/*/test/**/*.ts',
      'tools/build/**/*.ts',
      'tools/test-support/**/*.ts',
      'examples/*/src/**/*.ts',
      'examples/next-app/**/*.{ts,tsx}', // the App Router's app/, lib/, middleware.ts
      'examples/browser-app/test/**/*.ts',
      '{packages,tools}/*/tsup.config.ts',
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
      // `_`-prefixed names are deliberately unused (a parameter a signature requires, a skipped tuple element)
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `import type { A }` when all are types, `import { f, type A }` when mixed: the style most files already use.
      // `typeof import('x')` stays allowed: it types a module loaded lazily (the CLI's optional @avsb/server).
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  // The runtime-neutral packages take timers, clock, random, abort and fetch from an injected Platform (STYLE.md,
  // "What to stop doing"): only @avsb/common's global-platform.ts reads the standard globals. @avsb/browser too (it
  // reads only the page's own globals: navigator, document, localStorage).
  {
    files: [
      'packages/common/src/**/*.ts',
      'packages/core/src/**/*.ts',
      'packages/events/src/**/*.ts',
      'packages/edge/src/**/*.ts',
      'packages/browser/src/**/*.ts',
    ],
    ignores: ['**/*.test.ts', 'packages/common/src/global-platform.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'AbortController', 'fetch', 'crypto'].map((name) => ({
          name,
          message: 'use the injected Platform (globalPlatform() of @avsb/common builds one from the globals)',
        })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'use platform.now()' },
        { object: 'Math', property: 'random', message: 'use platform.random() (jitterSource)' },
        { object: 'globalThis', property: 'setTimeout', message: 'use platform.setTimeout()' },
        { object: 'globalThis', property: 'fetch', message: 'use platform.fetch()' },
      ],
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'runtime-neutral code: no Node built-ins' }] }],
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
