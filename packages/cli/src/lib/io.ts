import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where a command writes and what it reads from its surroundings. */
export interface CliIo {
  /** Results: what a script would pipe somewhere. */
  readonly stdout: { write(text: string): unknown };
  /** Errors, progress and logs; `isTTY` (as on Node's streams) makes progress update in place. */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Environment variables (`AVSB_ADMIN_TOKEN`, `AVSB_SDK_KEY`, `AVSB_SERVER`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** How the user runs this CLI, for commands it suggests ({@link invocation}); `avsb` when not given. */
  readonly invokedAs?: string;
}

/** The process's own streams, environment and directory. */
export function processIo(): CliIo {
  const cwd = process.cwd();
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd, invokedAs: invocation(process.argv[1], cwd) };
}

/**
 * How a user runs the CLI whose script is `script` (`process.argv[1]`), for the commands it suggests: `avsb` when it
 * is an installed package (a bin link, or a script under node_modules), `npx @avsb/cli` through npx, and in a
 * checkout (`pnpm start` runs `node packages/cli/dist/cli.js dev`, where no `avsb` is on the PATH) `node` and the
 * script's path, relative to `cwd` when it lies below it.
 */
export function invocation(script: string | undefined, cwd: string): string {
  if (script === undefined || script === '') return 'avsb';
  if (/[\\/]_npx[\\/]/.test(script)) return 'npx @avsb/cli';
  if (!/\.[cm]?js$/.test(script) || /[\\/]node_modules[\\/]/.test(script)) return 'avsb';
  const relative = path.relative(cwd, script);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? script : relative;
  return `node ${/^[\w./@:-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`}`;
}

/** Bad usage: unknown command or flag, missing argument. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose help the user should read, if any. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** A failure already explained to the user in `message`. Exit code 1 unless said. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Writes `--out`: a failure names the option and the file, and a missing folder says so (Node's own message,
 * "ENOENT: no such file or directory, open …", reads as if the file were missing).
 */
export async function writeOutFile(io: CliIo, out: string, text: string): Promise<void> {
  const target = path.resolve(io.cwd, out);
  try {
    await writeFile(target, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !existsSync(path.dirname(target))) {
      throw new CliError(`--out ${out}: the folder ${path.dirname(target)} does not exist: create it first (mkdir -p), or write elsewhere`);
    }
    throw new CliError(`--out ${out}: cannot write the file (${code ?? (error as Error).message})`);
  }
}
