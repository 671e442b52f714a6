import type { LogLevel, Logger } from '@avsb/common';

// Logger, levels, key masking and the console logger are defined once, in @avsb/common.
export { consoleLogger, levelLogger, loggerOf, redactKeys, silentLogger } from '@avsb/common';
export type { LoggerOptions } from '@avsb/common';

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
