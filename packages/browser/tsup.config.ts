import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  entry: { index: 'src/index.ts', inline: 'src/inline.ts' },
  runtime: 'neutral',
  versionConstant: '__AVSB_BROWSER_VERSION__',
  shortMemberNames: {},
  // the engine's .wasm ships beside dist/index.js: `new URL('./avsb-engine.wasm', import.meta.url)` finds it there,
  // and Vite and webpack 5 emit it as an asset from that very expression
  onSuccess: async () => {
    copyFileSync(join(process.cwd(), 'node_modules/@avsb/engine/dist/avsb-engine.wasm'), join(process.cwd(), 'dist/avsb-engine.wasm'));
  },
});
