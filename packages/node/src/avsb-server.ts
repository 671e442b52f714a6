import type { DataSourceFactory, EngineMetrics, Logger, Platform } from '@avsb/core';
import { ClientCore, ClientFacade, consoleLogger, levelLogger, pollingDataSource, streamingDataSource } from '@avsb/core';
import { AvsbEngine, ContextEncoder, shareContexts } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import type { EventDiagnostics } from '@avsb/events';
import { EventPipeline, fetchTransport } from '@avsb/events';
import { createNodePlatform } from './node-platform';
import type { AvsbServerOptions } from './options';
import { checkBaseUrl, checkSdkKey, readInitialDatafile } from './options';
import { VERSION } from './version';

/** Numbers worth exporting as metrics. */
export interface AvsbServerMetrics extends EngineMetrics {
  /** The event pipeline's counters, or `null` when events are off. */
  readonly events: EventDiagnostics | null;
}

/**
 * The A vs B SDK for a Node server: one per process. It keeps the datafile
 * of one environment current (streaming, or polling) and evaluates flags
 * locally through the WebAssembly engine; scoped clients read flags for one
 * context and record exposure and custom events.
 *
 * ```ts
 * const server = new AvsbServer({ sdkKey: process.env.AVSB_SDK_KEY });
 * await server.onReady(); // never rejects; reads serve defaults until ready
 * const avsb = server.forUser({ kind: 'user', key: 'u_1', plan: 'pro' });
 * avsb.getBoolFlag('checkout-v2', false);
 * ```
 *
 * The constructor throws `AvsbConfigError` for a missing, empty or
 * client-side key, a bad base URL or an unreadable initial datafile;
 * nothing else throws.
 *
 * `close()` flushes and stops for good: afterwards every scoped client, old
 * or new, returns the caller's defaults with reason `ERROR`/`CLIENT_CLOSED`,
 * `track()` is dropped, no event is sent, and `onReady()` resolves
 * `{ ready: false }` with error kind `closed` (README, "Lifecycle").
 */
export class AvsbServer extends ClientFacade {
  private readonly _events: EventPipeline | null;
  /** The logger this server writes to (level-filtered, keys masked); adapters may log through it. */
  readonly logger: Logger;

  constructor(options: AvsbServerOptions) {
    const o = (typeof options === 'object' && options !== null ? options : {}) as AvsbServerOptions;
    const offline = o.offline === true;
    const sdkKey = checkSdkKey(o.sdkKey, offline);
    const baseUrl = checkBaseUrl(o.baseUrl);
    const initialDatafile = readInitialDatafile(o.initialDatafile);
    const level = o.logLevel ?? 'info';
    const logger: Logger = o.logger !== undefined ? levelLogger(o.logger, { level }) : consoleLogger(level);
    const platform = createNodePlatform(logger, o.fetch);
    // a returning user's request reuses the handle of its last one (engine README, "Shared contexts")
    const engine = shareContexts(AvsbEngine.createSync(o.engineWasm ?? engineWasmModule(), { contextEncoder: new ContextEncoder() }));
    const events = offline || o.events === false ? null : eventPipeline(o, platform, baseUrl, sdkKey);
    const core = new ClientCore({
      platform,
      engine,
      dataSource: o.dataSource ?? (offline ? null : dataSourceFor(o, baseUrl, sdkKey)),
      events,
      initialDatafile: initialDatafile ?? null,
      startupTimeoutMs: o.startupTimeoutMs ?? 5_000,
      closeTimeoutMs: o.closeTimeoutMs ?? 5_000,
      hooks: o.hooks ?? null,
    });
    super(core, engine);
    this.logger = logger;
    this._events = events;
  }

  /** Engine and event counters for monitoring. */
  metrics(): AvsbServerMetrics {
    return { ...this._engineMetrics(), events: this._events?.diagnostics() ?? null };
  }
}

function eventPipeline(o: AvsbServerOptions, platform: Platform, baseUrl: string, sdkKey: string): EventPipeline {
  // the one platform: the pipeline and its transport use the same timers, clock, random and abort as the data source
  const transport = fetchTransport({
    baseUrl,
    sdkKey,
    platform,
    userAgent: `@avsb/node/${VERSION}`,
    timeoutMs: o.requestTimeoutMs ?? 10_000,
  });
  return new EventPipeline({ ...platform, transport }, {
    ...(o.events === false ? {} : o.events),
    sdk: { name: '@avsb/node', version: VERSION },
    privateAttributes: o.privateAttributes ?? [],
    allAttributesPrivate: o.allAttributesPrivate === true,
  });
}

function dataSourceFor(o: AvsbServerOptions, baseUrl: string, sdkKey: string): DataSourceFactory {
  const endpoint = { baseUrl, sdkKey, requestTimeoutMs: o.requestTimeoutMs ?? 10_000 };
  const pollIntervalMs = o.pollIntervalMs ?? 30_000;
  if (o.streaming === false) return pollingDataSource({ ...endpoint, pollIntervalMs });
  return streamingDataSource({
    ...endpoint,
    pollIntervalMs,
    initialRetryDelayMs: o.streamInitialRetryDelayMs ?? 1_000,
    maxRetryDelayMs: o.streamMaxRetryDelayMs ?? 30_000,
    fallbackAfterFailures: o.streamFallbackAfterFailures ?? 3,
    readTimeoutMs: o.streamReadTimeoutMs ?? 45_000,
  });
}
