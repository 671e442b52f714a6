import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/doc-snippets',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // each check builds tsc programs over the packages' types: seconds, more on a loaded two-core machine
    testTimeout: 120_000,
    // the fixtures' check runs in beforeAll: 7 s idle, past the default 10 s hook limit under a load of 10+
    hookTimeout: 120_000,
  },
});
