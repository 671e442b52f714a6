// Test support: the example built with `next build` and served by `next start`, as its README says.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

// no telemetry: the tests talk to 127.0.0.1 only
const QUIET = { NEXT_TELEMETRY_DISABLED: '1' };

/** `next build` in `cwd` (Turbopack, or webpack with `--webpack` in `args`); throws with Next's output when it fails. */
export async function nextBuild(cwd: string, args: string[] = []): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [NEXT_BIN, 'build', ...args], {
    cwd,
    env: { ...process.env, ...QUIET },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`next build failed:\n${error.stdout ?? ''}\n${error.stderr ?? String(error)}`);
  });
  return stdout + stderr;
}

/** A `next start` process. */
export interface NextServer {
  readonly url: string;
  /** Everything it printed so far. */
  readonly output: string;
  /** SIGTERM (SIGKILL after 10 s); resolves with the exit code, or the signal that ended it. */
  stop(): Promise<number | NodeJS.Signals>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `next start -H 127.0.0.1` on a free port with `env` added; resolves once it is ready. */
export function nextStart(cwd: string, env: Record<string, string>): Promise<NextServer> {
  return nextServe('start', cwd, env);
}

/** `next dev -H 127.0.0.1` (Turbopack, compiling on demand) on a free port with `env` added; resolves once it is ready. */
export function nextDev(cwd: string, env: Record<string, string>): Promise<NextServer> {
  return nextServe('dev', cwd, env);
}

async function nextServe(command: 'start' | 'dev', cwd: string, env: Record<string, string>): Promise<NextServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, command, '-H', '127.0.0.1', '-p', String(port)], {
    cwd,
    env: { ...process.env, ...QUIET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  const stop = async (): Promise<number | NodeJS.Signals> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    const code = await exited;
    clearTimeout(force);
    return code;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next ${command} exited (${child.exitCode}):\n${output}`);
    if (/Ready in/.test(output)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next ${command} did not get ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    get output() {
      return output;
    },
    stop,
  };
}
