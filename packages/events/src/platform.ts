import type { EventBatch } from './wire';

/** What the server answered to one batch. */
export interface TransportResult {
  /** The HTTP status (202 when stored). */
  readonly status: number;
  /** From a `Retry-After` header (429, 503), in milliseconds. */
  readonly retryAfterMs?: number;
  /** The server's error message (`error.message` of the body) for a 4xx/5xx, if any. Never holds the SDK key. */
  readonly message?: string;
}

/**
 * Sends one batch. Resolves with whatever status the server answered
 * (including 4xx and 5xx); rejects only when no answer came (network error,
 * timeout). It must never put the SDK key into an error.
 */
export interface EventTransport {
  send(batch: EventBatch): Promise<TransportResult>;
  /** Aborts requests in flight; called once by `close()` after its deadline. */
  close?(): void;
}

/** Log levels in the usual sense. Messages never contain SDK keys, attribute values or event contents. */
export interface EventLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A timer handle, opaque to the pipeline (a number in browsers, a `Timeout` object in Node). */
export type TimerHandle = unknown;

/**
 * Everything runtime-specific the pipeline uses. `@avsb/node` and
 * `@avsb/browser` each provide one; {@link createPlatform} builds one from the
 * standard globals.
 */
export interface EventPlatform {
  readonly transport: EventTransport;
  /**
   * Schedules `callback` after `ms`. The pipeline passes every delay through
   * `clampDelay` of `@avsb/common` first, so `ms` is never above 2^31−1
   * (where runtimes fire after 1 ms).
   */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /**
   * Marks a timer as background work that must not keep the process alive
   * (Node: `handle.unref()`). The pipeline calls it for its flush interval
   * and retry timers, never for the timers `close()` awaits. Optional: in
   * browsers there is nothing to do.
   */
  unrefTimer?(handle: TimerHandle): void;
  /** Epoch milliseconds. */
  now(): number;
  /** A random number in `[0, 1)`, for retry jitter. Optional: `Math.random` by default. */
  random?(): number;
  /** A new unique id of 1–64 characters (batch ids); a UUID is ideal. */
  randomId(): string;
  readonly logger: EventLogger;
}
