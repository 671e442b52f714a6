import type { Logger, Platform } from '@avsb/core/page';
import { consoleLogger, globalPlatform, levelLogger, pageDataSource } from '@avsb/core/page';
import { PageEventPipeline, browserTransport } from '@avsb/events';
import type { BeaconFunction } from '@avsb/events';
import { AvsbBrowserClient } from './browser-client';
import { DatafileCache, pageStorage } from './datafile-cache';
import { compileModule } from '@avsb/engine';
import { defaultFallbackWasmUrl, defaultWasmUrl, loadEngine } from './engine-loader';
import { copyBootstrap } from './fallback-reads';
import type { BrowserClientOptions } from './options';
import { AvsbConfigError, checkBaseUrl, checkClientKey } from './options';
import { watchPageLeaving } from './page-lifecycle';
import { VERSION } from './version';

/** How long exposures are remembered as sent: a visitor's page session, up to a day. */
const DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Creates the A vs B client of a page for one context:
 *
 * ```ts
 * import { createClient } from '@avsb/browser';
 * const client = createClient({ clientKey: 'cli-…', context: { kind: 'user', key: 'u_1' }, bootstrap });
 * client.getBoolFlag('checkout-v2', false); // never throws, never waits
 * client.on('change:checkout-v2', (value) => render(value));
 * ```
 *
 * Throws `AvsbConfigError` for a missing or server key (`srv-…`, which is
 * then sent nowhere), or a bad `baseUrl`; nothing else throws. Returns at
 * once: the engine loads, the cached datafile is served and the network is
 * asked in the background (`waitForReady()` waits for them).
 */
export function createClient(options: BrowserClientOptions): AvsbBrowserClient {
  const o = (typeof options === 'object' && options !== null ? options : {}) as BrowserClientOptions;
  const clientKey = checkClientKey(o.clientKey);
  const baseUrl = checkBaseUrl(o.baseUrl);
  if (typeof o.context !== 'object' || o.context === null) {
    throw new AvsbConfigError('createClient: context is required, e.g. { kind: "user", key: "u_1" } (an anonymous visitor needs a key too)');
  }
  const logger: Logger = o.logger !== undefined ? levelLogger(o.logger, { level: o.logLevel ?? 'warn' }) : consoleLogger(o.logLevel ?? 'warn');
  const platform = globalPlatform({ logger });
  let flushNow = (): void => {};
  const page = watchPageLeaving(() => flushNow());
  const events = o.events === false ? null : eventPipeline(o, platform, baseUrl, clientKey, page.leaving);
  if (events !== null) flushNow = () => void events.flush();
  const parts = {
    platform,
    context: o.context,
    bootstrap: copyBootstrap(o.bootstrap),
    dataSource: (compiled: boolean, served: () => number | null) =>
      pageDataSource({ baseUrl, sdkKey: clientKey, streaming: o.streaming, pollIntervalMs: o.pollIntervalMs, compiled, served }),
    fullEngine: () => compileModule(platform.fetch(o.fallbackWasmUrl !== undefined ? String(o.fallbackWasmUrl) : defaultFallbackWasmUrl(), {}) as unknown as Promise<Response>),
    events,
    cache: o.cache === false ? null : new DatafileCache(pageStorage(), clientKey, baseUrl, logger),
    startupTimeoutMs: typeof o.startupTimeoutMs === 'number' && o.startupTimeoutMs >= 0 ? o.startupTimeoutMs : 5_000,
    detach: page.detach,
  };
  const wasmUrl = o.wasmUrl !== undefined ? String(o.wasmUrl) : defaultWasmUrl();
  const engine = loadEngine(o.engine, wasmUrl, (url) => platform.fetch(url, {}) as unknown as Promise<Response>);
  return new AvsbBrowserClient(parts, engine);
}

function eventPipeline(o: BrowserClientOptions, platform: Platform, baseUrl: string, sdkKey: string, leaving: () => boolean): PageEventPipeline {
  const nav = (globalThis as { navigator?: { sendBeacon?: (url: string, body: string) => boolean } }).navigator;
  const sendBeacon: BeaconFunction | undefined = typeof nav?.sendBeacon === 'function' ? (url, body) => nav.sendBeacon!(url, body) : undefined;
  const transport = browserTransport({ baseUrl, sdkKey, platform, leaving, ...(sendBeacon ? { sendBeacon } : {}) });
  return new PageEventPipeline(
    { ...platform, transport },
    {
      sdk: { name: '@avsb/browser', version: VERSION },
      dedupeWindowMs: DEDUPE_WINDOW_MS,
      privateAttributes: o.privateAttributes ?? [],
      ...(o.flushIntervalMs !== undefined ? { flushIntervalMs: o.flushIntervalMs } : {}),
    },
  );
}
