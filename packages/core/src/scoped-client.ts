import { validatedContext } from '@avsb/common';
import type { AvsbEngine } from '@avsb/engine';
import { packedInExperiment, packedReasonKind, packedVariation, sharedDetail } from '@avsb/engine';
import type { AvsbContext, ValidatedContext } from './context';
import type { DatafileStore } from './datafile-store';
import type { EventRecorder } from './event-recorder';
import type { FlagDetail, JsonValue } from './flag-detail';
import { ENGINE_FAULT, WRONG_TYPE } from './flag-detail';
import type { AllFlagsOptions, TrackOptions, ValueType } from './scoped-client-support';
import { describeError as message } from '@avsb/common';
import { collectFlagsReusing, emptyFlags, logClosedUse, logWrongType, trackRecord } from './scoped-client-support';
import type { ReadHost } from './read-detail';
import { CLOSED, INVALID, UNREGISTERED, failedRead, readDetail } from './read-detail';
import type { MaybeDisposable } from './disposable';
import { DISPOSE } from './disposable';
import type { HookRunner } from './hook-runner';
import type { ReleaseBackstop, Watch } from './release-backstop';
import type { IdentityCache } from './identity-cache';
import { ExposureMarks } from './scoped-client-marks';

/** What a scoped client needs from the client that made it. */
export interface ScopeHost extends ReadHost {
  /** The datafile being served (readiness, revision, client-side marks). */
  readonly store: DatafileStore;
  /** The engine that evaluates for the store's datafile. */
  readonly engine: AvsbEngine;
  readonly events: EventRecorder | null;
  /** Releases handles of scoped clients that were never closed (a backstop), or `null`. */
  readonly backstop: ReleaseBackstop | null;
  /** Validations of contexts registered lately, by handle (a server's), or `null`/absent: each scoped client validates its own. */
  readonly identities?: IdentityCache | null;
  /** `true` once the client is closed: its scoped clients, old and new, serve defaults and record nothing. */
  readonly closed: boolean;
  /** The client's hooks, or `null` while it has none (reads then pay one test for them). */
  readonly hooks: HookRunner | null;
}

export type { AllFlagsOptions, TrackOptions } from './scoped-client-support';

/**
 * Flag reads and `track` for one context: what `req.avsb` and
 * `server.forUser(context)` return. Nothing here throws: a missing flag, a
 * wrong type, an invalid context or a client without a datafile returns the
 * caller's default (the `…Details` reads say why). A key the datafile lacks
 * is logged at `warn` once per key, naming the nearest existing key.
 *
 * The context is registered with the engine on the first read and released by
 * `close()` (or `using`); a `FinalizationRegistry` releases forgotten ones
 * (see `ReleaseBackstop`).
 * Every read is recorded in the event pipeline (counted; sent as an exposure
 * when it puts the context in an experiment).
 *
 * Once this client is closed, or the client that made it (`server.close()`),
 * reads return the caller's default with reason `ERROR`/`CLIENT_CLOSED`,
 * `allFlags()` is empty and `track()` is dropped: nothing is recorded or
 * sent, and the engine is not asked (logged once at `warn`).
 */
export class ScopedClient {
  /** The context this client evaluates for (as given; do not mutate it). */
  readonly context: AvsbContext;
  private readonly _host: ScopeHost;
  private readonly _store: DatafileStore;
  private readonly _engine: AvsbEngine;
  private readonly _events: EventRecorder | null;
  /** The recorder only counts reads outside experiments: the hot path skips building their records. */
  private readonly _countOnly: boolean;
  private _handle = UNREGISTERED;
  /** The backstop's note of the handle, while it is held. */
  private _watch: Watch | null = null;
  /** The context's validation, worked out once for the events that need its keys. */
  private _identity: ValidatedContext | undefined = undefined;
  /** The recorder marks exposures (`repeatExposure`): a read in an experiment the context was exposed to is only counted. */
  private readonly _marks: boolean;
  /** Reads in an experiment recorded so far, up to {@link MARK_AFTER}: a request's first few are recorded unmarked. */
  private _experimentReads = 0;
  /** The exposures recorded under the recorder's last mark, once past {@link MARK_AFTER}. */
  private _marked: ExposureMarks | null = null;

  constructor(host: ScopeHost, context: AvsbContext) {
    this._host = host;
    this._store = host.store;
    this._engine = host.engine;
    this._events = host.events;
    this._countOnly = host.events !== null && host.events.recordsEveryRead === false && typeof host.events.countEvaluation === 'function';
    this._marks = typeof host.events?.repeatExposure === 'function';
    this.context = context;
  }

  getBoolFlag(key: string, defaultValue: boolean): boolean {
    return this._value(key, defaultValue, 'boolean') as boolean;
  }

  getStringFlag(key: string, defaultValue: string): string {
    return this._value(key, defaultValue, 'string') as string;
  }

  getNumberFlag(key: string, defaultValue: number): number {
    return this._value(key, defaultValue, 'number') as number;
  }

  /** Any JSON value; `T` is the caller's promise about its shape (not checked). */
  getJsonFlag<T = JsonValue>(key: string, defaultValue: T): T {
    return this._value(key, defaultValue, null) as T;
  }

  getBoolFlagDetails(key: string, defaultValue: boolean): FlagDetail<boolean> {
    return this._detail(key, defaultValue, 'boolean');
  }

  getStringFlagDetails(key: string, defaultValue: string): FlagDetail<string> {
    return this._detail(key, defaultValue, 'string');
  }

  getNumberFlagDetails(key: string, defaultValue: number): FlagDetail<number> {
    return this._detail(key, defaultValue, 'number');
  }

  getJsonFlagDetails<T = JsonValue>(key: string, defaultValue: T): FlagDetail<T> {
    return this._detail(key, defaultValue, null);
  }

  /**
   * The value of every flag that serves a variation to this context, by key:
   * for bootstrapping a browser or debugging. `{ clientSideOnly: true }`
   * keeps only flags marked `clientSide`. Records no exposures (the browser
   * records its own when it reads). Empty once closed.
   *
   * The result is an object without a prototype (`Object.create(null)`), so a
   * flag keyed `__proto__`, `constructor` or `toString` is a member like any
   * other and no member comes from `Object.prototype`: `all[key]`,
   * `Object.keys(all)`, `key in all`, spreading and `JSON.stringify(all)` work
   * as with a plain object; call `Object.hasOwn(all, key)` rather than
   * `all.hasOwnProperty(key)`.
   */
  allFlags(options: AllFlagsOptions = {}): Record<string, JsonValue> {
    const out = emptyFlags();
    try {
      if (this._isClosed()) this._closedUse();
      else if (this._store.ready) {
        const handle = this._ensureHandle();
        if (handle > 0) collectFlagsReusing(out, this._store, this._engine, handle, options);
      }
    } catch (e) {
      this._host.logOnce.log('error', `allFlags:${message(e)}`, `allFlags failed: ${message(e)}; returning what it had`);
    }
    return out;
  }

  /** Records a custom event for this context, e.g. `track('purchase', { value: 149.99 })`. */
  track(eventKey: string, options?: TrackOptions): void {
    try {
      const events = this._events;
      const hooks = this._host.hooks;
      if (events === null && hooks === null) return;
      if (this._isClosed()) return this._closedUse();
      const record = trackRecord(this._host.logOnce, this.context, this._validated(), eventKey, options);
      if (record === undefined) return;
      events?.recordCustom(record);
      hooks?.afterTrack(record);
    } catch (e) {
      this._host.logOnce.log('error', `track:${message(e)}`, `track() failed: ${message(e)}`);
    }
  }

  /**
   * Releases the context's engine handle. Safe to call again. Afterwards
   * reads return the caller's default (reason `ERROR`/`CLIENT_CLOSED`) and
   * `track()` drops its event: nothing more is recorded for this client.
   */
  close(): void {
    const handle = this._handle;
    this._handle = CLOSED;
    if (handle > 0) {
      try {
        const watch = this._watch;
        this._watch = null;
        if (watch !== null) this._host.backstop!.released(watch);
        this._engine.releaseContext(handle);
      } catch {
        // releasing is best effort
      }
    }
  }

  /** Whether this client or its host is closed (reads serve defaults and record nothing). */
  private _isClosed(): boolean {
    return this._handle === CLOSED || this._host.closed;
  }

  private _closedUse(): void {
    logClosedUse(this._host.logOnce, this._host.closed);
  }

  private _ensureHandle(): number {
    const handle = this._handle;
    return handle > 0 || handle === INVALID || handle === CLOSED ? handle : this._register();
  }

  private _register(): number {
    try {
      const handle = this._engine.registerContext(this.context);
      this._handle = handle;
      const backstop = this._host.backstop;
      if (backstop !== null) this._watch = backstop.watch(this, handle);
      return handle;
    } catch (e) {
      this._handle = INVALID;
      const text = message(e);
      this._host.logOnce.log('warn', `context:${text}`, `invalid context (${text}); serving flag defaults for it`);
      return INVALID;
    }
  }

  /** A read of a key the datafile lacks: logged once per key, naming the nearest existing key. */
  private _missing(key: string): string {
    return this._host.misses.miss(key, this._store);
  }

  /** Records a read with `recordExposure`: what the recorder returns (a mark, for a recorder that marks). */
  private _expose(flag: string, variation: number | null, reason: string, inExperiment: boolean): number | void {
    const events = this._events;
    // an invalid context cannot be attributed (it was logged once already)
    if (events === null || this._handle === INVALID) return;
    // one object shape for every read; the recorder needs the context's keys only for exposures it sends
    const identity = inExperiment || !this._countOnly ? this._validated() : undefined;
    return events.recordExposure({ flag, variation, reason, inExperiment, context: this.context, identity, revision: this._store.revisionOrUndefined });
  }

  /**
   * A served read the recorder does not only count (in an experiment, or every read with `exposures: "all"`). One in
   * an experiment that this client recorded before, under a mark that still holds, is counted by `repeatExposure`
   * instead: the recorder skips validating the context, hashing its key and looking the exposure up.
   */
  private _exposeServed(events: EventRecorder, key: string, index: number, variation: number, packed: number): void {
    const inExperiment = packedInExperiment(packed);
    const marked = this._marked;
    if (inExperiment && marked !== null && marked.has(key, variation) && events.repeatExposure!(marked.mark, key, variation, index)) return;
    const mark = this._expose(key, variation, packedReasonKind(packed), inExperiment);
    if (!inExperiment || !this._marks || typeof mark !== 'number' || mark < 0) return;
    // a client that reads few flags in experiments (a request's) would pay for marks it never uses
    if (marked !== null) marked.note(mark, key, variation);
    else if (++this._experimentReads > MARK_AFTER) (this._marked = new ExposureMarks()).note(mark, key, variation);
  }

  private _validated(): ValidatedContext | undefined {
    let identity = this._identity;
    if (identity === undefined) {
      const handle = this._handle;
      const cache = handle > 0 ? (this._host.identities ?? null) : null;
      identity = cache?.get(handle, this.context);
      if (identity === undefined) {
        const result = validatedContext(this.context);
        if (!result.valid) return undefined;
        identity = result;
        cache?.put(handle, result);
      }
      this._identity = identity;
    }
    return identity;
  }

  /** The hot path: no allocation but the exposure record; failures are logged and return the default. */
  private _value(key: string, defaultValue: unknown, type: ValueType): unknown {
    const hooks = this._host.hooks;
    if (hooks !== null) return this._hooked(key, defaultValue, type, false, hooks);
    try {
      const handle = this._handle;
      if (handle > 0 && this._store.ready && !this._host.closed) {
        const index = this._engine.flagIndex(key);
        if (index >= 0) return this._served(key, index, this._engine.evaluateIndex(handle, index), defaultValue, type);
      }
      return this._slowValue(key, defaultValue, type);
    } catch (e) {
      return failedRead(this._host.logOnce, key, e, defaultValue).value;
    }
  }

  /** Before an evaluation: first read, not ready, closed, invalid context, unknown flag. */
  private _slowValue(key: string, defaultValue: unknown, type: ValueType): unknown {
    if (this._isClosed()) return (this._closedUse(), defaultValue);
    if (!this._store.ready) {
      this._expose(key, null, 'ERROR', false);
      return defaultValue;
    }
    const handle = this._ensureHandle();
    const index = handle < 0 ? -1 : this._engine.flagIndex(key);
    if (index < 0) {
      if (handle > 0) this._missing(key);
      this._expose(key, null, 'ERROR', false);
      return defaultValue;
    }
    return this._served(key, index, this._engine.evaluateIndex(handle, index), defaultValue, type);
  }

  /**
   * What a read returns and records for the packed result of its one
   * evaluation. Inlined into every reader, where TurboFan counts all of its
   * bytecode against one budget: what is rare (no variation, a wrong type)
   * is `_unserved`'s, so that the event pipeline's counting fits in too.
   */
  private _served(key: string, index: number, packed: number, defaultValue: unknown, type: ValueType): unknown {
    const variation = packedVariation(packed);
    const value = variation < 0 ? undefined : this._engine.variationValue(index, variation);
    if (variation < 0 || !ofType(value, type)) return this._unserved(key, index, packed, value, defaultValue, type);
    this._count(key, index, variation, packed);
    return value;
  }

  /** Records a read that served `variation` of flag `index` (a read with hooks records it here too). */
  private _count(key: string, index: number, variation: number, packed: number): void {
    const events = this._events;
    if (events !== null) {
      const inExperiment = packedInExperiment(packed);
      if (this._countOnly && !inExperiment) events.countEvaluation!(key, variation, index);
      else this._exposeServed(events, key, index, variation, packed);
    }
  }

  /**
   * A read of flag `index` that serves the default: the engine served no variation (a flag that is off without an
   * off variation: a returning read in every datafile that keeps one), or one of another type (logged once).
   */
  private _unserved(key: string, index: number, packed: number, value: unknown, defaultValue: unknown, type: ValueType): unknown {
    const none = packedVariation(packed) < 0;
    if (!none) logWrongType(this._host.logOnce, key, type, value);
    // counted by the flag's index as a served read outside an experiment is, rather than built into a record the
    // recorder checks and counts by key (≈ 1 read in 20 of the bench's)
    if (this._countOnly) this._events!.countEvaluation!(key, null, index);
    else this._expose(key, null, none ? packedReasonKind(packed) : 'ERROR', false);
    return defaultValue;
  }

  private _detail<T>(key: string, defaultValue: T, type: ValueType): FlagDetail<T> {
    const hooks = this._host.hooks;
    return hooks === null ? this._evaluate(key, defaultValue, type) : (this._hooked(key, defaultValue, type, true, hooks) as FlagDetail<T>);
  }

  /**
   * A read of a client with hooks: its detail is worked out for them, whatever the read returns (`details`: the
   * detail itself, else its value).
   */
  private _hooked(key: string, defaultValue: unknown, type: ValueType, details: boolean, hooks: HookRunner): unknown {
    // a read from inside a hook calls no hooks
    if (hooks.busy) {
      const detail = this._evaluate(key, defaultValue, type);
      return details ? detail : detail.value;
    }
    // the list this read started with: a hook added meanwhile (by a hook) starts with the next read
    const list = hooks.list;
    const series = hooks.series(this.context, key, defaultValue, type, details, this._store.revision);
    const data = hooks.before(list, series);
    // a `…Details` read makes the caller's detail as without hooks, and the hooks get a copy of it
    const detail = details ? this._evaluate(key, defaultValue, type) : this._hookedDetail(key, defaultValue, type);
    const result = details ? detail : detail.value;
    hooks.after(list, series, data, detail, details);
    return result;
  }

  /**
   * The detail a typed read with hooks hands them (the read returns its value). A ready read of a known flag that
   * serves a variation goes the way of a read without hooks (the key's index, one evaluation, the summary's count
   * by index) and hands the engine's shared detail of that result: frozen, made once per flag and result, so no
   * object is made for it and a hook that keeps it sees it unchanged. The rest is `_evaluate`'s fresh detail.
   */
  private _hookedDetail(key: string, defaultValue: unknown, type: ValueType): FlagDetail<unknown> {
    try {
      // the first read of a scoped client registers its context here, as `_slowValue` does without hooks
      const handle = this._store.ready && !this._isClosed() ? this._ensureHandle() : UNREGISTERED;
      if (handle > 0) {
        const index = this._engine.flagIndex(key);
        if (index >= 0) {
          const packed = this._engine.evaluateIndex(handle, index);
          const detail = sharedDetail(this._engine, index, packed) as FlagDetail<unknown> | null;
          const variation = packedVariation(packed);
          if (detail !== null && variation >= 0 && ofType(detail.value, type)) {
            this._count(key, index, variation, packed);
            return detail;
          }
          return this._hookedUnserved(key, index, packed, detail, defaultValue, type);
        }
      }
    } catch (e) {
      return failedRead(this._host.logOnce, key, e, defaultValue);
    }
    return this._evaluate(key, defaultValue, type);
  }

  /** No variation or one of another type (rare, and kept off `_hookedDetail`'s inlined bytecode): as `readDetail`. */
  private _hookedUnserved(key: string, index: number, packed: number, detail: FlagDetail<unknown> | null, defaultValue: unknown, type: ValueType): FlagDetail<unknown> {
    // recorded (and a wrong type logged once) as without hooks
    this._unserved(key, index, packed, detail?.value, defaultValue, type);
    const reason = packedVariation(packed) < 0 ? (detail?.reason ?? ENGINE_FAULT) : WRONG_TYPE;
    return { value: defaultValue, variationIndex: null, reason, inExperiment: false };
  }

  private _evaluate<T>(key: string, defaultValue: T, type: ValueType): FlagDetail<T> {
    try {
      const handle = this._isClosed() ? CLOSED : this._store.ready ? this._ensureHandle() : UNREGISTERED;
      const detail = readDetail(this._host, handle, key, defaultValue, type);
      if (handle === CLOSED) this._closedUse();
      else this._expose(key, detail.variationIndex, detail.reason.kind, detail.inExperiment);
      return detail;
    } catch (e) {
      return failedRead(this._host.logOnce, key, e, defaultValue);
    }
  }
}

/** Reads in an experiment after which a scoped client starts to mark them: more than most requests make. */
const MARK_AFTER = 4;

/**
 * Whether a read of `type` may serve `value` (`null`: any value but
 * `undefined`). Each `typeof` is compared with a literal, which V8 compiles
 * into a type check; `typeof value === type` calls its generic `typeof`
 * stub on every read (≈ 2 % of a request).
 */
function ofType(value: unknown, type: ValueType): boolean {
  return type === 'boolean'
    ? typeof value === 'boolean'
    : type === 'string'
      ? typeof value === 'string'
      : type === 'number'
        ? typeof value === 'number'
        : value !== undefined;
}

export interface ScopedClient extends MaybeDisposable {}

if (DISPOSE !== undefined) {
  Object.defineProperty(ScopedClient.prototype, DISPOSE, {
    value: function (this: ScopedClient) {
      this.close();
    },
    writable: true,
    configurable: true,
  });
}
