import { MAX_TIMER_MS, clampDelay } from './delay';
import type { Logger } from './logger';
import { consoleLogger } from './logger';
import type { AbortControllerLike, FetchLike, Platform, TimerHandle } from './platform';

// The one file of the SDK's runtime-neutral packages that reads the standard
// globals (timers, clock, random, crypto, fetch, AbortController). Everything
// else receives them through a Platform, so tests and runtimes can swap them.

/** The standard globals this file uses, typed here so the package needs neither DOM nor Node types. */
interface StandardGlobals {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  fetch?: FetchLike;
  AbortController: new () => AbortControllerLike;
  crypto?: { randomUUID?(): string };
}

const globals = globalThis as unknown as StandardGlobals;

/** Options of {@link globalPlatform}. */
export interface GlobalPlatformOptions {
  /** Defaults to {@link consoleLogger} at level `warn`. */
  readonly logger?: Logger;
  /** Defaults to the global `fetch`, looked up on each request (never when the SDK loads). */
  readonly fetch?: FetchLike;
}

/**
 * A {@link Platform} over the standard globals, for Node, browsers, Deno, Bun
 * and workers alike: `fetch` (looked up on the first request, so loading the
 * SDK never loads a runtime's fetch implementation), `AbortController`,
 * `setTimeout` clamped to 2^31−1 ms and `unref`ed unless `keepAlive` (where
 * the runtime has `unref`), `Date.now`, `Math.random` and
 * `crypto.randomUUID` (a random 32-hex-digit id where that is missing).
 */
export function globalPlatform(options: GlobalPlatformOptions = {}): Platform {
  const fetchImpl = options.fetch;
  const page = pagePlatform(options.logger);
  return {
    ...page,
    fetch: (url, init) => callFetch(fetchImpl ?? globals.fetch, url, init),
    setTimeout: (fn, ms, keepAlive) => {
      const handle = page.setTimeout(fn, ms);
      if (keepAlive !== true) unrefTimer(handle);
      return handle;
    },
  };
}

/**
 * {@link globalPlatform} for a web page, whose timers never keep anything alive and which takes no `fetch` of its own:
 * a page bundles neither the `unref` nor the option (41 B of its gzipped JS).
 */
export function pagePlatform(logger: Logger = consoleLogger()): Platform {
  return {
    fetch: (url, init) => callFetch(globals.fetch, url, init),
    newAbortController,
    setTimeout: (fn, ms) => globals.setTimeout(fn, clampDelay(ms, MAX_TIMER_MS)),
    clearTimeout: (handle) => globals.clearTimeout(handle),
    now: standardNow,
    randomId,
    random: standardRandom,
    logger,
  };
}

function callFetch(f: FetchLike | undefined, ...args: Parameters<FetchLike>): ReturnType<FetchLike> {
  if (typeof f !== 'function') return Promise.reject(new TypeError('no global fetch in this runtime; pass one to the SDK'));
  return f(...args);
}

/** Epoch milliseconds from the runtime's clock (`Date.now`). */
export function standardNow(): number {
  return Date.now();
}

/** A number in [0, 1) from the runtime's `Math.random`. */
export function standardRandom(): number {
  return Math.random();
}

/** Calls `handle.unref()` when the handle has one (Node, Bun, Deno); a no-op elsewhere. */
export function unrefTimer(handle: TimerHandle): void {
  const unref = (handle as { unref?: unknown } | null)?.unref;
  if (typeof unref === 'function') unref.call(handle);
}

/** A UUID from `crypto.randomUUID`, or a random 32-hex-digit id where that is missing. */
export function randomId(): string {
  const uuid = globals.crypto?.randomUUID;
  if (typeof uuid === 'function') return uuid.call(globals.crypto);
  let id = '';
  for (let i = 0; i < 4; i++) id += Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0');
  return id;
}

/**
 * The runtime's `AbortController`. Every runtime that runs this es2022 build has one (Chromium 66, Firefox 57, Safari
 * 12.1, Node 15, Deno, Bun, workers all came before es2022), so the stand-in that only marked its signal is gone: it was
 * 33 B of every page's gzipped JS for no runtime.
 */
function newAbortController(): AbortControllerLike {
  return new globals.AbortController();
}
