import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Nest's decorators are TypeScript's legacy (experimentalDecorators) kind; no
  // decorator metadata is emitted, so constructor parameters carry an explicit @Inject
  oxc: { decorator: { legacy: true } },
  test: {
    name: '@avsb/nestjs',
    include: ['src/**/*.test.ts'],
    // some tests start the real A vs B server and type-check a consumer project
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
