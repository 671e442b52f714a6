import { packageBuild } from '../../tools/build/tsup-preset';

export default packageBuild({
  runtime: 'neutral',
  // React and the browser SDK come from the application (react as a peer), never bundled in
  external: ['react', '@avsb/browser'],
});
