import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/cli',
    include: ['src/**/*.test.ts'],
    // The tests run the built CLI as child processes and start real servers.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
