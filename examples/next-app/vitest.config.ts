import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/example-next-app',
    // Test files are looked up from examples/, so that a filter naming that
    // folder (`vitest run examples` at the repository root) selects them.
    dir: fileURLToPath(new URL('..', import.meta.url)),
    include: ['next-app/test/**/*.test.ts'],
    // `next build` once per file (tens of seconds on a loaded 2-core machine), then `next start` and Chromium
    hookTimeout: 300_000,
    // one Next.js at a time: next build, next start and next dev share the app's folder (dev.test.ts edits a file)
    fileParallelism: false,
    testTimeout: 60_000,
  },
});
