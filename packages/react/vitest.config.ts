import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/react',
    include: ['test/**/*.test.ts'],
    // Chromium and the A vs B server start per file; on a loaded 2-core machine that takes a while
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
});
