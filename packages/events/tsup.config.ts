import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  entry: { index: 'src/index.ts', page: 'src/page.ts' },
  runtime: 'neutral',
  versionConstant: '__AVSB_EVENTS_VERSION__',
  shortMemberNames: { keep: ['_ring'] },
  shortMessages: true,
  // Node's copy (the `module-sync` condition; a server imports it when it first sends events): compacted, with common
  // and protocol inlined, one module to load; pages and other bundlers keep the annotated index and its imports
  nodeCopies: { entries: ['index'], inline: ['@avsb/common', '@avsb/protocol'] },
});
