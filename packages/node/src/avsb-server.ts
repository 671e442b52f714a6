import type { DataSink, DataSourceFactory, EngineMetrics, Logger, Platform, ReadyResult } from '@avsb/core';
import { ClientCore, ClientFacade, EngineFallback, consoleLogger, levelLogger, pollingDataSource, streamingDataSource } from '@avsb/core';
// one specifier for the engine: ./node hands on the main entry's exports, and each bare specifier costs a fresh process's import ≈ 1 ms
import { AvsbEngine, ContextEncoder, LazyFlags, engineWasmModule, evaluatorWasmModule, isCompiledDatafile, isEvaluator, shareContexts } from '@avsb/engine/node';
import type { EventDiagnostics, EventPipeline } from '@avsb/events';
import { DeferredEvents } from './deferred-events';
import { createNodePlatform } from './node-platform';
import type { AvsbServerOptions } from './options';
import { checkBaseUrl, checkEngineBinary, checkOptionValues, checkSdkKey, fullEngineOf, readInitialDatafile } from './options';
import { VERSION } from './version';

/** Numbers worth exporting as metrics. */
export interface AvsbServerMetrics extends EngineMetrics {
  /** The event pipeline's counters, or `null` when events are off. */
  readonly events: EventDiagnostics | null;
  /** The binary evaluating: `'evaluator'` (compiled datafiles) or `'full'` (JSON; also once an evaluator has switched to it). */
  readonly engineBinary: 'evaluator' | 'full';
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
 * client-side key, a bad base URL, an unreadable initial datafile or an
 * option value of the wrong type (`logLevel: 'WARN'`, `streaming: 'false'`);
 * nothing else throws.
 *
 * `close()` flushes and stops for good: afterwards every scoped client, old
 * or new, returns the caller's defaults with reason `ERROR`/`CLIENT_CLOSED`,
 * `track()` is dropped, no event is sent, and `onReady()` resolves
 * `{ ready: false }` with error kind `closed` (README, "Lifecycle").
 */
export class AvsbServer extends ClientFacade {
  private readonly _events: DeferredEvents | null;
  /** The logger this server writes to (level-filtered, keys masked); adapters may log through it. */
  readonly logger: Logger;

  constructor(options: AvsbServerOptions) {
    const o = (typeof options === 'object' && options !== null ? options : {}) as AvsbServerOptions;
    const offline = o.offline === true;
    const sdkKey = checkSdkKey(o.sdkKey, offline);
    checkOptionValues(o);
    const baseUrl = checkBaseUrl(o.baseUrl);
    const initialDatafile = readInitialDatafile(o.initialDatafile);
    const level = o.logLevel ?? 'info';
    const logger: Logger = o.logger !== undefined ? levelLogger(o.logger, { level }) : consoleLogger(level);
    const platform = createNodePlatform(logger, o.fetch);
    // a returning user's request reuses the handle of its last one (engine README, "Shared contexts")
    const binary = checkEngineBinary(o.engineBinary);
    const wasm = o.engineWasm ?? (binary === 'evaluator' ? evaluatorWasmModule() : engineWasmModule());
    // a datafile's flags are made when first read, and an update compares flags by their text (engine README, "Lazy flags")
    const engine = shareContexts(AvsbEngine.createSync(wasm, { contextEncoder: new ContextEncoder(), lazyFlags: new LazyFlags() }));
    const events = offline || o.events === false ? null : eventPipeline(o, platform, baseUrl, sdkKey);
    // on the evaluator, compiled datafiles are asked for, and a JSON one switches the engine to the full engine, into
    // the sink the data source was given (a JSON initial datafile: into the store)
    let sink: DataSink | null = null;
    const fallback = isEvaluator(engine) ? new EngineFallback(engine, fullEngineOf(o.fullEngine, engineWasmModule), logger, () => sink ?? core.store) : null;
    const network = offline ? null : dataSourceFor(o, baseUrl, sdkKey, () => isEvaluator(engine));
    const source = o.dataSource ?? network;
    const initialJson = fallback !== null && initialDatafile !== undefined && !isCompiledDatafile(initialDatafile);
    const core: ClientCore = new ClientCore({
      platform,
      engine,
      dataSource: source === null || fallback === null ? source : (s, p) => fallback.source(source)((sink = s), p),
      events,
      initialDatafile: initialJson ? null : (initialDatafile ?? null),
      startupTimeoutMs: o.startupTimeoutMs ?? 5_000,
      closeTimeoutMs: o.closeTimeoutMs ?? 5_000,
      hooks: o.hooks ?? null,
    });
    // ClientCore copies an initial datafile; so does this path, as the store keeps what it is given
    if (initialJson) fallback.put(jsonCopy(initialDatafile), { source: 'initial datafile' });
    super(core, engine);
    this.logger = logger;
    this._events = events;
  }

  /**
   * As `ClientFacade.onReady`, and the event pipeline has loaded by then (its module is imported when the server is
   * made): reads and `track` after `await onReady()` go straight to it, so a batch job that reads a million times in
   * one turn loses none of its events.
   */
  override async onReady(options?: { timeoutMs?: number }): Promise<ReadyResult> {
    const result = await super.onReady(options);
    await this._events?.loaded;
    return result;
  }

  /** Engine and event counters for monitoring. */
  metrics(): AvsbServerMetrics {
    return { ...this._engineMetrics(), events: this._events?.diagnostics() ?? null, engineBinary: isEvaluator(this._engine) ? 'evaluator' : 'full' };
  }
}

/**
 * The server's event pipeline, its module imported now (not with `@avsb/node`: a fresh process's `import()` reads and
 * compiles a third less) and what is recorded meanwhile kept for it (deferred-events.ts).
 */
function eventPipeline(o: AvsbServerOptions, platform: Platform, baseUrl: string, sdkKey: string): DeferredEvents {
  const options = { ...(o.events === false ? {} : o.events) };
  const make = async (): Promise<EventPipeline> => {
    const { EventPipeline: Pipeline, fetchTransport } = await import('@avsb/events');
    // the one platform: the pipeline and its transport use the same timers, clock, random and abort as the data source
    const transport = fetchTransport({
      baseUrl,
      sdkKey,
      platform,
      userAgent: `@avsb/node/${VERSION}`,
      timeoutMs: o.requestTimeoutMs ?? 10_000,
    });
    return new Pipeline({ ...platform, transport }, {
      ...options,
      sdk: { name: '@avsb/node', version: VERSION },
      privateAttributes: o.privateAttributes ?? [],
      allAttributesPrivate: o.allAttributesPrivate === true,
    });
  };
  // the pipeline's recordsEveryRead (event-pipeline-base.ts of @avsb/events): scoped clients read it when made
  return new DeferredEvents(make, (options as { exposures?: unknown }).exposures === 'all', platform.logger);
}

function dataSourceFor(o: AvsbServerOptions, baseUrl: string, sdkKey: string, compiled: () => boolean): DataSourceFactory {
  const pollIntervalMs = o.pollIntervalMs ?? 30_000;
  // one object, not spread: `compiled` is read at each request (once switched to the full engine, a service
  // upgraded meanwhile must not answer compiled), and a spread would copy its first value
  const options = {
    baseUrl,
    sdkKey,
    requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
    pollIntervalMs,
    get compiled(): boolean {
      return compiled();
    },
  };
  if (o.streaming === false) return pollingDataSource(options);
  return streamingDataSource(
    Object.assign(options, {
      initialRetryDelayMs: o.streamInitialRetryDelayMs ?? 1_000,
      maxRetryDelayMs: o.streamMaxRetryDelayMs ?? 30_000,
      fallbackAfterFailures: o.streamFallbackAfterFailures ?? 3,
      readTimeoutMs: o.streamReadTimeoutMs ?? 45_000,
    }),
  );
}

/** A JSON copy of `value` (ClientCore keeps a copy of an initial datafile too), or `value` when it has none: the engine then refuses it with the reason. */
function jsonCopy(value: object): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return value;
  }
}
