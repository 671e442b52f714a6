import { randomUUID } from 'node:crypto';
import type { FetchLike, Logger, Platform } from '@avsb/core';
import { MAX_TIMER_MS, clampDelay } from '@avsb/core';

/**
 * The `Platform` of `@avsb/core` on Node: the global `fetch` (looked up on
 * the first request, never before, so loading the SDK does not load Node's
 * fetch implementation), timers that do not keep the process alive (unless
 * `keepAlive`) and clamped to 2^31−1 ms (Node fires a longer one after
 * 1 ms), `crypto.randomUUID`.
 */
export function createNodePlatform(logger: Logger, fetchImpl?: FetchLike): Platform {
  const lazyFetch: FetchLike = (url, init) =>
    (fetchImpl ?? (globalThis.fetch as unknown as FetchLike))(url, init);
  return {
    fetch: lazyFetch,
    newAbortController: () => new AbortController(),
    setTimeout: (fn, ms, keepAlive) => {
      const timer = setTimeout(fn, clampDelay(ms, MAX_TIMER_MS));
      if (keepAlive !== true) timer.unref();
      return timer;
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    randomId: () => randomUUID(),
    random: () => Math.random(),
    logger,
  };
}
