import { defineConfig } from 'tsup';
import { bundleDashboard } from './src/dashboard/build/bundle-dashboard';

export default defineConfig({
  // the storage worker is a script of its own, started in a worker thread (src/storage/sqlite/storage-worker-client.ts)
  entry: { index: 'src/index.ts', 'storage-worker': 'src/storage/sqlite/storage-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  // import.meta.url in the CJS build too: the server finds dist/dashboard/ beside itself
  shims: true,
  // the dashboard's TypeScript and CSS (src/dashboard/ui), bundled into dist/dashboard/
  async onSuccess() {
    await bundleDashboard('dist/dashboard');
  },
});
