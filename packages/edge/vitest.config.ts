import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/edge',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // the tests start the real A vs B server, workerd (through miniflare) and the edge-runtime sandbox
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
