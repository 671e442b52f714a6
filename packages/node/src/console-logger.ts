import type { Logger } from '@avsb/core';

/**
 * The default logger: `console.debug`/`info` (stdout) and `console.warn`/
 * `error` (stderr). `AvsbServer` filters it by `logLevel`, prefixes `[avsb]`
 * and masks keys.
 */
export function consoleLogger(): Logger {
  return {
    debug: (m) => console.debug(m),
    info: (m) => console.info(m),
    warn: (m) => console.warn(m),
    error: (m) => console.error(m),
  };
}
