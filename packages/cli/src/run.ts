import { compileCommand } from './commands/compile';
import { devCommand } from './commands/dev';
import { evalCommand } from './commands/eval';
import { exportCommand, importCommand } from './commands/transfer';
import { resultsCommand } from './commands/results';
import { validateCommand } from './commands/validate';
import { COMMANDS, type CommandName, HELP, MAIN_HELP } from './help';
import { type CliIo, CliError, UsageError, processIo } from './lib/io';

import { VERSION } from './version';

export { VERSION };

const HANDLERS: Record<CommandName, (args: readonly string[], io: CliIo) => Promise<number>> = {
  dev: devCommand,
  validate: validateCommand,
  eval: evalCommand,
  compile: compileCommand,
  results: resultsCommand,
  import: importCommand,
  export: exportCommand,
};

/**
 * Runs one `avsb` command line (without the `node` and script arguments) and
 * resolves to its exit code: 0 success, 1 failure, 2 bad usage. Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  let command: CommandName | undefined;
  try {
    if (first === undefined) {
      io.stderr.write(MAIN_HELP);
      return 2;
    }
    if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
      io.stdout.write(MAIN_HELP);
      return 0;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (first === 'help') {
      const topic = rest[0]!;
      if (!isCommand(topic)) throw new UsageError(unknownCommand(topic));
      io.stdout.write(HELP[topic]);
      return 0;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (options go after the command)`);
    if (!isCommand(first)) throw new UsageError(unknownCommand(first));
    command = first;
    if (wantsHelp(rest)) {
      io.stdout.write(HELP[command]);
      return 0;
    }
    return await HANDLERS[command](rest, io);
  } catch (error) {
    return report(error, command, io);
  }
}

function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

/** `--help` or `-h` anywhere before a `--`. */
function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

function unknownCommand(name: string): string {
  const close = COMMANDS.filter((c) => distance(c, name) <= 2);
  return `unknown command ${JSON.stringify(name)}${close.length ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : ''}`;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function report(error: unknown, command: CommandName | undefined, io: CliIo): number {
  const name = command ? `avsb ${command}` : 'avsb';
  if (error instanceof UsageError) {
    const helpFor = error.command ?? command;
    io.stderr.write(`${name}: ${error.message}\nRun "avsb ${helpFor ? `${helpFor} ` : ''}--help" for usage.\n`);
    return 2;
  }
  if (error instanceof CliError) {
    io.stderr.write(`${name}: error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${name}: error: ${message}\n`);
  if (io.env.AVSB_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return 1;
}
