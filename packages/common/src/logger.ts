/** Log levels, least severe first; `none` writes nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'none';

/**
 * Where the SDK writes what it does. Messages never contain SDK keys,
 * attribute values or event contents; loggers built here mask anything that
 * looks like a key anyway.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link levelLogger}. */
export interface LoggerOptions {
  /** The lowest level written. Default `'info'`. */
  level?: LogLevel;
  /** Prepended to every message. Default `'[avsb] '`. */
  prefix?: string;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, none: 4 };
const KEY_PATTERN = /\b(srv|cli|adm)-([A-Za-z0-9_-]{4,})/g;

/**
 * Masks anything that looks like an A vs B key (`srv-…`, `cli-…`, `adm-…`)
 * the way the dashboard does: the prefix and the last four characters,
 * `srv-…a1b2`.
 */
export function redactKeys(message: string): string {
  return message.replace(KEY_PATTERN, (_m, prefix: string, rest: string) => `${prefix}-…${rest.slice(-4)}`);
}

/**
 * Wraps a logger: drops messages below `level`, masks keys, prefixes each
 * message, and swallows anything the underlying logger throws.
 */
export function levelLogger(base: Logger, options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? 'info'] ?? 1;
  const prefix = options.prefix ?? '[avsb] ';
  const write = (level: Exclude<LogLevel, 'none'>, message: string): void => {
    if (RANK[level] < min) return;
    try {
      base[level](prefix + redactKeys(String(message)));
    } catch {
      // a logger must never break the application
    }
  };
  return loggerOf(write);
}

/** A logger whose four methods call `write(level, message)`: for loggers that record, filter or forward. */
export function loggerOf(write: (level: Exclude<LogLevel, 'none'>, message: string) => void): Logger {
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}

/** A logger that writes nothing. */
// pure: a page that never names it does not bundle it
export const silentLogger: Logger = /* @__PURE__ */ Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** The standard `console`, typed here (as a logger: the same four methods) so the package needs neither DOM nor Node types. */
type ConsoleLike = Logger;

// looked up on each message: a test or an application may replace console methods after the SDK loads
const consoleSink: Logger = /* @__PURE__ */ loggerOf((level, m) => (globalThis as { console?: ConsoleLike }).console?.[level](m));

/**
 * A logger over `console` (`debug`/`info`/`warn`/`error`) that writes
 * `[avsb] message` at `level` and above (default `warn`), masks SDK keys
 * (`srv-…a1b2`) and never throws. `consoleLogger('debug', '')` writes every
 * message as it is, keys still masked.
 */
export function consoleLogger(level: LogLevel = 'warn', prefix = '[avsb]'): Logger {
  return levelLogger(consoleSink, { level, prefix: prefix === '' ? '' : `${prefix} ` });
}
