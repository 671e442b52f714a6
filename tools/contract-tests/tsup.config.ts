import { defineConfig } from 'tsup';

// The @avsb/node test service as a program of its own (`node dist/node-service.js`),
// for running it beside the harness or another SDK's tooling; @avsb/node stays external.
export default defineConfig({
  entry: { 'node-service': 'src/services/node/main.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
});
