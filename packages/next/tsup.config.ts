import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { packageBuild } from '../../tools/build/tsup-preset';

// esbuild drops module directives when it bundles, so 'use client' is put back on the client entry
// afterwards: without it a server layout could not render <AvsbProvider>.
const CLIENT_FILES = ['dist/client.js', 'dist/client.cjs'];

// `@avsb/next/evaluator` and `@avsb/next/engine` (edge-light only): each .wasm beside a module that imports it with
// `?module`. Next's bundlers compile such an import to a WebAssembly.Module, but only for a relative path: a `?module`
// query on a package's exported path is not resolved (webpack and Turbopack alike), so the files ship here (their
// types: evaluator.d.ts and engine.d.ts beside package.json).
const WASM_ENTRIES = { evaluator: 'avsb-evaluator.wasm', engine: 'avsb-engine.wasm' } as const;
const wasmEntry = (file: string) => `// ${file} as a WebAssembly.Module, compiled by Next.js's bundler (edge runtime).
export { default } from './${file}?module';
`;

export default packageBuild({
  runtime: 'neutral',
  entry: { index: 'src/index.ts', client: 'src/client.ts', middleware: 'src/middleware.ts' },
  // next and react come from the application; the @avsb packages are dependencies, never bundled in
  external: ['next', 'react', /^@avsb\//],
  onSuccess: async () => {
    const require = createRequire(import.meta.url);
    for (const [entry, file] of Object.entries(WASM_ENTRIES)) {
      copyFileSync(require.resolve(`@avsb/engine/${file}`), `dist/${file}`);
      writeFileSync(`dist/${entry}.js`, wasmEntry(file));
    }
    for (const file of CLIENT_FILES) {
      const text = readFileSync(file, 'utf8');
      if (!text.startsWith("'use client';")) writeFileSync(file, `'use client';${text}`);
    }
  },
});
