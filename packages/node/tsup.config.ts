import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  entry: { index: 'src/index.ts', adapter: 'src/adapter/index.ts' },
  runtime: 'node',
  versionConstant: '__AVSB_NODE_VERSION__',
  compactEntries: ['index', 'adapter'],
});
