// vitest globalSetup of @avsb/server: tests run from source, so bundle the
// dashboard into dist/dashboard first, as `build` does (esbuild takes well
// under a second). The tests then serve the dashboard of the source they test.
import { fileURLToPath } from 'node:url';
import { bundleDashboard } from './bundle-dashboard';

export default async function setup(): Promise<void> {
  await bundleDashboard(fileURLToPath(new URL('../../../dist/dashboard/', import.meta.url)));
}
