// vitest globalSetup of @avsb/server: tests run from source, and a worker
// thread cannot load TypeScript, so build the storage worker into
// dist/storage-worker.js first, as `build` does (where SqliteStore finds it
// from source, see storageWorkerScript).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export default async function setup(): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('./storage-worker.ts', import.meta.url))],
    outfile: fileURLToPath(new URL('../../../dist/storage-worker.js', import.meta.url)),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}
