import { MAX_TIMER_MS, clampDelay } from '@avsb/common';
import { randomId as fallbackId } from './global-platform';
import type { EventLogger, EventPlatform } from './platform';

/**
 * The platform as the pipeline uses it: timers that never get a delay a
 * runtime cannot honour (every `ms` goes through `clampDelay`, capped at
 * 2^31−1), a logger that never throws, a clock that always gives whole epoch
 * milliseconds, a jitter source in `[0, 1)`, and batch ids that always fit the
 * protocol (1–64 characters). The caller's object is not modified.
 */
export function guardPlatform(platform: EventPlatform): EventPlatform {
  const p = platform;
  const unref = typeof p.unrefTimer === 'function' ? p.unrefTimer : undefined;
  return {
    transport: p.transport,
    // the one door to the runtime's timers: retry delays, the flush interval and close()'s deadline all pass here
    setTimeout: (callback, ms) => p.setTimeout(callback, clampDelay(ms, MAX_TIMER_MS)),
    clearTimeout: (handle) => p.clearTimeout(handle),
    unrefTimer: (handle) => {
      try {
        unref?.call(p, handle);
      } catch {
        // the timer still works; it may keep the process alive
      }
    },
    now: () => {
      try {
        const now = p.now();
        if (typeof now === 'number' && Number.isFinite(now) && now >= 0) return Math.floor(now);
      } catch {
        // fall through
      }
      return Date.now();
    },
    random: () => {
      try {
        const r = typeof p.random === 'function' ? p.random() : Math.random();
        if (typeof r === 'number' && r >= 0 && r < 1) return r;
      } catch {
        // fall through
      }
      return Math.random();
    },
    randomId: () => {
      try {
        const id = p.randomId();
        if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
      } catch {
        // fall through
      }
      return fallbackId();
    },
    logger: safeLogger(p.logger),
  };
}

function safeLogger(logger: EventLogger | undefined): EventLogger {
  const at = (level: keyof EventLogger) => (message: string) => {
    try {
      logger?.[level](message);
    } catch {
      // logging must never break recording or delivery
    }
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
