import { packageBuild } from '../build/tsup-preset';

// The @avsb/node test service as a program of its own (`node dist/node-service.js`),
// for running it beside the harness or another SDK's tooling; @avsb/node stays external.
export default packageBuild({
  entry: { 'node-service': 'src/services/node/main.ts' },
  runtime: 'node',
  format: ['esm'],
  dts: false,
});
