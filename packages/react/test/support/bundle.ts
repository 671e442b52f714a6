// Test support: the test app bundled with esbuild, as an application bundles @avsb/react (its built dist) with React
// 18 or 19. React 18 is installed as react-18/react-dom-18 (npm aliases); esbuild's alias points every import of
// react and react-dom at one version, inside react-dom too, so the bundle holds a single React of that version.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = join(here, '..', '..');

/** The React major versions the tests run against. */
export type ReactMajor = 18 | 19;
export const REACT_MAJORS: readonly ReactMajor[] = [18, 19];

/**
 * Bundles `test/page/<entry>.ts` into `<dir>/<outName>` for Node (CommonJS) or the browser (an ES module, with
 * avsb-evaluator.wasm and avsb-engine.wasm copied beside it, where @avsb/browser fetches them from). Returns the directory.
 */
export async function bundle(entry: string, react: ReactMajor, platform: 'node' | 'browser', outName: string, dir?: string): Promise<string> {
  const out = dir ?? mkdtempSync(join(tmpdir(), 'avsb-react-'));
  await build({
    absWorkingDir: PACKAGE_DIR,
    entryPoints: [join(PACKAGE_DIR, 'test', 'page', `${entry}.ts`)],
    bundle: true,
    format: platform === 'node' ? 'cjs' : 'esm',
    platform,
    target: platform === 'node' ? 'node20' : 'es2022',
    outfile: join(out, outName),
    sourcemap: true,
    logLevel: 'silent',
    // development builds of React report hydration mismatches in detail
    define: { 'process.env.NODE_ENV': '"development"' },
    alias: {
      '@avsb/react': join(PACKAGE_DIR, 'dist', 'index.js'),
      ...(react === 18 ? { react: 'react-18', 'react-dom': 'react-dom-18' } : {}),
    },
  });
  if (platform === 'browser') {
    for (const file of ['avsb-evaluator.wasm', 'avsb-engine.wasm']) copyFileSync(join(PACKAGE_DIR, 'node_modules', '@avsb', 'browser', 'dist', file), join(out, file));
  }
  return out;
}
