import { clampDelay } from '@avsb/common';
import type { AllFlagsOptions, AvsbContext, EngineMetrics, JsonValue, Logger, Platform, ReadyResult, ScopedClient, UpdateListener } from '@avsb/core';
import { AvsbReadyError, ClientCore, consoleLogger, globalPlatform, levelLogger } from '@avsb/core';
import type { DataSourceError } from '@avsb/core';
import { AvsbEngine, ContextEncoder } from '@avsb/engine';
import type { EventDiagnostics } from '@avsb/events';
import { EventPipeline, fetchTransport } from '@avsb/events';
import { OnDemandDataSource } from './on-demand-source';
import type { AvsbEdgeOptions } from './options';
import { checkBaseUrl, checkSdkKey, checkWasm } from './options';
import { VERSION } from './version';
import type { WaitUntilContext } from './wait-until';

/** Numbers worth exporting as metrics. */
export interface AvsbEdgeMetrics extends EngineMetrics {
  /** The event pipeline's counters, or `null` when events are off. */
  readonly events: EventDiagnostics | null;
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
  private readonly _wasm: WebAssembly.Module;
  private readonly _offline: boolean;
  private readonly _listeners = new Set<UpdateListener>();
  private _parts: Parts | null = null;
  private _closing: Promise<void> | null = null;

  constructor(options: AvsbEdgeOptions) {
    const o = (typeof options === 'object' && options !== null ? options : {}) as AvsbEdgeOptions;
    this._options = o;
    this._offline = o.offline === true;
    this._sdkKey = checkSdkKey(o.sdkKey, this._offline);
    this._baseUrl = checkBaseUrl(o.baseUrl);
    this._wasm = checkWasm(o.wasm);
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
    const { core, source, platform } = parts;
    const refresh = source?.refresh() ?? null;
    const ctx = options?.ctx;
    if (refresh !== null && ctx !== undefined) {
      try {
        ctx.waitUntil(refresh);
      } catch (e) {
        this.logger.warn(`onReady: ctx.waitUntil failed (${(e as Error)?.message ?? String(e)}); the refresh may be cut short`);
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
      return { revision: null, engineMemoryBytes: 0, liveContexts: 0, engineFaults: 0, evaluationBudgetExhaustions: 0, regexBudgetExhaustions: 0, events: null };
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
    const endpoint = { baseUrl: this._baseUrl, sdkKey: this._sdkKey, requestTimeoutMs: o.requestTimeoutMs ?? 10_000, maxAgeMs: o.pollIntervalMs ?? 30_000 };
    const core = new ClientCore({
      platform,
      engine,
      dataSource: this._offline ? null : (sink, p) => (source = new OnDemandDataSource(endpoint, sink, p)),
      events,
      initialDatafile: o.initialDatafile ?? null,
      startupTimeoutMs: o.startupTimeoutMs ?? 5_000,
      closeTimeoutMs: o.closeTimeoutMs ?? 5_000,
    });
    for (const listener of this._listeners) core.on('update', listener);
    this._parts = { core, engine, platform, events, source };
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
