import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/runtime-smoke',
    include: ['src/**/*.test.ts'],
    // Each test starts a Bun or Deno process; on a loaded two-core machine
    // Deno's first run (type-stripping the packages into its cache) is slow.
    testTimeout: 90_000,
    hookTimeout: 30_000,
  },
});
