import type { Plugin } from 'esbuild';
import { packageBuild } from '../../tools/build/tsup-preset';

// The ./node entries hand on the main entry's exports (`export * from './index'`). node.ts (Node before 20.19, Bun,
// Deno, bundlers) as an import of the main entry's own file in the format being built, so that `@avsb/engine` and
// `@avsb/engine/node` share one copy of its classes (an `AvsbEngine` made through either is `instanceof` the
// other's). node-sync.ts holds the main entry's code itself: under the `module-sync` condition (Node 20.19+ and
// 22.10+, and a bundler that applies it) both specifiers resolve to it (package.json), so a process loads one file,
// still one copy of the classes, and skips the ESM loader's second file (≈ 0.45 ms of a fresh process's CPU; README, "Where the `.wasm`
// comes from").
const mainEntryKeptApart: Plugin = {
  name: 'main-entry-kept-apart',
  setup(build) {
    const file = build.initialOptions.format === 'cjs' ? './index.cjs' : './index.js';
    build.onResolve({ filter: /^\.\/index$/ }, (args) => (/[\\/]node\.ts$/.test(args.importer) ? { path: file, external: true } : undefined));
  },
};

export default packageBuild({
  entry: { index: 'src/index.ts', node: 'src/node.ts', 'node-sync': 'src/node-sync.ts', 'wasm-inline': 'src/wasm-inline.ts', compiler: 'src/compiler.ts' },
  runtime: 'neutral',
  // dist/avsb-engine.wasm is copied there by scripts/inline-wasm.mjs before tsup runs
  clean: false,
  // the ./node entry reads dist/avsb-engine.wasm beside itself: import.meta.url also in the CJS build
  shims: true,
  external: [/^node:/],
  esbuildPlugins: [mainEntryKeptApart],
  // nothing outside a class reads its _private members: about 120 B gz less of a page's host JS (issue 9)
  // evaluateAll's members stay long: shortened, they would take short names from members every page bundles
  // (esbuild hands the shortest names to the most frequent members of the whole build), and the page would grow
  // (OrderedFlagTable's, server only, likewise: shortened, they cost a page 5 B; the context encoder's _name, 3 B)
  shortMemberNames: { keep: ['_shared', '_all', '_next', '_keys', '_hashed', '_slots', '_more', '_detail', '_miss', '_after', '_last', '_looked', '_name'] },
  // a web page's production build gets short message texts (index.browser.js); the other entries are not a page's
  shortMessages: { entries: ['index'] },
  // what Node loads under `module-sync` (pages bundle `index`)
  compactEntries: ['node-sync'],
});
