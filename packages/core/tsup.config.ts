import { packageBuild } from '../../tools/build/tsup-preset';

// ClientFacade's protected members are used by the subclasses of @avsb/node and @avsb/testing: their names stay.
// `page`: the web page's pieces alone (@avsb/browser), so a page's bundle holds none of what the index's server
// classes keep at load (ScopedClient's Symbol.dispose, set on its prototype when the module runs).
export default packageBuild({
  entry: { index: 'src/index.ts', page: 'src/page.ts' },
  // @avsb/protocol's two constants are inlined: a bare specifier less for a fresh process to resolve and a module
  // less to load on @avsb/node's import (≈ 1 ms of CPU each, bench README); its types stay imported in the .d.ts
  noExternal: ['@avsb/protocol'],
  runtime: 'neutral',
  shortMemberNames: { keep: ['_core', '_engine', '_engineMetrics'] },
  // a web page's production build gets short message texts (page.browser.js): only `page` is bundled by a page
  shortMessages: { entries: ['page'] },
  // the server's entry: only Node loads it (pages bundle `page`)
  compactEntries: ['index'],
  // Node's copy of the index (the `module-sync` condition) with @avsb/common inlined: a specifier and a module less on
  // @avsb/node's import; bundlers keep the index, which imports common, so a bundle holds common once
  nodeCopies: { entries: ['index'], inline: ['@avsb/common'] },
});
