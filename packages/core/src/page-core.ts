import type { PageEngine } from '@avsb/engine';
import type { AvsbContext } from './context';
import type { DataSource, DataSourceError, PageSink, PageSourceFactory } from './data-sources/data-source';
import { PageStore } from './page-store';
import type { PutOptions, UpdateResult } from './page-store';
import type { EventRecorder } from './event-recorder';
import type { FlagDetail, JsonValue } from './flag-detail';
import { FlagMisses, MAX_REMEMBERED_MISSES } from './flag-misses';
import type { LogOnce } from './logger';
import type { Logger, Platform } from './platform';
import type { ReadHost } from './read-detail';
import { CLOSED, INVALID, UNREGISTERED, failedRead, readDetail } from './read-detail';
import type { ReadyResult } from './ready-error';
import { logSourceProblem, notReadyInTime, refusedKey } from './source-status';
import type { ValueType } from './scoped-client-support';
import { collectFlags, emptyFlags } from './scoped-client-support';
import { describeError as message } from '@avsb/common';

/** Options of {@link PageCore}. */
export interface PageCoreOptions {
  readonly platform: Platform;
  /** The engine (one per page client). */
  readonly engine: PageEngine;
  /** The context reads are for, until {@link PageCore.identify}. */
  readonly context: AvsbContext;
  /** Builds the data source, started on the next turn; `null`: none. */
  readonly dataSource: PageSourceFactory | null;
  /** Where reads are recorded; `null`: nothing is. */
  readonly events: EventRecorder | null;
  /** The page's log-once memory (misspelt keys, wrong types, an invalid context, failed reads). */
  readonly logOnce: LogOnce;
  /** What to do about a refused key (401/403), for its log line and {@link PageCore.status}. */
  readonly keyHelp: string;
  /** Called after every `put` and refused key (a datafile may be served now, or never): for readiness waits. */
  readonly settled: () => void;
  /**
   * Makes the store; default a {@link PageStore}, which loads compiled datafiles and refuses JSON ones. A page that
   * may be handed JSON datafiles makes a `JsonPageStore` (`@avsb/browser`'s `jsonDatafiles`).
   */
  readonly store?: ((engine: PageEngine, logger: Logger) => PageStore) | undefined;
}

/**
 * The client core of a web page: one engine, its datafile kept current by a
 * data source, and reads for one context at a time. What `ClientCoreBase`
 * and `ScopedClient` do for a server (many contexts a process, hooks, a
 * backstop for forgotten handles, an allocation-free typed read path) a page
 * does not need: its one context handle is released by `identify` and
 * `close`, and every read is one `evaluate` whose detail a typed read takes
 * the value of. A read answers and records as a scoped client's `…Details`
 * read (same reasons, messages and records), but logs nothing after close.
 * Nothing here throws into the application.
 *
 * It is the `PageSink` of its data source: `put` goes to the store (a
 * stream's `patch` or `delete` makes the source fetch that revision: a
 * page's store is only ever replaced whole, on compiled and JSON datafiles
 * alike), `valid` and `error` keep the source's status.
 */
export class PageCore implements PageSink, ReadHost {
  /** The datafile being served and its updates. */
  readonly store: PageStore;
  /** The engine the store loads into and reads evaluate with. */
  readonly engine: PageEngine;
  /** {@link PageCoreOptions.logOnce}. */
  readonly logOnce: LogOnce;
  readonly misses: FlagMisses;
  private readonly _options: PageCoreOptions;
  private readonly _logger: Logger;
  private readonly _source: DataSource | null;
  private _context: AvsbContext;
  private _handle = UNREGISTERED;
  private _closed = false;
  private _announced = false;
  private _lastError: DataSourceError | null = null;
  private _refused: DataSourceError | null = null;
  /** Problems already logged at warn since the data source last worked. */
  private readonly _warned = new Set<string>();

  constructor(options: PageCoreOptions) {
    this._options = options;
    this.engine = options.engine;
    this.logOnce = options.logOnce;
    this.misses = new FlagMisses(options.logOnce.fork(MAX_REMEMBERED_MISSES));
    this._context = options.context;
    const logger = (this._logger = options.platform.logger);
    this.store = options.store?.(options.engine, logger) ?? new PageStore(options.engine, logger);
    const source = options.dataSource?.(this, options.platform) ?? null;
    this._source = source;
    // started on the next turn: what the caller puts first (a cached datafile) is served before any answer
    if (source !== null) options.platform.setTimeout(() => this._closed || source.start(), 0);
  }

  /** Whether a datafile is served (and the core is not closed). */
  get ready(): boolean {
    return this.store.ready && !this._closed;
  }

  /**
   * `{ ready: true }` once a datafile is served, `{ ready: false }` with an
   * `unauthorized` error once the key was refused, else `null` (still waiting).
   */
  status(): ReadyResult | null {
    if (this.store.ready) return { ready: true, revision: this.store.revision };
    return this._refused === null ? null : { ready: false, error: refusedKey(this._refused, this._options.keyHelp) };
  }

  /** What a wait of `timeoutMs` for a first datafile settles with, naming the source's last problem. */
  timedOut(timeoutMs: number): ReadyResult {
    return notReadyInTime(timeoutMs, this._lastError);
  }

  /**
   * The flag's detail for the context: its value if of `type` (`null`: any
   * JSON value), else `defaultValue` with the reason. Records the read.
   */
  read<T>(key: string, defaultValue: T, type: ValueType): FlagDetail<T> {
    try {
      // closed: the default, as bootstrap values are once closed (the reason says why; nothing is logged or recorded)
      const handle = this._closed ? CLOSED : this.ready ? this._registered() : UNREGISTERED;
      const detail = readDetail(this, handle, key, defaultValue, type);
      // recorded unless closed or for an invalid context (it cannot be attributed, and was logged once)
      if (handle >= UNREGISTERED) {
        this._options.events?.recordExposure({
          flag: key,
          variation: detail.variationIndex,
          reason: detail.reason.kind,
          inExperiment: detail.inExperiment,
          context: this._context,
          revision: this.store.revisionOrUndefined,
        });
      }
      return detail;
    } catch (e) {
      return failedRead(this.logOnce, key, e, defaultValue);
    }
  }

  /** The value of every flag serving a variation to the context (an object without a prototype); records nothing. */
  allFlags(): Record<string, JsonValue> {
    const out = emptyFlags();
    try {
      const handle = this.ready ? this._registered() : UNREGISTERED;
      if (handle > 0) collectFlags(out, this.store, this.engine, this.engine.evaluateAllPacked(handle), undefined);
    } catch (e) {
      this.logOnce.log('error', `allFlags:${message(e)}`, `allFlags failed: ${message(e)}; returning what it had`);
    }
    return out;
  }

  /** Reads are for `context` from now on: the previous context's handle is released. */
  identify(context: AvsbContext): void {
    this._release();
    this._context = context;
  }

  /** Stops the data source and releases the context: reads then serve defaults (`CLIENT_CLOSED`). Idempotent. */
  close(): void {
    this._closed = true;
    this._source?.stop();
    this._release();
  }

  /** `PageStore.put`, as the data source's sink (a cached datafile goes here too). */
  put(datafile: unknown, options?: PutOptions): UpdateResult {
    return this._settle(this.store.put(datafile, options));
  }

  /** The source works (again): logged at `info` after a problem, and problems are logged at `warn` again. */
  valid(): void {
    if (this._lastError !== null) this._logger.info('connected to A vs B again');
    this._lastError = null;
    this._warned.clear();
  }

  /** A problem of the source: logged once at `warn` (`logSourceProblem`); a refused key at `error`, and {@link PageCore.status} says so. */
  error(error: DataSourceError): void {
    const logger = this._logger;
    this._lastError = error;
    if (error.kind === 'unauthorized') {
      this._refused = error;
      logger.error(refusedKey(error, this._options.keyHelp).message);
      this._settle(null);
      return;
    }
    logSourceProblem(logger, this._warned, error, this.store);
  }

  private _settle<R>(result: R): R {
    const store = this.store;
    if (!this._announced && store.ready) {
      this._announced = true;
      this._logger.info(`ready: serving datafile revision ${store.revision ?? '(none)'} (${store.datafile!.flags.length} flags)`);
    }
    this._options.settled();
    return result;
  }

  /** The context's handle, registered on first use; `INVALID` (logged once) for a context the engine refuses. */
  private _registered(): number {
    if (this._handle === UNREGISTERED) {
      try {
        this._handle = this.engine.registerContext(this._context);
      } catch (e) {
        this._handle = INVALID;
        const text = message(e);
        this.logOnce.log('warn', `context:${text}`, `invalid context (${text}); serving flag defaults for it`);
      }
    }
    return this._handle;
  }


  private _release(): void {
    const handle = this._handle;
    this._handle = UNREGISTERED;
    if (handle > 0) this.engine.releaseContext(handle);
  }
}
