import { spawn, type ChildProcess } from 'node:child_process';
import type { CliIo } from './io';

/** The environment an app needs to reach the dev server. */
export interface AppEnvironment {
  AVSB_BASE_URL: string;
  AVSB_SDK_KEY: string;
  AVSB_CLIENT_KEY: string;
}

/**
 * Runs `command` in a shell beside the dev server, with the server's URL and
 * the example project's production keys in its environment, and its output
 * prefixed so the two logs can be told apart. `stop()` sends SIGTERM and
 * waits (bounded) for the app to shut down gracefully.
 */
export function execChild(command: string, appEnv: AppEnvironment, io: CliIo): { stop(): Promise<void> } {
  const child: ChildProcess = spawn(command, {
    shell: true,
    cwd: io.cwd,
    env: { ...io.env, ...appEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group, so SIGTERM reaches the app and not just the shell
    detached: true,
  });
  const prefix = (out: { write(text: string): unknown }) => (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.length > 0) out.write(`[app] ${line}\n`);
  };
  child.stdout?.on('data', prefix(io.stdout));
  child.stderr?.on('data', prefix(io.stderr));
  let exited = false;
  const done = new Promise<void>((resolve) => {
    // 'close', not 'exit': the app's last lines are printed before we go on
    child.on('close', (code, signal) => {
      exited = true;
      io.stderr.write(`[app] exited (${signal ?? `code ${code}`})\n`);
      resolve();
    });
    child.on('error', (error) => {
      exited = true;
      io.stderr.write(`[app] could not start: ${error.message}\n`);
      resolve();
    });
  });
  return {
    async stop() {
      if (exited) return;
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}
