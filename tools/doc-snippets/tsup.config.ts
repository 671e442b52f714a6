import { packageBuild } from '../build/tsup-preset';

// The checker as a program (`pnpm --filter @avsb/doc-snippets check`); typescript stays external.
export default packageBuild({
  entry: { cli: 'src/cli.ts' },
  runtime: 'node',
  format: ['esm'],
  dts: false,
  external: ['typescript'],
});
