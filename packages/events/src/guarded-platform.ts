import { MAX_TIMER_MS, clampDelay, loggerOf, randomId as fallbackId, standardNow, standardRandom } from '@avsb/common';
import type { EventLogger, EventPlatform, EventTransport, TimerHandle } from './platform';

/** The platform as the pipeline uses it: every member present and well-behaved. */
export interface GuardedPlatform {
  readonly transport: EventTransport;
  /** `keepAlive` only for the timers `close()` awaits; any other timer never keeps the process alive. */
  setTimeout(callback: () => void, ms: number, keepAlive?: boolean): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  now(): number;
  random(): number;
  randomId(): string;
  readonly logger: EventLogger;
}

/**
 * The platform as the pipeline uses it: timers that never get a delay a
 * runtime cannot honour (every `ms` goes through `clampDelay`, capped at
 * 2^31−1) and that never keep the process alive unless `keepAlive`, a
 * logger that never throws, a clock that always gives whole epoch
 * milliseconds, a jitter source in `[0, 1)`, and batch ids that always fit
 * the protocol (1–64 characters). What the caller's platform gets wrong
 * falls back to the standard globals of `@avsb/common`. The caller's object
 * is not modified.
 */
export function guardPlatform(platform: EventPlatform): GuardedPlatform {
  const p = platform;
  const unref = typeof p.unrefTimer === 'function' ? p.unrefTimer : undefined;
  return {
    transport: p.transport,
    // the one door to the runtime's timers: retry delays, the flush interval and close()'s deadline all pass here
    setTimeout: (callback, ms, keepAlive) => {
      const handle = p.setTimeout(callback, clampDelay(ms, MAX_TIMER_MS), keepAlive === true);
      if (keepAlive !== true && unref !== undefined) {
        try {
          unref.call(p, handle);
        } catch {
          // the timer still works; it may keep the process alive
        }
      }
      return handle;
    },
    clearTimeout: (handle) => p.clearTimeout(handle),
    now: () => {
      try {
        const now = p.now();
        if (typeof now === 'number' && Number.isFinite(now) && now >= 0) return Math.floor(now);
      } catch {
        // fall through
      }
      return standardNow();
    },
    random: () => {
      try {
        const r = typeof p.random === 'function' ? p.random() : standardRandom();
        if (typeof r === 'number' && r >= 0 && r < 1) return r;
      } catch {
        // fall through
      }
      return standardRandom();
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
  return loggerOf((level, message) => {
    try {
      logger?.[level](message);
    } catch {
      // logging must never break recording or delivery
    }
  });
}
