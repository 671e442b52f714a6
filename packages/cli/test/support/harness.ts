// Runs the BUILT `avsb` (dist/cli.js) as a child process, the way users do.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(PACKAGE_DIR, 'dist', 'cli.js');

/** Fails with instructions when the CLI has not been built. */
export function assertBuilt(): void {
  if (!existsSync(CLI)) {
    throw new Error(
      `${CLI} is missing: build first (pnpm --filter @avsb/engine build && pnpm --filter @avsb/protocol build && pnpm --filter @avsb/validator build && pnpm --filter @avsb/server build && pnpm --filter @avsb/cli build, or pnpm build)`,
    );
  }
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An environment without the AVSB_* variables of the developer's shell. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AVSB_')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** `node dist/cli.js …args` in `cwd`; resolves when it exits (killed after `timeoutMs`). */
export function avsb(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? os.tmpdir(), env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix = 'avsb-cli-'): { dir: string; file(name: string, content: string | object): string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file(name, content) {
      const target = path.join(dir, name);
      writeFileSync(target, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
      return target;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A running `avsb dev`, with what its banner printed. */
export interface DevServer {
  readonly child: ChildProcess;
  readonly url: string;
  readonly adminToken: string;
  /** SDK keys by environment, from the banner. */
  readonly keys: Record<string, { serverKey: string; clientKey: string }>;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** The output after the banner: the request log. */
  log(): string;
  /** Sends a signal and resolves with the exit code and signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const BANNER_END = 'Press Ctrl-C to stop.';

/** Starts `avsb dev --port 0 …args` in `cwd` and waits for its banner. */
export function startDev(cwd: string, args: readonly string[] = []): Promise<DevServer> {
  const child = spawn(process.execPath, [CLI, 'dev', '--port', '0', ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`avsb dev printed no banner in 20 s\nstdout:\n${out}\nstderr:\n${err}`));
    }, 20_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!out.includes(BANNER_END)) return;
      clearTimeout(timer);
      try {
        resolve(parseBanner(child, () => out, () => err, exited));
      } catch (error) {
        reject(error);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`avsb dev exited (${code}) before its banner\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

function parseBanner(
  child: ChildProcess,
  stdout: () => string,
  stderr: () => string,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
): DevServer {
  const text = stdout();
  const url = /dashboard:\s+(http:\/\/\S+?)\/?\s/.exec(text)?.[1];
  const adminToken = /admin token:\s+(\S+)/.exec(text)?.[1];
  if (!url || !adminToken) throw new Error(`cannot read the banner:\n${text}`);
  const keys: DevServer['keys'] = {};
  for (const m of text.matchAll(/^\s+(\S+)\s+server key (srv-\S+)\s+client key (cli-\S+)$/gm)) {
    keys[m[1]!] = { serverKey: m[2]!, clientKey: m[3]! };
  }
  return {
    child,
    url,
    adminToken,
    keys,
    stdout,
    stderr,
    log: () => stdout().split(BANNER_END)[1] ?? '',
    stop(signal = 'SIGINT') {
      child.kill(signal);
      return exited;
    },
  };
}
