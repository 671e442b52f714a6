// Test support: an example app built and run as its README says (`node dist/main.js`), as a child process.
import { execFile, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A running app process. */
export interface AppProcess {
  /** The URL the app printed as `listening on <url>`. */
  readonly url: string;
  /** Everything it printed so far, stdout and stderr. */
  readonly output: string;
  /**
   * Sends `signal` (SIGTERM by default) and resolves with the exit code, or
   * the signal that ended the process (NestJS re-raises the one it handled);
   * SIGKILL after `timeoutMs`.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | NodeJS.Signals>;
}

/**
 * Compiles the app in `cwd` with its `tsconfig.json`, as its `build` script
 * does, unless `dist/main.js` is newer than its sources (turbo built it just
 * before the tests), which saves a compilation per example in `pnpm test`.
 */
export async function buildApp(cwd: string): Promise<void> {
  if (builtAfterSources(cwd)) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd }).catch((error: { stdout?: string }) => {
    throw new Error(`tsc -p ${cwd}/tsconfig.json failed:\n${error.stdout ?? String(error)}`);
  });
}

function builtAfterSources(cwd: string): boolean {
  let built: number;
  try {
    built = statSync(join(cwd, 'dist', 'main.js')).mtimeMs;
  } catch {
    return false;
  }
  const sources = ['tsconfig.json', 'package.json', ...readdirSync(join(cwd, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => join('src', f))];
  return sources.every((file) => statSync(join(cwd, file)).mtimeMs < built);
}

/**
 * Runs `node <script>` in `cwd` with `env` added to this process's
 * environment, and waits until it prints `listening on http://…`.
 */
export async function startAppProcess(script: string, options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<AppProcess> {
  const child = spawn(process.execPath, [script], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), options.timeoutMs ?? 15_000);
    const fail = (code: number | NodeJS.Signals): void => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before listening:\n${output}`));
    };
    void exited.then(fail);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url,
    get output() {
      return output;
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      const force = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.kill(signal);
      const code = await exited;
      clearTimeout(force);
      return code;
    },
  };
}
