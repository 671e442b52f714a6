import { defineConfig } from 'tsup';
import { bundleDashboard } from './src/dashboard/build/bundle-dashboard';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
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
