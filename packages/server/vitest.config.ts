import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@avsb/server',
    // The tests run from source: bundle the dashboard (src/dashboard/ui) into dist/dashboard and the storage worker into dist/ first, as `build` does.
    globalSetup: ['src/dashboard/build/global-setup.ts', 'src/storage/sqlite/storage-worker.global-setup.ts'],
  },
});
