// @ts-check
// The same page bundled by esbuild, as @avsb/browser's README says: esbuild leaves
// `new URL('./avsb-evaluator.wasm', import.meta.url)` as it is, so the .wasm is copied beside the bundle.
// `node esbuild.mjs [outdir]` (default dist/esbuild): index.html, assets/main.js, assets/avsb-evaluator.wasm.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { pageDefines } from './page-defines.mjs';

const root = import.meta.dirname;
const outdir = resolve(process.argv[2] ?? join(root, 'dist', 'esbuild'));
const assets = join(outdir, 'assets');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: join(assets, 'main.js'),
  define: pageDefines(),
  logLevel: 'warning',
});
// Only the evaluator: this page does not import `jsonDatafiles`, so it never fetches avsb-engine.wasm.
copyFileSync(createRequire(import.meta.url).resolve('@avsb/browser/avsb-evaluator.wasm'), join(assets, 'avsb-evaluator.wasm'));
// One page for both builds: Vite's index.html, pointed at the bundle instead of the source.
const html = readFileSync(join(root, 'index.html'), 'utf8').replace('src="/src/main.ts"', 'src="/assets/main.js"');
if (!html.includes('/assets/main.js')) throw new Error('index.html no longer loads /src/main.ts: update esbuild.mjs');
writeFileSync(join(outdir, 'index.html'), html);
console.log(`esbuild: ${outdir}`);
