// The engine and the events first, the core after them: a bundler lays modules out in this order (ESM evaluation
// order), and the events' code beside the core's gzips 20 B smaller than with the core between the engine and the
// events (size-passes.md, eighteenth pass)
import type { PageEngine } from '@avsb/engine';
import { isEvaluator } from '@avsb/engine';
import type { PageEventPipeline } from '@avsb/events/page';
import { pageEvents } from './page-events';
import type { AvsbContext, JsonValue, Logger, Platform, ReadyResult, TrackOptions } from '@avsb/core/page';
import { AvsbReadyError, LogOnce, PageCore, consoleLogger, describeError, developmentOnly, levelLogger, pagePlatform, pageDataSource, trackRecord } from '@avsb/core/page';
import { DatafileCache, pageStorage } from './datafile-cache';
import { loadEngine } from './engine-loader';
import type { BootstrapValues, BrowserFlagDetail, ValueType } from './fallback-reads';
import { copyBootstrap, fallbackDetail } from './fallback-reads';
import type { ChangeListener, ChangeReason, DatafileSource, FlagChangeListener, ReadyListener, UpdateListener } from './flag-changes';
import { FlagChanges } from './flag-changes';
import type { BrowserClientOptions } from './options';
import { AvsbConfigError, checkBaseUrl, checkClientKey, checkOptionValues, warnUnknownOptions } from './options';
import type { PageLeaving } from './page-lifecycle';
import { watchPageLeaving } from './page-lifecycle';

/**
 * The A vs B client of one page, for one context at a time (made by
 * `createClient`). Flags are evaluated in the page by the WebAssembly engine
 * against the client-side datafile; reads never throw and never wait.
 *
 * Until the engine and a datafile are loaded, reads serve the `bootstrap`
 * values (reason `BOOTSTRAP`), else the caller's default (`CLIENT_NOT_READY`).
 * A datafile cached by an earlier visit is served as soon as the engine is
 * compiled, before the network answers.
 */
export class AvsbBrowserClient {
  /** The logger this client writes to (level-filtered, keys masked). */
  readonly logger: Logger;
  private _context: AvsbContext;
  private _bootstrap: BootstrapValues | null;
  private _core: PageCore | null = null;
  private _engineError: Error | null = null;
  private _closing: Promise<void> | null = null;
  private readonly _options: BrowserClientOptions;
  private readonly _platform: Platform;
  private readonly _baseUrl: string;
  private readonly _clientKey: string;
  private readonly _events: PageEventPipeline | null;
  private readonly _cache: DatafileCache | null;
  private readonly _page: PageLeaving | null;
  private readonly _logOnce: LogOnce;
  private readonly _changes: FlagChanges;
  private readonly _started: Promise<void>;
  /** `waitForReady` calls waiting: each settles itself once the client is ready, refused, failed or closed. */
  private readonly _waiters = new Set<() => void>();

  /**
   * Prefer `createClient`, which is this with `defaultWasmUrl` beside the
   * bundle (`@avsb/browser`) or the engine inlined (`@avsb/browser/inline`).
   * `defaultWasmUrl` is where the engine is fetched from when the options
   * give neither `engine` nor `wasmUrl`; default `avsb-evaluator.wasm`
   * beside the page. Throws `AvsbConfigError` for a missing or server key
   * (then sent nowhere), a bad `baseUrl`, no context or an option value of
   * the wrong type.
   */
  constructor(options: BrowserClientOptions, defaultWasmUrl = 'avsb-evaluator.wasm') {
    const o = (typeof options === 'object' && options !== null ? options : {}) as BrowserClientOptions;
    this._clientKey = checkClientKey(o.clientKey);
    this._baseUrl = checkBaseUrl(o.baseUrl);
    if (typeof o.context !== 'object' || o.context === null) {
      throw new AvsbConfigError('createClient: context is required, e.g. { kind: "user", key: "u_1" } (an anonymous visitor needs a key too)');
    }
    checkOptionValues(o);
    this._options = o;
    const logger = (this.logger = o.logger !== undefined ? levelLogger(o.logger, { level: o.logLevel ?? 'warn' }) : consoleLogger(o.logLevel ?? 'warn'));
    developmentOnly(warnUnknownOptions)?.(o, logger);
    const platform = (this._platform = pagePlatform(logger));
    // without events nothing goes out when the page leaves: no listeners (0.1 ms of a returning visitor's start-up)
    const page = (this._page = o.events === false ? null : watchPageLeaving(() => void this._events?.flush()));
    this._events = page && pageEvents(o, platform, this._baseUrl, this._clientKey, page.leaving);
    this._cache = o.cache === false ? null : new DatafileCache(pageStorage(), this._clientKey, this._baseUrl, logger);
    this._logOnce = new LogOnce(logger);
    this._context = o.context;
    this._bootstrap = copyBootstrap(o.bootstrap);
    this._changes = new FlagChanges(logger, () => this.allFlags());
    // the URL beside the bundle is createClient's (evaluator-url.ts says why)
    this._started = loadEngine(o.engine, String(o.wasmUrl ?? defaultWasmUrl), platform).then(
      (e) => this._start(e),
      (error: unknown) => {
        this._engineError = error instanceof Error ? error : new Error(String(error));
        logger.error(`${this._engineError.message}; flag reads serve ${this._bootstrap ? 'the bootstrap values' : 'their defaults'}`);
        this._settle();
      },
    );
  }

  /** The context flags are evaluated for (switch it with `identify`). */
  get context(): AvsbContext {
    return this._context;
  }

  /** Whether flags are evaluated from a datafile (cached or live); `false` once closed. */
  get ready(): boolean {
    return this._core?.ready === true;
  }

  /** The revision of the datafile being served, or `null`. */
  get revision(): number | null {
    return this._core?.store.revision ?? null;
  }

  /** The flag's value for the context if it is a boolean, else `defaultValue`. Never throws; records the read (events). */
  getBoolFlag(key: string, defaultValue: boolean): boolean {
    return this._read(key, defaultValue, 'boolean').value;
  }

  /** The flag's value for the context if it is a string, else `defaultValue`. */
  getStringFlag(key: string, defaultValue: string): string {
    return this._read(key, defaultValue, 'string').value;
  }

  /** The flag's value for the context if it is a number, else `defaultValue`. */
  getNumberFlag(key: string, defaultValue: number): number {
    return this._read(key, defaultValue, 'number').value;
  }

  /** Any JSON value; `T` is the caller's promise about its shape (not checked). */
  getJsonFlag<T = JsonValue>(key: string, defaultValue: T): T {
    return this._read(key, defaultValue, null).value;
  }

  /** The value with its variation index, reason (`BOOTSTRAP` for a bootstrap value) and whether the read counts for an experiment. */
  getBoolFlagDetails(key: string, defaultValue: boolean): BrowserFlagDetail<boolean> {
    return this._read(key, defaultValue, 'boolean');
  }

  getStringFlagDetails(key: string, defaultValue: string): BrowserFlagDetail<string> {
    return this._read(key, defaultValue, 'string');
  }

  getNumberFlagDetails(key: string, defaultValue: number): BrowserFlagDetail<number> {
    return this._read(key, defaultValue, 'number');
  }

  getJsonFlagDetails<T = JsonValue>(key: string, defaultValue: T): BrowserFlagDetail<T> {
    return this._read(key, defaultValue, null);
  }

  /**
   * The value of every flag served to the context, by key (an object without
   * a prototype); the bootstrap values until a datafile is loaded. Records no
   * exposures.
   */
  allFlags(): Record<string, JsonValue> {
    const core = this._core;
    if (core?.ready) return core.allFlags();
    // a copy made as the bootstrap's was (an object without a prototype), or an empty one
    return (this._closing === null && copyBootstrap(this._bootstrap)) || (Object.create(null) as Record<string, JsonValue>);
  }

  /** Records a custom event for the context, e.g. `track('purchase', { value: 149.99 })`. Never throws. */
  track(eventKey: string, options?: TrackOptions): void {
    const events = this._events;
    if (this._closing !== null || events === null) return;
    // no evaluation is needed: before the engine has loaded too, the event goes to the pipeline now
    try {
      const record = trackRecord(this._logOnce, this._context, undefined, eventKey, options);
      if (record !== undefined) events.recordCustom(record);
    } catch (e) {
      this.logger.error(`track() failed: ${describeError(e)}`);
    }
  }

  /**
   * `on('ready', () => …)`: once, when flags are first evaluated from a
   * datafile (cached or live); a listener added after that is never called
   * (check `client.ready` first). `on('update', (info) => …)`: after each datafile applied,
   * with `info.source` (`cache`, `stream`, `poll`), `info.revision` and the
   * keys of the flags whose definitions changed. `on('change', (keys, info) => …)`:
   * after the values of flags for the context changed, with `info.reason`
   * (the datafile's source, or `identify`). `on('change:<flagKey>', (value, info) => …)`:
   * after that flag's value changed; type its value as the reads are typed,
   * `on<boolean>('change:checkout-v2', (on, info) => …)`, or by the listener's
   * parameter, `(theme: string | undefined) => …` (`T` is the caller's promise,
   * not checked, as `getJsonFlag<T>`'s). Each returns the function that removes
   * the listener. Order for one datafile: `update`, `change:<key>`, `change`, `ready`.
   */
  on(event: 'ready', listener: ReadyListener): () => void;
  on(event: 'update', listener: UpdateListener): () => void;
  on(event: 'change', listener: ChangeListener): () => void;
  on<T = JsonValue>(event: `change:${string}`, listener: FlagChangeListener<T>): () => void;
  on(event: string, listener: ReadyListener | UpdateListener | ChangeListener | FlagChangeListener<never>): () => void {
    return this._changes.on(event, listener);
  }

  /**
   * Switches the client to another context (a visitor who logs in) and
   * re-evaluates; change listeners hear of every flag whose value differs.
   * The bootstrap values are dropped (they were computed for the first
   * context). Resolves once the new context is evaluated (after the engine
   * has loaded); never rejects.
   */
  async identify(context: AvsbContext): Promise<void> {
    if (this._closing !== null) return;
    this._context = context;
    this._bootstrap = null;
    this._core?.identify(context);
    this._refresh('identify');
    await this._started;
  }

  /**
   * Resolves `{ ready: true, revision }` once flags are evaluated from a
   * datafile (a cached one counts), or `{ ready: false, error }` after
   * `timeoutMs` (default `startupTimeoutMs`, 5 000 ms), when the key is
   * refused (`unauthorized`), the engine could not be loaded (`engine`) or
   * the client is closed (`closed`). Never rejects.
   */
  waitForReady(options: { timeoutMs?: number } = {}): Promise<ReadyResult> {
    const limit = (ms: unknown): ms is number => typeof ms === 'number' && ms >= 0;
    const startup = this._options.startupTimeoutMs;
    const timeoutMs = limit(options?.timeoutMs) ? options.timeoutMs : limit(startup) ? startup : 5_000;
    const platform = this._platform;
    return new Promise<ReadyResult>((resolve) => {
      const settle = (result: ReadyResult | null = this._readyNow()): void => {
        if (result === null) return;
        platform.clearTimeout(timer);
        this._waiters.delete(check);
        resolve(result);
      };
      const check = (): void => settle();
      this._waiters.add(check);
      // keepAlive: the page is awaiting this (the platform clamps the delay to what timers honour)
      const timer = platform.setTimeout(
        () =>
          settle(
            this._core?.timedOut(timeoutMs) ?? {
              ready: false,
              error: new AvsbReadyError('timeout', `A vs B: the engine did not load within ${timeoutMs} ms; flag reads serve defaults meanwhile`, null),
            },
          ),
        timeoutMs,
        true,
      );
      check();
    });
  }

  /** Sends queued events now. Never rejects. */
  async flush(): Promise<void> {
    await this._events?.flush();
  }

  /**
   * Stops the data source, sends pending events (bounded by 5 s) and stops
   * for good: reads then serve defaults (`CLIENT_CLOSED`) and `track` is
   * dropped. Idempotent; never rejects.
   */
  close(): Promise<void> {
    if (this._closing === null) {
      this._page?.detach();
      this._core?.close();
      this._closing = (async () => void (await this._events?.close(5_000)))();
      this._settle();
    }
    return this._closing;
  }

  private _start(engine: PageEngine): void {
    if (this._closing !== null) return;
    // on the evaluator, compiled datafiles are asked for; JSON ones are loaded (or, on the evaluator, switch the
    // engine) only with the opt-in jsonDatafiles, so that a page on compiled datafiles does not bundle that path
    const compiled = isEvaluator(engine);
    const o = this._options;
    const platform = this._platform;
    const json = o.jsonDatafiles;
    const fallbackUrl = o.fallbackWasmUrl !== undefined ? String(o.fallbackWasmUrl) : undefined;
    const fallback = compiled && json !== undefined ? json.fallback(engine, fallbackUrl, platform, this.logger, () => core) : null;
    const dataSource = pageDataSource({
      baseUrl: this._baseUrl,
      sdkKey: this._clientKey,
      streaming: o.streaming,
      pollIntervalMs: o.pollIntervalMs,
      compiled,
      served: () => core.store.revision,
    });
    const core: PageCore = new PageCore({
      platform,
      engine,
      context: this._context,
      dataSource: fallback?.source(dataSource) ?? dataSource,
      events: this._events,
      logOnce: this._logOnce,
      keyHelp: "pass the environment's client-side key (cli-…, A vs B → Settings → Environments) as clientKey",
      settled: () => this._settle(),
      store: json?.store,
    });
    this._core = core;
    // polling names itself in put (alone or as the stream's fallback); every other update is the stream's
    core.store.onUpdate((keys, source) => this._applied(keys, source === 'cache' || source === 'poll' ? source : 'stream'));
    const cached = this._cache?.read() ?? null;
    // put, not a copy: the cache entry was parsed for this client alone, and is not parsed again
    if (cached !== null) (fallback ?? core).put(cached, { source: 'cache' });
  }

  /** What a `waitForReady` settles with now, or `null` to wait on. */
  private _readyNow(): ReadyResult | null {
    // closed first: a closed client serves only defaults, whatever it had loaded
    if (this._closing !== null) return { ready: false, error: new AvsbReadyError('closed', 'the A vs B client is closed; flag reads serve defaults (reason CLIENT_CLOSED)', null) };
    const engineError = this._engineError;
    if (engineError !== null) return { ready: false, error: new AvsbReadyError('engine', engineError.message, null) };
    return this._core?.status() ?? null;
  }

  private _settle(): void {
    for (const check of [...this._waiters]) check();
  }

  /**
   * A datafile was applied: `update` and `change` for values that differ,
   * when its flag definitions changed (a first one without flags changes
   * none); then `ready`, once.
   */
  private _applied(flagKeys: string[], source: DatafileSource): void {
    if (flagKeys.length > 0) {
      this._changes.applied({ source, revision: this.revision, flagKeys });
      this._refresh(source);
    }
    if (this.ready) this._changes.ready();
  }

  /** Tells change listeners what differs (re-evaluating every flag for the context, once one was added), and caches a new datafile. */
  private _refresh(reason: ChangeReason): void {
    const core = this._core;
    if (core !== null && core.ready) {
      this._bootstrap = null; // the live datafile takes over
      const datafile = core.store.datafile;
      if (datafile !== null) this._cache?.write(datafile, core.store.revision);
    }
    this._changes.update({ reason, revision: this.revision });
  }

  /** Reads go to the engine once a datafile is loaded, or when there is no bootstrap value to serve meanwhile. */
  private _read<T>(key: string, defaultValue: T, type: ValueType): BrowserFlagDetail<T> {
    const core = this._core;
    return core !== null && (this._bootstrap === null || core.ready)
      ? core.read(key, defaultValue, type)
      : fallbackDetail(this._bootstrap, this._closing !== null, key, defaultValue, type);
  }
}
