import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/example-browser-app',
    // Test files are looked up from examples/, so that a filter naming that
    // folder (`vitest run examples` at the repository root) selects them.
    dir: fileURLToPath(new URL('..', import.meta.url)),
    include: ['browser-app/test/**/*.test.ts'],
    // each file builds the page, starts the real server and Chromium: one at a time on a 2-core machine
    fileParallelism: false,
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
