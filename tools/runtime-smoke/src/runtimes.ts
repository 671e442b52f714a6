// Finds the Bun and Deno binaries that this package installs from npm, and
// runs a script in them. The driver (runtimes.test.ts) runs in Node.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's directory: the runtimes run with it as their working directory. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

const require = createRequire(join(PACKAGE_DIR, 'package.json'));

export type RuntimeName = 'bun' | 'deno';

export interface Runtime {
  readonly name: RuntimeName;
  /** The command line that runs a TypeScript file, the file's path to be appended. */
  readonly command: readonly string[];
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why the process could not be started or was killed (ENOENT, a timeout), if it was. */
  readonly error?: string;
}

/**
 * The binary that the npm package `name` ships. Both packages copy the binary
 * of the platform's optional package over their `bin` entry in a postinstall
 * script (allowed in pnpm-workspace.yaml); should that script not have run,
 * Deno's `bin.cjs` launcher still finds the platform package, while Bun's
 * `bin/bun.exe` stays a placeholder that fails the probe.
 */
function binary(name: RuntimeName): readonly string[] {
  const dir = dirname(require.resolve(`${name}/package.json`));
  if (name === 'bun') return [join(dir, 'bin', 'bun.exe')];
  const native = join(dir, 'deno');
  return existsSync(native) ? [native] : [process.execPath, join(dir, 'bin.cjs')];
}

/** The installed version of the npm package `name` (the runtime's version). */
export function packageVersion(name: RuntimeName): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/**
 * How a user runs a TypeScript file in each runtime. Deno gets only the
 * permissions the SDK needs: the network (the A vs B server), the
 * environment (AVSB_SDK_KEY, AVSB_BASE_URL) and reading files (the packages
 * in node_modules); `--cached-only` keeps it from fetching anything.
 */
export function runtime(name: RuntimeName): Runtime {
  const bin = binary(name);
  const command = name === 'bun' ? [...bin, 'run'] : [...bin, 'run', '--cached-only', '--allow-net', '--allow-env', '--allow-read'];
  return { name, command };
}

/** Environment for a runtime: no colours in its output, no update checks or prompts. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', ...extra };
}

/**
 * Runs `args` after `command[0]`, asynchronously: the A vs B server that the
 * script talks to runs in this same Node process and must keep answering.
 */
export function run(command: readonly string[], args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult> {
  const [file, ...rest] = command;
  return new Promise((resolve) => {
    execFile(file!, [...rest, ...args], { cwd: PACKAGE_DIR, env: childEnv(env), timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const failure = err as (NodeJS.ErrnoException & { code?: unknown; signal?: string | null; killed?: boolean }) | null;
      const code = failure ? (typeof failure.code === 'number' ? failure.code : null) : 0;
      const error = failure && typeof failure.code !== 'number' ? (failure.killed ? `killed after ${timeoutMs} ms` : failure.message) : undefined;
      resolve({ code, signal: failure?.signal ?? null, stdout, stderr, ...(error ? { error } : {}) });
    });
  });
}

/** `<runtime> --version`: the runtime's own version line, or why it does not run here. */
export async function probe(name: RuntimeName): Promise<{ ok: true; version: string } | { ok: false; problem: string }> {
  let bin: readonly string[];
  try {
    bin = binary(name);
  } catch (err) {
    return { ok: false, problem: `the npm package "${name}" is not installed (${(err as Error).message}); run pnpm install` };
  }
  const result = await run(bin, ['--version'], {}, 30_000);
  if (result.code === 0) return { ok: true, version: result.stdout.trim().split('\n')[0] ?? '' };
  return { ok: false, problem: `${bin.join(' ')} --version failed on this machine\n${describe(result)}` };
}

/** A run's outcome and output, for a failure message. */
export function describe(result: RunResult): string {
  const status = result.error ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`);
  return `${status}\n--- stdout ---\n${result.stdout}--- stderr ---\n${result.stderr}`;
}
