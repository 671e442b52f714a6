import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  entry: { index: 'src/index.ts', 'wasm-inline': 'src/wasm-inline.ts' },
  runtime: 'neutral',
  // dist/avsb-engine.wasm is copied there by scripts/inline-wasm.mjs before tsup runs
  clean: false,
});
