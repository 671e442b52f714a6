import { packageBuild } from '../../tools/build/tsup-preset';
import { bundleDashboard } from './src/dashboard/build/bundle-dashboard';

export default packageBuild({
  // the storage worker is a script of its own, started in a worker thread (src/storage/sqlite/storage-worker-client.ts)
  entry: { index: 'src/index.ts', 'storage-worker': 'src/storage/sqlite/storage-worker.ts' },
  runtime: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  // import.meta.url in the CJS build too: the server finds dist/dashboard/ beside itself
  shims: true,
  // the dashboard's TypeScript and CSS (src/dashboard/ui), bundled into dist/dashboard/
  async onSuccess() {
    await bundleDashboard('dist/dashboard');
  },
});
