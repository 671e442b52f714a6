import { pagePlatform } from '@avsb/common';
import type { AbortControllerLike } from '@avsb/common';
import type { FetchFunction, FetchTransportOptions } from './fetch-transport';
import { DEFAULT_REQUEST_TIMEOUT_MS, readAnswer } from './fetch-transport';
import type { EventTransport } from './platform';

/** A page's `Blob` (this package's types leave out the DOM): what measures a body as the browser will send it. */
declare const Blob: new (parts: string[]) => { readonly size: number };

/** The most a browser queues for `sendBeacon` and keepalive fetches per page (64 KiB, with room to spare). */
export const BROWSER_KEEPALIVE_BYTES = 60_000;

/** `navigator.sendBeacon`: queues a POST that outlives the page; `false` when the browser refuses it (too large). */
export type BeaconFunction = (url: string, body: string) => boolean;

/** Options of {@link browserTransport}: those of `fetchTransport` but `userAgent`, plus the page's beacon. */
export interface BrowserTransportOptions extends Omit<FetchTransportOptions, 'keepaliveMaxBytes' | 'userAgent'> {
  /** `navigator.sendBeacon` bound to `navigator`; absent where the browser has none (then fetch with keepalive only). */
  readonly sendBeacon?: BeaconFunction;
  /**
   * Whether the page is going away (after `pagehide`, or hidden): batches
   * then go by beacon, which the browser delivers after the page is gone.
   */
  readonly leaving: () => boolean;
}

/**
 * The event transport of a page, written for one: one batch at a time, the
 * key and URL already checked by `@avsb/browser`. While the page lives:
 * `fetch` with the key in `Authorization`, `keepalive` for bodies up to
 * 60 000 bytes (so a request under way survives the page), a timeout, and
 * the answer read back as `fetchTransport` reads it (status, `Retry-After`,
 * the server's message), so failures are retried. When the page is leaving
 * (`leaving()`): `navigator.sendBeacon` to `/sdk/v1/events?key=<client key>`
 * (a beacon can carry no header; the server accepts client keys only there),
 * whose answer no one reads: a queued beacon counts as delivered, and a
 * batch the browser refuses to queue goes by fetch instead. The batch id
 * keeps a batch that arrives twice stored once.
 */
export function browserTransport(options: BrowserTransportOptions): EventTransport {
  const { sdkKey, sendBeacon, leaving, platform = pagePlatform() } = options;
  const doFetch = (options.fetch ?? platform.fetch) as FetchFunction;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/sdk/v1/events`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS; // the platform clamps its timers
  /** The request under way (the pipeline sends one batch at a time), aborted by `close()`. */
  let controller: AbortControllerLike | undefined;
  return {
    async send(batch) {
      // the same bytes on every attempt: a sealed batch is never changed (no cache of bodies needed for one batch at a time)
      const body = JSON.stringify(batch);
      // its UTF-8 size as the browser counts it (a lone surrogate sent as U+FFFD), without a copy of the rule in the page
      const small = new Blob([body]).size <= BROWSER_KEEPALIVE_BYTES;
      try {
        if (small && sendBeacon && leaving() && sendBeacon(`${url}?key=${encodeURIComponent(sdkKey)}`, body)) return { status: 202 };
      } catch {
        // a browser that throws instead of refusing: fetch below
      }
      const aborter = (controller = platform.newAbortController());
      // fetch rejects with the abort's reason
      const timer = platform.setTimeout(() => aborter.abort(new Error(`the events request timed out after ${timeoutMs} ms`)), timeoutMs);
      try {
        const headers = { 'Content-Type': 'application/json; charset=utf-8', Authorization: sdkKey };
        return await readAnswer(await doFetch(url, { method: 'POST', headers, body, signal: aborter.signal, keepalive: small }), sdkKey, platform.now());
      } finally {
        platform.clearTimeout(timer);
      }
    },
    close: () => controller?.abort(),
  };
}
