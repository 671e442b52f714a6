import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/server',
    // The tests run from source: bundle the dashboard (src/dashboard/ui) into dist/dashboard first, as `build` does.
    globalSetup: ['src/dashboard/build/global-setup.ts'],
  },
});
