import type { Logger, Platform, TimerHandle } from '@avsb/common';
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

/** The logger the pipeline writes to: the `Logger` of `@avsb/common`. Messages never contain SDK keys, attribute values or event contents. */
export type EventLogger = Logger;

/** A timer handle, opaque to the pipeline (a number in browsers, a `Timeout` object in Node). */
export type { TimerHandle };

/**
 * What the pipeline uses of the runtime: the services of the `Platform` of
 * `@avsb/common` it needs (timers, clock, random, ids, logger) plus the
 * transport. A `Platform` with a transport added is one:
 * `new EventPipeline({ ...platform, transport })`. {@link createPlatform}
 * builds one from the standard globals.
 */
export interface EventPlatform extends Pick<Platform, 'clearTimeout' | 'now' | 'random' | 'randomId' | 'logger'> {
  readonly transport: EventTransport;
  /**
   * Schedules `callback` after `ms`. The pipeline passes every delay through
   * `clampDelay` of `@avsb/common` first, so `ms` is never above 2^31−1
   * (where runtimes fire after 1 ms). `keepAlive` is `true` only for the
   * timers `close()` awaits; a `Platform` does not keep the process alive
   * for the others, and a platform that ignores `keepAlive` gives
   * {@link EventPlatform.unrefTimer} instead.
   */
  setTimeout(callback: () => void, ms: number, keepAlive?: boolean): TimerHandle;
  /**
   * Marks a timer as background work that must not keep the process alive
   * (Node: `handle.unref()`). The pipeline calls it for its flush interval
   * and retry timers, never for the timers `close()` awaits. Optional: a
   * `Platform` already honours `keepAlive`, and in browsers there is nothing
   * to do.
   */
  unrefTimer?(handle: TimerHandle): void;
}
