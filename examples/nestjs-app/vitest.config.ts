import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Nest's decorators are TypeScript's legacy (experimentalDecorators) kind
  oxc: { decorator: { legacy: true } },
  test: {
    name: '@avsb/example-nestjs-app',
    // Test files are looked up from examples/, so that a filter naming that
    // folder (`vitest run examples` at the repository root) selects them.
    dir: fileURLToPath(new URL('..', import.meta.url)),
    include: ['nestjs-app/src/**/*.test.ts'],
    // the real-server tests start the A vs B server and the built app
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
