import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/openfeature',
    include: ['src/**/*.test.ts'],
    // some tests start the real A vs B server and type-check a consumer project
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
