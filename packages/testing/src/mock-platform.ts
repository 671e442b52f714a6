import type { FetchLike, Logger, Platform } from '@avsb/core';
import { globalPlatform, loggerOf } from '@avsb/core';

/** A `fetch` that refuses: `MockAvsbServer` makes no network calls. */
const noFetch: FetchLike = () => Promise.reject(new Error('MockAvsbServer makes no network calls'));

/** The platform of `MockAvsbServer`: the standard one of `@avsb/common` without network (timers never keep a process alive on their own). */
export function mockPlatform(logger: Logger): Platform {
  return globalPlatform({ logger, fetch: noFetch });
}

/** A line `MockAvsbServer` logged. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

/** A logger that keeps every line and passes it on to `next`, if any. */
export function recordingLogger(lines: LogLine[], next?: Logger): Logger {
  return loggerOf((level, message) => {
    lines.push({ level, message });
    try {
      next?.[level](message);
    } catch {
      // a logger must never break the application
    }
  });
}
