import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  entry: { index: 'src/index.ts', inline: 'src/inline.ts' },
  runtime: 'neutral',
  versionConstant: '__AVSB_BROWSER_VERSION__',
  shortMemberNames: {},
  // production builds of a page get short message texts (index.browser.js, inline.browser.js; tools/build/README.md)
  shortMessages: true,
  // the engine's .wasm files ship beside dist/index.js: `new URL('./avsb-evaluator.wasm', import.meta.url)` (and the
  // full engine's, for services that answer JSON) find them there, and Vite and webpack 5 emit them as assets from those
  // very expressions
  onSuccess: async () => {
    for (const file of ['avsb-evaluator.wasm', 'avsb-engine.wasm']) {
      copyFileSync(join(process.cwd(), 'node_modules/@avsb/engine/dist', file), join(process.cwd(), 'dist', file));
    }
  },
});
