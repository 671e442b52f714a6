import { batchBody, utf8Length } from './batch-body';
import type { FetchTransportOptions } from './fetch-transport';
import { eventsPoster } from './fetch-transport';
import type { EventTransport } from './platform';

/** The most a browser queues for `sendBeacon` and keepalive fetches per page (64 KiB, with room to spare). */
export const BROWSER_KEEPALIVE_BYTES = 60_000;

/** `navigator.sendBeacon`: queues a POST that outlives the page; `false` when the browser refuses it (too large). */
export type BeaconFunction = (url: string, body: string) => boolean;

/** Options of {@link browserTransport}: those of `fetchTransport` plus the page's beacon. */
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
 * The event transport of browser SDKs. While the page lives: `fetch` with
 * the key in `Authorization` and `keepalive` (for bodies up to 60 000 bytes),
 * so the answer is read and failures are retried. When the page is leaving
 * (`leaving()`): `navigator.sendBeacon` to `/sdk/v1/events?key=<client key>`
 * (a beacon can carry no header; the server accepts client keys only there),
 * whose answer no one reads: a queued beacon counts as delivered, and a
 * batch the browser refuses to queue goes by fetch instead. The batch id
 * keeps a batch that arrives twice stored once.
 */
export function browserTransport(options: BrowserTransportOptions): EventTransport {
  const { sendBeacon, leaving, ...rest } = options;
  const viaFetch = eventsPoster(rest, {}, BROWSER_KEEPALIVE_BYTES);
  const beaconUrl = `${options.baseUrl.replace(/\/+$/, '')}/sdk/v1/events?key=${encodeURIComponent(options.sdkKey)}`;
  return {
    ...viaFetch,
    send(batch) {
      try {
        const body = sendBeacon !== undefined && leaving() ? batchBody(batch) : '';
        // a browser that refuses the beacon (false), or throws instead: fetch below
        if (body !== '' && utf8Length(body) <= BROWSER_KEEPALIVE_BYTES && sendBeacon!(beaconUrl, body)) return Promise.resolve({ status: 202 });
      } catch {
        // fetch below
      }
      return viaFetch.send(batch);
    },
  };
}
