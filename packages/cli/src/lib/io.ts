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
}

/** The process's own streams, environment and directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
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
