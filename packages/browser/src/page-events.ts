import type { Platform } from '@avsb/core/page';
import { PageEventPipeline, browserTransport } from '@avsb/events/page';
import type { BeaconFunction } from '@avsb/events/page';
import type { BrowserClientOptions } from './options';
import { VERSION } from './version';

/** How long exposures are remembered as sent: a visitor's page session, up to a day. */
const DEDUPE_WINDOW_MS = 86_400_000; // 24 h (written out: a bundler keeps 24 * 60 * 60 * 1000 as 1440*60*1e3)

/** The page's event pipeline: `fetch` with `keepalive` while the page lives, `sendBeacon` once `leaving()`. */
export function pageEvents(o: BrowserClientOptions, platform: Platform, baseUrl: string, sdkKey: string, leaving: () => boolean): PageEventPipeline {
  const nav = (globalThis as { navigator?: { sendBeacon?: (url: string, body: string) => boolean } }).navigator;
  const sendBeacon: BeaconFunction | undefined = typeof nav?.sendBeacon === 'function' ? (url, body) => nav.sendBeacon!(url, body) : undefined;
  const transport = browserTransport({ baseUrl, sdkKey, platform, leaving, sendBeacon });
  return new PageEventPipeline(
    { ...platform, transport },
    {
      sdk: { name: '@avsb/browser', version: VERSION },
      dedupeWindowMs: DEDUPE_WINDOW_MS,
      // both as given: the pipeline reads a missing list as none and a missing interval as its default
      privateAttributes: o.privateAttributes,
      flushIntervalMs: o.flushIntervalMs,
    },
  );
}
