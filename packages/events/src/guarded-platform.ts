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
 * Every pipeline's guarded platform: the functions are the prototype's, the
 * same for every pipeline in a process, and the caller's platform is a
 * member they read. Closures per pipeline (as this was) gave the pipeline's
 * optimised code a call target per pipeline: with two in one process (two
 * servers, or a server and its test double) `recordExposure`'s clock read was
 * thrown away for a "wrong call target". Its members are not `_`-prefixed: the
 * build names the package's `_` members by how often they are used, and new
 * ones would rename the page pipeline's (dedupe-cache.ts says more).
 */
class Guarded implements GuardedPlatform {
  readonly transport: EventTransport;
  readonly logger: EventLogger;
  /** The caller's `unrefTimer`, as it was when guarded. */
  readonly unref: ((handle: TimerHandle) => void) | undefined;

  constructor(readonly given: EventPlatform) {
    this.transport = given.transport;
    this.unref = typeof given.unrefTimer === 'function' ? given.unrefTimer : undefined;
    this.logger = safeLogger(given.logger);
  }

  // the one door to the runtime's timers: retry delays, the flush interval and close()'s deadline all pass here
  setTimeout(callback: () => void, ms: number, keepAlive?: boolean): TimerHandle {
    const p = this.given;
    const handle = p.setTimeout(callback, clampDelay(ms, MAX_TIMER_MS), keepAlive === true);
    if (keepAlive !== true && this.unref !== undefined) {
      try {
        this.unref.call(p, handle);
      } catch {
        // the timer still works; it may keep the process alive
      }
    }
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.given.clearTimeout(handle);
  }

  now(): number {
    try {
      const now = this.given.now();
      if (typeof now === 'number' && Number.isFinite(now) && now >= 0) return Math.floor(now);
    } catch {
      // fall through
    }
    return standardNow();
  }

  random(): number {
    try {
      const p = this.given;
      const r = typeof p.random === 'function' ? p.random() : standardRandom();
      if (typeof r === 'number' && r >= 0 && r < 1) return r;
    } catch {
      // fall through
    }
    return standardRandom();
  }

  randomId(): string {
    try {
      const id = this.given.randomId();
      if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
    } catch {
      // fall through
    }
    return fallbackId();
  }
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
  return new Guarded(platform);
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
