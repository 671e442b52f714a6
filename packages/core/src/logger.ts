import type { LogLevel, Logger } from './platform';

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

export interface LoggerOptions {
  /** The lowest level written. Default `'info'`. */
  level?: LogLevel;
  /** Prepended to every message. Default `'[avsb] '`. */
  prefix?: string;
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
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}

/** A logger that writes nothing. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** Remembers what was logged so a repeated problem is written once (bounded memory). */
export class LogOnce {
  private readonly _seen = new Set<string>();

  constructor(
    private readonly _logger: Logger,
    private readonly _max = 1000,
  ) {}

  /** Logs `message` at `level` the first time `key` is seen; returns whether it logged. */
  log(level: Exclude<LogLevel, 'none'>, key: string, message: string): boolean {
    if (this._seen.has(key)) return false;
    if (this._seen.size >= this._max) return false;
    this._seen.add(key);
    this._logger[level](message);
    return true;
  }

  /** A `LogOnce` writing to the same logger with its own set of at most `max` keys (a stream of keys there cannot crowd out this one's). */
  fork(max = this._max): LogOnce {
    return new LogOnce(this._logger, max);
  }
}
