// The three kinds of project a README's reader copies a block into. A tsc program has one module resolution and
// one set of globals, so each target is its own program: Node's resolution (NodeNext) is what a server user runs,
// a bundler's (Bundler) what a page, React or Next.js user builds with, and Workers' globals clash with the DOM's.
import ts from 'typescript';
import type { Target } from './markdown';

/** Options every target shares: what a careful user's tsconfig holds. */
const COMMON: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  jsx: ts.JsxEmit.ReactJSX,
  esModuleInterop: true,
  // the house style (`import type` for types) is what the examples teach; a user's project with this flag compiles them
  verbatimModuleSyntax: true,
  isolatedModules: true,
  resolveJsonModule: true,
  allowJs: true,
  checkJs: true,
  // NestJS's parameter decorators (`@Avsb()`, `@Body()`) exist only as TypeScript's experimental decorators
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  forceConsistentCasingInFileNames: true,
  // the packages' own .d.ts are checked by their builds and by tools/check-packages, not here
  skipLibCheck: true,
};

const OPTIONS: Readonly<Record<Target, ts.CompilerOptions>> = {
  node: {
    ...COMMON,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    types: ['node'],
  },
  bundler: {
    ...COMMON,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    // Next.js projects read process.env on the server and carry @types/node
    types: ['node'],
  },
  workers: {
    ...COMMON,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    types: ['@cloudflare/workers-types'],
  },
};

/**
 * Declarations a target's own tooling writes into a user's project: `wrangler types` declares a `.wasm` import as a
 * precompiled module and types `env` from the project's variables. Written beside the snippets of that target only.
 */
const ENVIRONMENT: Readonly<Record<Target, string | null>> = {
  node: null,
  bundler: null,
  workers: [
    "declare module '*.wasm' {",
    '  const wasm: WebAssembly.Module;',
    '  export default wasm;',
    '}',
    // the guide's variables (wrangler.toml `vars` and secrets), as `wrangler types` declares them for `env`
    'declare namespace Cloudflare {',
    '  interface Env {',
    '    AVSB_SDK_KEY: string;',
    '    AVSB_BASE_URL: string;',
    '  }',
    '}',
    '',
  ].join('\n'),
};

/** The compiler options of a target. */
export function compilerOptions(target: Target): ts.CompilerOptions {
  return OPTIONS[target];
}

/** The declarations file of a target, if its tooling writes one. */
export function environment(target: Target): string | null {
  return ENVIRONMENT[target];
}

/** The READMEs whose readers build with a bundler; every other README's blocks run in Node unless a marker says. */
const BUNDLER_READMES = new Set(['packages/browser/README.md', 'packages/react/README.md', 'packages/next/README.md', 'packages/edge/README.md']);

/** The target of a README's blocks when no `<!-- snippet: target … -->` marker says otherwise. */
export function defaultTarget(readme: string): Target {
  return BUNDLER_READMES.has(readme) ? 'bundler' : 'node';
}
