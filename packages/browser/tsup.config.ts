import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  // json-datafiles is an entry of its own, not part of index: its module holds the full engine's URL (src/full-engine-url.ts)
  entry: { index: 'src/index.ts', inline: 'src/inline.ts', 'json-datafiles': 'src/json-datafiles.ts' },
  runtime: 'neutral',
  versionConstant: '__AVSB_BROWSER_VERSION__',
  shortMemberNames: {},
  // production builds of a page get short message texts (index.browser.js, inline.browser.js; tools/build/README.md);
  // json-datafiles.js has no texts of its own (those it imports are in @avsb/core's and @avsb/engine's builds)
  shortMessages: { entries: ['index', 'inline'] },
  // the engine's .wasm files ship beside dist/index.js: `new URL('./avsb-evaluator.wasm', import.meta.url)` (and, in
  // dist/json-datafiles.js, the full engine's, for services that answer JSON) find them there, and Vite and webpack 5
  // emit them as assets from those very expressions; dist/inline.js names neither (it carries the full engine)
  onSuccess: async () => {
    for (const file of ['avsb-evaluator.wasm', 'avsb-engine.wasm']) {
      copyFileSync(join(process.cwd(), 'node_modules/@avsb/engine/dist', file), join(process.cwd(), 'dist', file));
    }
  },
});
