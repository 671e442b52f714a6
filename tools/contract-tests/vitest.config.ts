import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/contract-tests',
    include: ['src/**/*.test.ts'],
    // The scenarios measure reconnection delays in real time: files run one
    // after another so that they do not compete for the two CI cores.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
