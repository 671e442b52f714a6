import { MAX_TIMER_MS, clampDelay, describeError } from '@avsb/common';
import type { AvsbEngine } from '@avsb/engine';
import type { AvsbContext } from './context';
import type { DataSink, DataSource, DataSourceError, DataSourceFactory } from './data-sources/data-source';
import { DatafileStore } from './datafile-store';
import type { UpdateListener } from './datafile-store';
import type { EventRecorder } from './event-recorder';
import type { HookRunner } from './hook-runner';
import { FlagMisses, MAX_REMEMBERED_MISSES } from './flag-misses';
import { LogOnce } from './logger';
import type { Platform } from './platform';
import { AvsbReadyError } from './ready-error';
import type { ReadyResult } from './ready-error';
import type { ScopeHost } from './scoped-client';
import { ScopedClient } from './scoped-client';
import type { ReleaseBackstop } from './release-backstop';
import { logSourceProblem, notReadyInTime, refusedKey } from './source-status';

/** Options of {@link ClientCoreBase} (and of `ClientCore`, which adds `hooks`). */
export interface ClientCoreBaseOptions {
  readonly platform: Platform;
  /** The engine this client evaluates with (one per client). */
  readonly engine: AvsbEngine;
  /** Builds the data source; `null` or absent: no network (initial datafile only, or a test source). */
  readonly dataSource?: DataSourceFactory | null;
  /** Where reads and `track` are recorded; `null` or absent: nothing is recorded. */
  readonly events?: EventRecorder | null;
  /** Served until (and unless) the data source delivers a newer one. */
  readonly initialDatafile?: object | null;
  /** Default time limit of `onReady()`. Default 5 000 ms. */
  readonly startupTimeoutMs?: number;
  /** Time limit of `close()` for flushing events. Default 5 000 ms. */
  readonly closeTimeoutMs?: number;
  /**
   * What to do when the service refuses the key (401/403), for the log line
   * and `onReady()`'s error. Default: the server SDK's advice (set
   * AVSB_SDK_KEY to the environment's server key); `@avsb/browser` names the client key.
   */
  readonly keyHelp?: string;
}

/** The event of `on`/`off`: a datafile change. */
export type UpdateEvent = 'update';

/**
 * One engine, its datafile, a data source, the event recorder, readiness and
 * update listeners: the client core without evaluation hooks and without the
 * release backstop of forgotten scoped clients. `ClientCore` adds both (and
 * the `AvsbClient` surface) for server SDKs; a client that makes few scoped
 * clients, closes them itself and offers no hooks (`@avsb/browser`) uses
 * this class, so its bundle leaves them out. Nothing here throws into the
 * application.
 */
export class ClientCoreBase implements ScopeHost {
  /** The datafile being served and its updates. */
  readonly store: DatafileStore;
  /** The engine the store loads into and scoped clients evaluate with. */
  readonly engine: AvsbEngine;
  readonly events: EventRecorder | null;
  readonly logOnce: LogOnce;
  /** Reads of keys the datafile lacks, for every scoped client of this client. */
  readonly misses: FlagMisses;
  /** `null` here: scoped clients release their handles only when closed (`ClientCore` adds a backstop). */
  readonly backstop: ReleaseBackstop | null = null;
  /** `null` until the first hook is added (only `ClientCore` adds them): reads of a client without hooks skip them with one test. */
  hooks: HookRunner | null = null;
  private readonly _platform: Platform;
  private readonly _startupTimeout: number;
  private readonly _closeTimeout: number;
  private readonly _keyHelp: string;
  private readonly _dataSource: DataSource | null = null;
  private readonly _waiters = new Set<(result: ReadyResult) => void>();
  private readonly _listeners = new Map<UpdateListener, () => void>();
  private _unauthorized: DataSourceError | null = null;
  private _lastError: DataSourceError | null = null;
  /** Problems already logged at warn since the data source last worked. */
  private readonly _warned = new Set<string>();
  private _closing: Promise<void> | null = null;
  private _announced = false;

  constructor(options: ClientCoreBaseOptions) {
    const platform = options.platform;
    this._platform = platform;
    this._startupTimeout = finiteOr(options.startupTimeoutMs, 5_000);
    this._closeTimeout = finiteOr(options.closeTimeoutMs, 5_000);
    this._keyHelp = options.keyHelp ?? 'set AVSB_SDK_KEY to the server key of this environment (Settings → Environments)';
    this.engine = options.engine;
    this.store = new DatafileStore(options.engine, platform.logger);
    this.events = options.events ?? null;
    this.logOnce = new LogOnce(platform.logger);
    this.misses = new FlagMisses(this.logOnce.fork(MAX_REMEMBERED_MISSES));
    if (options.initialDatafile !== undefined && options.initialDatafile !== null) {
      this.store.putCopy(options.initialDatafile, { source: 'initial datafile' });
      this._settle();
    }
    const factory = options.dataSource;
    if (factory) {
      const sink = this._sink();
      // a custom source is application code: what it throws is reported as its problem, never thrown into the host
      const source = this._guarded(sink, 'factory', () => factory(sink, platform));
      this._dataSource = source ?? null;
      // start on the next turn: construction stays cheap and touches no network API
      if (source) {
        platform.setTimeout(() => {
          if (this._closing === null) this._guarded(sink, 'start()', () => source.start());
        }, 0);
      }
    }
  }

  /** Whether a datafile is loaded and the client is not closed. */
  get ready(): boolean {
    return this.store.ready && this._closing === null;
  }

  /** Whether `close()` was called: scoped clients then serve defaults (CLIENT_CLOSED) and record nothing. */
  get closed(): boolean {
    return this._closing !== null;
  }

  /** The revision of the datafile being served, or `null`. */
  get revision(): number | null {
    return this.store.revision;
  }

  /** The last problem of the data source, `null` once it works again. */
  get lastError(): DataSourceError | null {
    return this._lastError;
  }

  /** A scoped client for one context. Never throws; an invalid context reads defaults. */
  forUser(context: AvsbContext): ScopedClient {
    return new ScopedClient(this, context);
  }

  /**
   * Resolves once a datafile is loaded, or with `{ ready: false, error }` on
   * timeout, a refused key (`unauthorized`) or `close()`. Never rejects.
   */
  onReady(options: { timeoutMs?: number } = {}): Promise<ReadyResult> {
    const now = this._readyNow();
    if (now !== null) return Promise.resolve(now);
    const timeoutMs = finiteOr(options?.timeoutMs, this._startupTimeout);
    return new Promise<ReadyResult>((resolve) => {
      const settle = (result: ReadyResult): void => {
        this._platform.clearTimeout(timer);
        this._waiters.delete(settle);
        resolve(result);
      };
      this._waiters.add(settle);
      // keepAlive: the application is awaiting this, so the process must wait too. The application chose
      // this limit, so it is capped only where timers break (2^31−1 ms), not at the retry cap.
      const delay = clampDelay(timeoutMs, MAX_TIMER_MS);
      const timer = this._platform.setTimeout(() => settle(notReadyInTime(timeoutMs, this._lastError)), delay, true);
    });
  }

  /** Calls `listener(changedKeys, source)` after every datafile change: the first load reports every key (none for a first datafile without flags); `source` says where the datafile came from (`stream`, `poll`, `cache`, …). */
  on(event: UpdateEvent, listener: UpdateListener): this {
    if (event === 'update' && typeof listener === 'function' && !this._listeners.has(listener)) {
      this._listeners.set(listener, this.store.onUpdate(listener));
    }
    return this;
  }

  off(event: UpdateEvent, listener: UpdateListener): this {
    if (event === 'update') {
      this._listeners.get(listener)?.();
      this._listeners.delete(listener);
    }
    return this;
  }

  /** Sends queued events now. Never rejects. */
  async flush(): Promise<void> {
    try {
      await this.events?.flush?.();
    } catch (e) {
      this._platform.logger.warn(`flushing events failed: ${describeError(e)}`);
    }
  }

  /**
   * Stops the data source and its timers, then flushes events within
   * `closeTimeoutMs`. Idempotent; never rejects. From then on every scoped
   * client, old or new, serves defaults (reason `CLIENT_CLOSED`) and records
   * nothing, and `onReady()` resolves `{ ready: false }` (kind `closed`).
   */
  close(): Promise<void> {
    if (this._closing !== null) return this._closing;
    const source = this._dataSource;
    if (source) this._guarded(null, 'stop()', () => source.stop());
    for (const settle of [...this._waiters]) {
      settle({ ready: false, error: new AvsbReadyError('closed', 'the A vs B client was closed before a datafile arrived', this._lastError) });
    }
    this._closing = this._closeEvents();
    return this._closing;
  }

  private async _closeEvents(): Promise<void> {
    const events = this.events;
    if (!events?.close) return;
    let timer: unknown = null;
    try {
      await Promise.race([
        events.close(this._closeTimeout),
        new Promise<void>((resolve) => {
          timer = this._platform.setTimeout(resolve, clampDelay(this._closeTimeout + 250, MAX_TIMER_MS), true);
        }),
      ]);
    } catch (e) {
      this._platform.logger.warn(`closing the event pipeline failed: ${describeError(e)}`);
    } finally {
      if (timer !== null) this._platform.clearTimeout(timer);
    }
  }

  private _readyNow(): ReadyResult | null {
    // closed first: a closed client serves only defaults, whatever it had loaded
    if (this._closing !== null) {
      return { ready: false, error: new AvsbReadyError('closed', 'the A vs B client is closed; flag reads serve defaults (reason CLIENT_CLOSED)', this._lastError) };
    }
    if (this.store.ready) return { ready: true, revision: this.store.revision };
    if (this._unauthorized !== null) return { ready: false, error: refusedKey(this._unauthorized, this._keyHelp) };
    return null;
  }

  private _settle(): void {
    if (!this._announced && this.store.ready) {
      this._announced = true;
      this._platform.logger.info(`ready: serving datafile revision ${this.store.revision ?? '(none)'} (${this.store.flagCount} flags)`);
    }
    if (this._waiters.size === 0) return;
    const result = this._readyNow();
    if (result === null) return;
    for (const settle of [...this._waiters]) settle(result);
  }

  /** Runs a data source's `call`; what it throws is logged and, with a `sink`, becomes the source's last problem (kind `source`). */
  private _guarded<T>(sink: DataSink | null, call: string, run: () => T): T | undefined {
    try {
      return run();
    } catch (e) {
      const message = `the data source's ${call} threw: ${describeError(e)}`;
      if (sink === null) {
        this._platform.logger.error(`${message}; closing anyway`);
        return undefined;
      }
      const serving = this.store.ready ? `serving revision ${this.store.revision ?? '(none)'}` : 'serving flag defaults';
      this._platform.logger.error(`${message}; ${serving} and no updates will arrive`);
      this._lastError = { kind: 'source', message };
      return undefined;
    }
  }

  private _sink(): DataSink {
    const store = this.store;
    const logger = this._platform.logger;
    return {
      put: (datafile, options) => {
        const result = store.put(datafile, options);
        this._settle();
        return result;
      },
      patch: (update) => {
        const result = store.patch(update);
        this._settle();
        return result;
      },
      delete: (update) => {
        const result = store.delete(update);
        this._settle();
        return result;
      },
      valid: () => {
        if (this._lastError !== null) logger.info('connected to A vs B again');
        this._lastError = null;
        this._warned.clear();
      },
      error: (error) => {
        this._lastError = error;
        if (error.kind === 'unauthorized') {
          this._unauthorized = error;
          logger.error(refusedKey(error, this._keyHelp).message);
          this._settle();
          return;
        }
        logSourceProblem(logger, this._warned, error, store);
      },
    };
  }
}

function finiteOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
