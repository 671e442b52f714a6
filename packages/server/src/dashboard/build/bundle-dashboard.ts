/**
 * Bundles the dashboard (`../ui`: TypeScript and CSS) with esbuild into the
 * files the server serves: `index.html`, `favicon.svg`, and `app-<hash>.js`,
 * `style-<hash>.css` (with their source maps), the hash in the name so a
 * browser may cache them for good. Runs at build time (tsup's `onSuccess`)
 * and before the server's tests (`vitest.config.ts`); never in a running
 * server, so esbuild stays a devDependency.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { KEY_INPUT_PATTERN, KEY_RULE } from '../../domain/keys';

const UI = fileURLToPath(new URL('../ui/', import.meta.url));

/** The constants `ui/model.ts` takes from the server at build time (the key rule of domain/keys.ts). */
export const DASHBOARD_DEFINES: Readonly<Record<string, string>> = {
  __AVSB_KEY_INPUT_PATTERN__: JSON.stringify(KEY_INPUT_PATTERN),
  __AVSB_KEY_RULE__: JSON.stringify(KEY_RULE),
};

export interface DashboardBundle {
  /** File names written into the output folder. */
  files: string[];
  /** The hashed names of the script and the stylesheet. */
  script: string;
  stylesheet: string;
}

/** Writes a file under a temporary name first: a server reading the folder never sees half a file. */
function writeAtomic(path: string, body: Uint8Array | string): void {
  const tmp = path + '.' + process.pid + '.tmp';
  writeFileSync(tmp, body);
  renameSync(tmp, path);
}

/** Hashed files of earlier bundles, left for ten minutes for a server or test that started with them. */
function prune(outDir: string, keep: ReadonlySet<string>): void {
  const cutoff = Date.now() - 10 * 60_000;
  for (const name of readdirSync(outDir)) {
    if (keep.has(name) || !/^(app|style)-[A-Z0-9]+\.(js|css)(\.map)?$/.test(name)) continue;
    const path = join(outDir, name);
    if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
  }
}

/** Bundles `ui/` into `outDir` (created when missing). */
export async function bundleDashboard(outDir: string): Promise<DashboardBundle> {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(UI, 'main.ts'), style: join(UI, 'style.css') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome112', 'firefox116', 'safari17'],
    minify: true,
    sourcemap: 'linked',
    sourcesContent: true,
    entryNames: '[name]-[hash]',
    outdir: outDir,
    write: false,
    define: DASHBOARD_DEFINES,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const files: string[] = [];
  let script = '';
  let stylesheet = '';
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    writeAtomic(join(outDir, name), file.contents);
    files.push(name);
    if (name.endsWith('.js')) script = name;
    if (name.endsWith('.css')) stylesheet = name;
  }
  if (!script || !stylesheet) throw new Error('the dashboard bundle has no script or no stylesheet');
  copyFileSync(join(UI, 'favicon.svg'), join(outDir, 'favicon.svg'));
  files.push('favicon.svg');
  const html = readFileSync(join(UI, 'index.html'), 'utf8')
    .replace('href="style.css"', `href="${stylesheet}"`)
    .replace('src="app.js"', `src="${script}"`);
  if (!html.includes(script) || !html.includes(stylesheet)) throw new Error('ui/index.html does not link style.css and app.js');
  // last: the page names the files written above
  writeAtomic(join(outDir, 'index.html'), html);
  files.push('index.html');
  prune(outDir, new Set(files));
  return { files, script, stylesheet };
}
