import { parseArgs } from 'node:util';
import { UsageError } from './io';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>;

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/**
 * `node:util` parseArgs in strict mode, with its errors turned into usage
 * errors that name the command. `--help`/`-h` is always accepted.
 */
export function parseCommandArgs(command: string, args: readonly string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError(cleanParseError(error), command);
  }
}

/** parseArgs messages carry advice for script authors ("To specify a positional…"); keep the first sentence. */
function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]!}`;
  const missing = /^Option '([^']+)' argument missing/.exec(message);
  if (missing) return `option ${optionName(missing[1]!)} needs a value`;
  const notString = /^Option '([^']+)' does not take an argument/.exec(message);
  if (notString) return `option ${optionName(notString[1]!)} does not take a value`;
  return message.split('. ')[0] ?? message;
}

/** "-p, --port <value>" → "--port" */
function optionName(text: string): string {
  return text.replace(/^-\w, /, '').replace(/ <value>$/, '');
}

export function str(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(values: Parsed['values'], name: string): boolean {
  return values[name] === true;
}

/** Exactly `count` positionals, named for the error message. */
export function expectPositionals(command: string, positionals: string[], names: string[]): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(`missing ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`, command);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])}`, command);
  }
  return positionals;
}

/** A TCP port: an integer 0–65535. */
export function parsePort(command: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, not ${JSON.stringify(text)}`, command);
  return Number(text);
}
