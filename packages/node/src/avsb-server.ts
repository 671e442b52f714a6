import type {
  AllFlagsOptions,
  AvsbClient,
  AvsbContext,
  DataSourceError,
  DataSourceFactory,
  JsonValue,
  Logger,
  MaybeAsyncDisposable,
  Platform,
  ReadyResult,
  ScopedClient,
  UpdateListener,
} from '@avsb/core';
import { ASYNC_DISPOSE, ClientCore, levelLogger, pollingDataSource, streamingDataSource } from '@avsb/core';
import { AvsbEngine } from '@avsb/engine';
import type { EventDiagnostics, EventPlatform } from '@avsb/events';
import { EventPipeline, fetchTransport, unrefTimer } from '@avsb/events';
import { consoleLogger } from './console-logger';
import { createNodePlatform } from './node-platform';
import type { AvsbServerOptions } from './options';
import { checkBaseUrl, checkSdkKey, readInitialDatafile } from './options';
import { VERSION } from './version';

/** Numbers worth exporting as metrics. */
export interface AvsbServerMetrics {
  /** The revision being served, or `null` before the first datafile. */
  readonly revision: number | null;
  /** Size of the engine's WebAssembly memory. */
  readonly engineMemoryBytes: number;
  /** Contexts registered and not yet released (scoped clients not closed). */
  readonly liveContexts: number;
  /** Times the engine trapped and was rebuilt. */
  readonly engineFaults: number;
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
 */
export class AvsbServer implements AvsbClient {
  private readonly _core: ClientCore;
  private readonly _events: EventPipeline | null;
  private readonly _engine: AvsbEngine;
  /** The logger this server writes to (level-filtered, keys masked); adapters may log through it. */
  readonly logger: Logger;

  constructor(options: AvsbServerOptions) {
    const o = (typeof options === 'object' && options !== null ? options : {}) as AvsbServerOptions;
    const offline = o.offline === true;
    const sdkKey = checkSdkKey(o.sdkKey, offline);
    const baseUrl = checkBaseUrl(o.baseUrl);
    const initialDatafile = readInitialDatafile(o.initialDatafile);
    const logger: Logger = levelLogger(o.logger ?? consoleLogger(), { level: o.logLevel ?? 'info' });
    const platform = createNodePlatform(logger, o.fetch);
    this.logger = logger;
    this._engine = AvsbEngine.createSync();
    this._events = offline || o.events === false ? null : this._pipeline(o, platform, baseUrl, sdkKey);
    this._core = new ClientCore({
      platform,
      engine: this._engine,
      dataSource: o.dataSource ?? (offline ? null : dataSourceFor(o, baseUrl, sdkKey)),
      events: this._events,
      initialDatafile: initialDatafile ?? null,
      startupTimeoutMs: o.startupTimeoutMs ?? 5_000,
      closeTimeoutMs: o.closeTimeoutMs ?? 5_000,
    });
  }

  private _pipeline(o: AvsbServerOptions, platform: Platform, baseUrl: string, sdkKey: string): EventPipeline {
    const eventPlatform: EventPlatform = {
      transport: fetchTransport({
        baseUrl,
        sdkKey,
        fetch: (url, init) => platform.fetch(url, init),
        userAgent: `@avsb/node/${VERSION}`,
        timeoutMs: o.requestTimeoutMs ?? 10_000,
      }),
      // plain timers: the pipeline unrefs its background ones and keeps close()'s
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      unrefTimer,
      now: () => platform.now(),
      randomId: () => platform.randomId(),
      logger: platform.logger,
    };
    return new EventPipeline(eventPlatform, {
      ...(o.events === false ? {} : o.events),
      sdk: { name: '@avsb/node', version: VERSION },
      privateAttributes: o.privateAttributes ?? [],
      allAttributesPrivate: o.allAttributesPrivate === true,
    });
  }

  /** Whether a datafile is loaded (flag reads answer from it). */
  get ready(): boolean {
    return this._core.ready;
  }

  /** The revision of the datafile being served, or `null`. */
  get revision(): number | null {
    return this._core.revision;
  }

  /** The last problem of the data source (`unauthorized`, `network`, `http`, `invalid-datafile`), `null` while it works. */
  get lastError(): DataSourceError | null {
    return this._core.lastError;
  }

  /**
   * Resolves once a datafile is loaded (from the network or
   * `initialDatafile`): `{ ready: true, revision }`. On timeout (default
   * `startupTimeoutMs`, 5 s), a refused key or `close()` it resolves with
   * `{ ready: false, error }`, whose `error.kind` is `'timeout'`,
   * `'unauthorized'` or `'closed'` and whose message says what to do. It
   * never rejects: reads serve defaults (reason `CLIENT_NOT_READY`) and the
   * SDK keeps trying in the background (except after a refused key).
   */
  onReady(options?: { timeoutMs?: number }): Promise<ReadyResult> {
    return this._core.onReady(options);
  }

  /**
   * A scoped client for one context: typed flag reads, `allFlags` and
   * `track`. Cheap; registers the context with the engine on its first read.
   * Call `close()` on it when the request ends (or declare it with `using`).
   */
  forUser(context: AvsbContext): ScopedClient {
    return this._core.forUser(context);
  }

  /** The values of every flag served to `context` (`{ clientSideOnly: true }` for a browser); records no exposures. */
  allFlags(context: AvsbContext, options?: AllFlagsOptions): Record<string, JsonValue> {
    return this._core.allFlags(context, options);
  }

  /** `listener(changedKeys)` after every datafile change (the first load lists every flag). */
  on(event: 'update', listener: UpdateListener): this {
    this._core.on(event, listener);
    return this;
  }

  off(event: 'update', listener: UpdateListener): this {
    this._core.off(event, listener);
    return this;
  }

  /** Sends the queued events now. Never rejects. */
  flush(): Promise<void> {
    return this._core.flush();
  }

  /**
   * Stops the stream or polling and every timer, then flushes pending
   * events within `closeTimeoutMs` (default 5 s). Idempotent; never rejects.
   * Flag reads keep answering from the last datafile afterwards.
   */
  close(): Promise<void> {
    return this._core.close();
  }

  /** Engine and event counters for monitoring. */
  metrics(): AvsbServerMetrics {
    return {
      revision: this._core.revision,
      engineMemoryBytes: this._engine.memoryBytes,
      liveContexts: this._engine.liveContexts,
      engineFaults: this._engine.faults,
      events: this._events?.diagnostics() ?? null,
    };
  }
}

export interface AvsbServer extends MaybeAsyncDisposable {}

if (ASYNC_DISPOSE !== undefined) {
  Object.defineProperty(AvsbServer.prototype, ASYNC_DISPOSE, {
    value: function (this: AvsbServer) {
      return this.close();
    },
    writable: true,
    configurable: true,
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
