// Test support: the test page bundled from source (test/page/*.ts) with esbuild, as an application would bundle
// @avsb/browser (its built dist, resolved through the workspace), with avsb-engine.wasm copied beside the bundle.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = join(here, '..', '..');

/** Bundles `test/page/<entry>.ts` into a new directory with index.html, app.js and avsb-engine.wasm; returns the directory. */
export async function bundlePage(entry = 'app'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'avsb-browser-page-'));
  await build({
    entryPoints: [join(PACKAGE_DIR, 'test', 'page', `${entry}.ts`)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'app.js'),
    sourcemap: true,
    logLevel: 'silent',
  });
  copyFileSync(join(PACKAGE_DIR, 'dist', 'avsb-engine.wasm'), join(dir, 'avsb-engine.wasm'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>avsb</title><div id="out"></div><script type="module" src="/app.js"></script>\n');
  return dir;
}
