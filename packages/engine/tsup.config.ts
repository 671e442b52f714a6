import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  entry: { index: 'src/index.ts', node: 'src/node.ts', 'node-sync': 'src/node-sync.ts', 'wasm-inline': 'src/wasm-inline.ts', compiler: 'src/compiler.ts' },
  runtime: 'neutral',
  // dist/avsb-engine.wasm is copied there by scripts/inline-wasm.mjs before tsup runs
  clean: false,
  // the ./node entry reads dist/avsb-engine.wasm beside itself: import.meta.url also in the CJS build
  shims: true,
  external: [/^node:/],
  // nothing outside a class reads its _private members: about 120 B gz less of a page's host JS (issue 9)
  // evaluateAll's members stay long: shortened, they would take short names from members every page bundles
  // (esbuild hands the shortest names to the most frequent members of the whole build), and the page would grow
  shortMemberNames: { keep: ['_shared', '_all', '_next', '_keys', '_hashed', '_slots', '_more', '_detail', '_miss'] },
  // a web page's production build gets short message texts (index.browser.js); the other entries are not a page's
  shortMessages: { entries: ['index'] },
});
