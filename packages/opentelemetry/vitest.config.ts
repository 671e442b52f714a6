import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/opentelemetry',
    include: ['src/**/*.test.ts'],
  },
});
