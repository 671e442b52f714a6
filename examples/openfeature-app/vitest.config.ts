import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/example-openfeature-app',
    // Test files are looked up from examples/, so that a filter naming that
    // folder (`vitest run examples` at the repository root) selects them.
    dir: fileURLToPath(new URL('..', import.meta.url)),
    include: ['openfeature-app/src/**/*.test.ts'],
    // the real-server tests start the A vs B server and the built app
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
