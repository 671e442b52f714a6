/**
 * The console logger is defined once, in `@avsb/common`:
 * `consoleLogger(level = 'warn', prefix = '[avsb]')` writes to `console` at
 * `level` and above, prefixes each message and masks SDK keys. `AvsbServer`
 * uses it at `logLevel` when no `logger` is given.
 */
export { consoleLogger } from '@avsb/core';
