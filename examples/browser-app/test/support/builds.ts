// Test support: the example built and served as its README says — `vite build`, `node esbuild.mjs`, `vite` (the dev
// server) — as child processes with the page's environment (AVSB_CLIENT_KEY, AVSB_BASE_URL).
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@avsb/test-support';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

export interface PageEnv {
  AVSB_CLIENT_KEY: string;
  AVSB_BASE_URL: string;
}

async function run(args: string[], env: PageEnv): Promise<void> {
  await promisify(execFile)(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`node ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? String(error)}`);
  });
}

/** `vite build --outDir <outDir>` (`pnpm build:vite`, elsewhere). */
export const viteBuild = (outDir: string, env: PageEnv): Promise<void> => run([VITE, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], env);

/** `vite build test/<page> --outDir <outDir>`: a test page of its own (its index.html, main.ts and vite.config.mjs). */
const viteBuildTestPage = (page: string, outDir: string, env: PageEnv): Promise<void> =>
  run([VITE, 'build', join(ROOT, 'test', page), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], env);

/** `vite build test/json-page`: the test page that imports `jsonDatafiles`. */
export const viteBuildJsonPage = (outDir: string, env: PageEnv): Promise<void> => viteBuildTestPage('json-page', outDir, env);

/** `vite build test/inline-page`: the test page on `@avsb/browser/inline`. */
export const viteBuildInlinePage = (outDir: string, env: PageEnv): Promise<void> => viteBuildTestPage('inline-page', outDir, env);

/** `node esbuild.mjs <outDir>` (`pnpm build:esbuild`, elsewhere). */
export const esbuildBuild = (outDir: string, env: PageEnv): Promise<void> => run(['esbuild.mjs', outDir], env);

export interface DevServer {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Vite's dev server (`pnpm dev`) on a free port of 127.0.0.1, with `config` (default: the example's vite.config.mjs). */
export async function startViteDev(env: PageEnv, config?: string): Promise<DevServer> {
  const port = await freePort();
  const args = [VITE, '--host', '127.0.0.1', '--port', String(port), '--strictPort', ...(config ? ['--config', config] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (child.exitCode === null ? (await fetch(url).then((r) => r.ok, () => false)) || null : true), 30_000, 'the Vite dev server');
    if (child.exitCode !== null) throw new Error(`vite exited (${child.exitCode}):\n${output}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
