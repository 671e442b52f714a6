/**
 * Services a runtime gives the SDK core. `@avsb/core` touches no Node, DOM or
 * `fetch` global: `@avsb/node` (and later `@avsb/browser`) build a `Platform`
 * and pass it in, and tests inject their own.
 */
export interface Platform {
  /** A WHATWG-compatible `fetch`; only called when the SDK makes a request. */
  readonly fetch: FetchLike;
  /** A new `AbortController` (used to time out and cancel requests). */
  newAbortController(): AbortControllerLike;
  /**
   * Schedules `fn` after `ms`. The SDK passes every delay through
   * `clampDelay` first, so `ms` is never above 2^31−1 (where runtimes fire
   * after 1 ms); an implementation may clamp again. Timers must not keep the process alive unless
   * `keepAlive` is true (used only while the application awaits the SDK, such
   * as `onReady()` and `close()`).
   */
  setTimeout(fn: () => void, ms: number, keepAlive?: boolean): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Epoch milliseconds. */
  now(): number;
  /** A random unique id (a UUID is fine). */
  randomId(): string;
  /** A random number in [0, 1), for jitter. Defaults to `Math.random`. */
  random?(): number;
  readonly logger: Logger;
}

/** Whatever the runtime's `setTimeout` returns. */
export type TimerHandle = unknown;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'none';

/** A logger with levels. Messages never contain SDK keys. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignalLike;
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

export interface ReadableStreamLike {
  getReader(): ReadableStreamReaderLike;
}

export interface ReadableStreamReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array | undefined }>;
  cancel(reason?: unknown): Promise<void>;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

export interface AbortSignalLike {
  readonly aborted: boolean;
}

export interface AbortControllerLike {
  readonly signal: AbortSignalLike;
  abort(reason?: unknown): void;
}

/** The platform's random source for jitter (`Math.random` when it has none). */
export function jitterSource(platform: Platform): () => number {
  return typeof platform.random === 'function' ? () => platform.random!() : Math.random;
}
