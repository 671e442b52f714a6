import { packageBuild } from '../../tools/build/tsup-preset';

// neutral: the web entry runs in browsers, the server entry in Node; neither uses Node built-ins
export default packageBuild({ runtime: 'neutral', entry: { index: 'src/index.ts', web: 'src/web/index.ts' } });
