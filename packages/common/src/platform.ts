import { standardRandom } from './global-platform';
import type { Logger } from './logger';

/**
 * Services a runtime gives the SDK. `@avsb/core`, `@avsb/events` and this
 * package touch no Node, DOM or `fetch` global and no global timer, clock or
 * random source: `@avsb/node` (and later `@avsb/browser`) build a `Platform`
 * ({@link createPlatform} builds one over the standard globals) and pass it
 * in, and tests inject their own.
 */
export interface Platform {
  /** A WHATWG-compatible `fetch`; only called when the SDK makes a request. */
  readonly fetch: FetchLike;
  /** A new `AbortController` (used to time out and cancel requests). */
  newAbortController(): AbortControllerLike;
  /**
   * Schedules `fn` after `ms`. The SDK passes every delay through
   * `clampDelay` first, so `ms` is never above 2^31−1 (where runtimes fire
   * after 1 ms); an implementation may clamp again. Timers must not keep the
   * process alive unless `keepAlive` is true (used only while the
   * application awaits the SDK, such as `onReady()` and `close()`).
   */
  setTimeout(fn: () => void, ms: number, keepAlive?: boolean): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Epoch milliseconds. */
  now(): number;
  /** A random unique id of 1–64 characters (a UUID is ideal). */
  randomId(): string;
  /** A random number in [0, 1), for jitter. Optional: see {@link jitterSource}. */
  random?(): number;
  readonly logger: Logger;
}

/** Whatever the runtime's `setTimeout` returns (a number in browsers, a `Timeout` object in Node). */
export type TimerHandle = unknown;

/** The request options the SDK passes to `fetch` (a subset of the standard `RequestInit`). */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * The platform's abort signal ({@link AbortSignalLike}). Typed loosely on purpose: a standard `fetch`
   * (`globalThis.fetch`, undici's) takes the runtime's own `AbortSignal` here, a type this package cannot name without
   * a runtime's types, and only so is it a {@link FetchLike} as it is, with no cast.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  signal?: AbortSignalLike | any;
  keepalive?: boolean;
}


/** The part of a fetch `Response` the SDK reads. */
export interface ResponseLike {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  readonly body: ReadableStreamLike | null;
}

/** The part of a `ReadableStream` the SDK reads. */
export interface ReadableStreamLike {
  getReader(): ReadableStreamReaderLike;
}

/** The part of a `ReadableStreamDefaultReader` the SDK reads. */
export interface ReadableStreamReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(reason?: unknown): Promise<void>;
}

/** A `fetch`. */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

/** The part of an `AbortSignal` the SDK reads. */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** The part of an `AbortController` the SDK uses. */
export interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

/** The platform's random source for jitter (the runtime's `Math.random` when it has none). */
export function jitterSource(platform: Pick<Platform, 'random'>): () => number {
  return typeof platform.random === 'function' ? () => platform.random!() : standardRandom;
}
