import { clampDelay, describeError } from '@avsb/common';
import type { AllFlagsOptions, AvsbContext, EngineMetrics, JsonValue, Logger, Platform, ReadyResult, ScopedClient, UpdateListener } from '@avsb/core';
import { AvsbReadyError, ClientCore, EngineFallback, consoleLogger, globalPlatform, levelLogger } from '@avsb/core';
import type { DataSink, DataSourceError, DataSourceFactory } from '@avsb/core';
import { AvsbEngine, ContextEncoder, isCompiledDatafile, isEvaluator } from '@avsb/engine';
import type { WasmModule } from '@avsb/engine';
import type { EventDiagnostics } from '@avsb/events';
import { EventPipeline, fetchTransport } from '@avsb/events';
import { OnDemandDataSource } from './on-demand-source';
import type { AvsbEdgeOptions } from './options';
import { checkBaseUrl, checkFullEngine, checkOptionValues, checkSdkKey, checkWasm } from './options';
import { VERSION } from './version';
import type { WaitUntilContext } from './wait-until';

/** Numbers worth exporting as metrics. */
export interface AvsbEdgeMetrics extends EngineMetrics {
  /** The event pipeline's counters, or `null` when events are off. */
  readonly events: EventDiagnostics | null;
  /**
   * The binary evaluating: `'evaluator'` (compiled datafiles), `'full'`
   * (JSON datafiles: `wasm` was avsb-engine.wasm, or the service answered
   * JSON and the engine switched to `fullEngine`), `null` before the first request.
   */
  readonly engineBinary: 'evaluator' | 'full' | null;
}

/** Options of {@link AvsbEdge.onReady}. */
export interface EdgeReadyOptions {
  /**
   * The request's `waitUntil` (a Worker's `ctx`, Hono's `c.executionCtx`,
   * Next.js's `event`): a refresh of a stale datafile then runs after the
   * response instead of delaying it. Without it, `onReady` waits for the refresh.
   */
  ctx?: WaitUntilContext;
  /** How long to wait for a datafile this isolate does not have yet. Default `startupTimeoutMs` (5 000 ms). */
  timeoutMs?: number;
}

interface Parts {
  readonly core: ClientCore;
  readonly engine: AvsbEngine;
  readonly platform: Platform;
  readonly events: EventPipeline | null;
  readonly source: OnDemandDataSource | null;
  readonly fallback: EngineFallback | null;
}

/**
 * A vs B for edge runtimes (Cloudflare Workers, Vercel Edge, Next.js
 * middleware): one per isolate, kept at module scope. Isolates keep no
 * stream and no timer, so the datafile is fetched by the requests
 * themselves: `await avsb.onReady({ ctx })` loads it on the isolate's first
 * request and checks it again (conditional GET) once it is older than
 * `pollIntervalMs`, in the background through `ctx.waitUntil`.
 *
 * ```ts
 * const avsb = new AvsbEdge({ sdkKey: env.AVSB_SDK_KEY, wasm });
 * await avsb.onReady({ ctx });                   // never rejects
 * using client = avsb.forUser({ kind: 'user', key: 'u_1' });
 * client.getBoolFlag('checkout-v2', false);      // never throws
 * client.track('purchase', { value: 149.99 });
 * ctx.waitUntil(avsb.flush());                   // sends the events after the response
 * ```
 *
 * The constructor checks its options and does nothing else (no I/O, timer or
 * random value, which Workers refuse at module scope): the engine and the
 * event pipeline are set up by the first request that uses them.
 */
export class AvsbEdge {
  /** The logger this client writes to (level-filtered, keys masked); adapters may log through it. */
  readonly logger: Logger;
  private readonly _options: AvsbEdgeOptions;
  private readonly _sdkKey: string;
  private readonly _baseUrl: string;
  private readonly _wasm: WasmModule;
  private readonly _fullEngine: () => Promise<WasmModule>;
  private readonly _offline: boolean;
  private readonly _listeners = new Set<UpdateListener>();
  private _parts: Parts | null = null;
  private _closing: Promise<void> | null = null;

  constructor(options: AvsbEdgeOptions) {
    const o = (typeof options === 'object' && options !== null ? options : {}) as AvsbEdgeOptions;
    this._options = o;
    this._offline = o.offline === true;
    this._sdkKey = checkSdkKey(o.sdkKey, this._offline);
    checkOptionValues(o);
    this._baseUrl = checkBaseUrl(o.baseUrl);
    this._wasm = checkWasm(o.wasm);
    this._fullEngine = checkFullEngine(o.fullEngine);
    const level = o.logLevel ?? 'info';
    this.logger = o.logger !== undefined ? levelLogger(o.logger, { level }) : consoleLogger(level);
  }

  /** Whether a datafile is loaded (`false` before the isolate's first request, and once closed). */
  get ready(): boolean {
    return this._parts?.core.ready ?? false;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this._closing !== null;
  }

  /** The revision of the datafile being served, or `null`. */
  get revision(): number | null {
    return this._parts?.core.revision ?? null;
  }

  /** The last problem of the datafile requests, `null` while they work. */
  get lastError(): DataSourceError | null {
    return this._parts?.core.lastError ?? null;
  }

  /**
   * Call once per request before reading flags. The isolate's first request
   * waits (up to `timeoutMs`) for the datafile; later ones return at once,
   * and when the datafile is older than `pollIntervalMs` they start a
   * conditional request for a newer one, run through `ctx.waitUntil` (or
   * awaited when no `ctx` is given). Never rejects: when no datafile could be
   * had, it resolves `{ ready: false, error }` and reads serve defaults
   * (reason `CLIENT_NOT_READY`); a later request tries again (after a backoff).
   */
  async onReady(options: EdgeReadyOptions = {}): Promise<ReadyResult> {
    const parts = this._build();
    const { core, source, platform, fallback } = parts;
    // a JSON answer on the evaluator is served once the engine has switched (EngineFallback)
    const fetched = source?.refresh() ?? null;
    const switching = fallback !== null && isEvaluator(parts.engine) ? fallback.switching : null;
    const refresh = fetched === null && switching === null ? null : settledAfter(fetched, fallback);
    const ctx = options?.ctx;
    if (refresh !== null && ctx !== undefined) {
      try {
        ctx.waitUntil(refresh);
      } catch (e) {
        this.logger.warn(`onReady: ctx.waitUntil failed (${describeError(e)}); the refresh may be cut short`);
      }
    }
    const wait = refresh !== null && (!core.ready || ctx === undefined);
    if (wait) {
      const limit = finiteOr(options?.timeoutMs, finiteOr(this._options.startupTimeoutMs, 5_000));
      let timer: unknown = null;
      const timedOut = await Promise.race([
        refresh.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = platform.setTimeout(() => resolve(true), clampDelay(limit), true);
        }),
      ]);
      if (timer !== null) platform.clearTimeout(timer);
      if (timedOut && !core.ready && !core.closed) return notReady(core.lastError, `within ${limit} ms`);
    }
    if (core.ready || core.closed || core.lastError?.kind === 'unauthorized') return core.onReady({ timeoutMs: 0 });
    return notReady(core.lastError, 'yet');
  }

  /**
   * A scoped client for one context: typed reads (`getBoolFlag`,
   * `getStringFlag`, `getNumberFlag`, `getJsonFlag` and their `…Details`),
   * `allFlags` and `track`, as in `@avsb/node`. Close it when the request
   * ends (or declare it with `using`). Reads never throw.
   */
  forUser(context: AvsbContext): ScopedClient {
    return this._build().core.forUser(context);
  }

  /** The values of every flag for `context`; records no exposures. */
  allFlags(context: AvsbContext, options?: AllFlagsOptions): Record<string, JsonValue> {
    return this._build().core.allFlags(context, options);
  }

  /** `listener(changedKeys)` after every datafile change in this isolate. */
  on(event: 'update', listener: UpdateListener): this {
    if (event === 'update' && typeof listener === 'function') {
      this._listeners.add(listener);
      this._parts?.core.on(event, listener);
    }
    return this;
  }

  off(event: 'update', listener: UpdateListener): this {
    if (event === 'update') {
      this._listeners.delete(listener);
      this._parts?.core.off(event, listener);
    }
    return this;
  }

  /**
   * Sends the events recorded so far. Never rejects. Hand it to the
   * runtime so it runs after the response: `ctx.waitUntil(avsb.flush())`.
   */
  flush(): Promise<void> {
    return this._parts?.core.flush() ?? Promise.resolve();
  }

  /** Flushes and stops for good: reads then serve defaults (`CLIENT_CLOSED`). Never rejects. */
  close(): Promise<void> {
    this._closing ??= this._build().core.close();
    return this._closing;
  }

  /** Engine and event counters for monitoring (zeros before the first request). */
  metrics(): AvsbEdgeMetrics {
    const parts = this._parts;
    if (parts === null) {
      return { revision: null, engineMemoryBytes: 0, liveContexts: 0, engineFaults: 0, evaluationBudgetExhaustions: 0, regexBudgetExhaustions: 0, events: null, engineBinary: null };
    }
    const { engine, core, events } = parts;
    const budget = engine.budgetExhaustions;
    return {
      revision: core.revision,
      engineMemoryBytes: engine.memoryBytes,
      liveContexts: engine.liveContexts,
      engineFaults: engine.faults,
      evaluationBudgetExhaustions: budget.evaluations,
      regexBudgetExhaustions: budget.regexClauses,
      events: events?.diagnostics() ?? null,
      engineBinary: isEvaluator(engine) ? 'evaluator' : 'full',
    };
  }

  /** The engine, the event pipeline and the client, set up inside the first request that needs them. */
  private _build(): Parts {
    if (this._parts !== null) return this._parts;
    const o = this._options;
    const platform = globalPlatform(o.fetch === undefined ? { logger: this.logger } : { logger: this.logger, fetch: o.fetch });
    const engine = AvsbEngine.createSync(this._wasm, { contextEncoder: new ContextEncoder() });
    const events = this._offline || o.events === false ? null : this._eventPipeline(platform);
    let source: OnDemandDataSource | null = null;
    // on the evaluator, compiled datafiles are asked for, and JSON ones switch the engine to fullEngine
    // the switch puts into the core's own sink, as the data source does (a JSON initial datafile, offline: into the store)
    let sink: DataSink | null = null;
    const fallback = isEvaluator(engine) ? new EngineFallback(engine, this._fullEngine, this.logger, () => sink ?? core.store) : null;
    const endpoint = {
      baseUrl: this._baseUrl,
      sdkKey: this._sdkKey,
      requestTimeoutMs: o.requestTimeoutMs ?? 10_000,
      maxAgeMs: o.pollIntervalMs ?? 30_000,
      // read at each request: once switched to the full engine, a service upgraded meanwhile must not answer compiled
      get compiled(): boolean {
        return isEvaluator(engine);
      },
    };
    const onDemand: DataSourceFactory = (s, p) => (source = new OnDemandDataSource(endpoint, s, p));
    const dataSource: DataSourceFactory = fallback === null ? onDemand : (s, p) => fallback.source(onDemand)((sink = s), p);
    // a JSON initial datafile on the evaluator goes through the fallback too, after the core exists
    const initial = o.initialDatafile ?? null;
    const initialJson = fallback !== null && initial !== null && !isCompiledDatafile(initial);
    const core: ClientCore = new ClientCore({
      platform,
      engine,
      dataSource: this._offline ? null : dataSource,
      events,
      initialDatafile: initialJson ? null : initial,
      startupTimeoutMs: o.startupTimeoutMs ?? 5_000,
      closeTimeoutMs: o.closeTimeoutMs ?? 5_000,
    });
    // a copy, as ClientCore takes one: the store keeps what it is given
    if (initialJson) fallback.put(jsonCopy(initial), { source: 'initial datafile' });
    for (const listener of this._listeners) core.on('update', listener);
    this._parts = { core, engine, platform, events, source, fallback };
    return this._parts;
  }

  private _eventPipeline(platform: Platform): EventPipeline {
    const o = this._options;
    const transport = fetchTransport({
      baseUrl: this._baseUrl,
      sdkKey: this._sdkKey,
      platform,
      userAgent: `@avsb/edge/${VERSION}`,
      timeoutMs: o.requestTimeoutMs ?? 10_000,
    });
    return new EventPipeline({ ...platform, transport }, {
      ...(o.events === false ? {} : o.events),
      sdk: { name: '@avsb/edge', version: VERSION },
      privateAttributes: o.privateAttributes ?? [],
      allAttributesPrivate: o.allAttributesPrivate === true,
    });
  }
}

function notReady(last: DataSourceError | null, when: string): ReadyResult {
  return {
    ready: false,
    error: new AvsbReadyError(
      'timeout',
      `A vs B: no datafile ${when}${last ? ` (last problem: ${last.message})` : ''}; flag reads return their defaults ` +
        '(reason CLIENT_NOT_READY) and a later request tries again',
      last,
    ),
  };
}

function finiteOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** A JSON copy of `value`, or `value` itself when it has none (the engine then refuses it with the reason). */
function jsonCopy(value: object): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return value;
  }
}

/** Settles after `fetched` and then the engine switch it may have started (a JSON answer on the evaluator). */
async function settledAfter(fetched: Promise<void> | null, fallback: EngineFallback | null): Promise<void> {
  await fetched;
  await fallback?.switching;
}
