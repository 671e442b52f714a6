import type { LoadResult, PageEngine } from '@avsb/engine';
import { isCompiledDatafile, loadCompiled } from '@avsb/engine';
import { describeError, isObject } from '@avsb/common';
import type { Datafile, FlagDefinition, SegmentDefinition } from './datafile-format';
import { changedFlagsOnly } from './changed-flag-keys';
import type { Logger } from './platform';

/**
 * What an update did: `applied` (loaded), `unchanged` (nothing to do),
 * `stale` (a patch or delete whose revision is not the next one, or one a
 * page's store does not apply: refetch the datafile), `refused` (the engine
 * rejected it; the previous datafile keeps serving).
 */
export type UpdateResult = 'applied' | 'unchanged' | 'stale' | 'refused';

/**
 * Called after a datafile is loaded that changed flag definitions, and after
 * the first one (which reports every key, if any): `source` is where it came
 * from (`PutOptions.source`, or `patch of flag …`).
 */
export type UpdateListener = (changedKeys: string[], source: string) => void;

export interface PutOptions {
  /** Ignore a datafile whose revision is not newer than the current one (refetches). */
  onlyIfNewer?: boolean;
  /** Where it came from, for logs and update listeners: `'stream'`, `'poll'`, `'initial datafile'`… (default `'put'`) */
  source?: string;
  /**
   * The JSON text the datafile was parsed from, when the caller has it (the
   * body as received): the engine reads it as is instead of a serialisation
   * of the object. An engine created with `lazyFlags` keeps it until the
   * next load (each flag is parsed from its slice on first read, and a
   * server's store compares flags by their texts).
   */
  text?: string;
}

/**
 * Loads a JSON datafile into a page's engine (`loadDatafile` of `@avsb/engine`): given to a `JsonPageStore`, the store
 * of a page that may be handed JSON datafiles, so that a page on compiled datafiles alone does not bundle the JSON load path.
 */
export type JsonLoader = (engine: PageEngine, datafile: string | object, parsed?: object) => LoadResult;

// the datafile store's checks of an update's parts too (one definition, @avsb/common's, which the context rules use)
export { isObject };

/**
 * Holds the datafile one engine serves, replaced whole (`put`): what a web
 * page's client needs. Its stream's `patch` and `delete` are fetched as the
 * next revision instead (one conditional request; a page on compiled
 * datafiles cannot edit them anyway), so editing a JSON datafile in place is
 * {@link DatafileStore}'s, which adds it for server SDKs.
 *
 * It evaluates nothing itself: on `avsb-evaluator.wasm` the engine serves a
 * compiled datafile document (whose flags the store reads as a datafile's).
 * This store refuses JSON datafiles; `JsonPageStore`, which a page makes
 * only when it asks for them and the servers' `DatafileStore` extends, loads
 * them (an `AvsbEngine`'s `load`, or the {@link JsonLoader} it was given),
 * so that the JSON load path is bundled only by pages that ask for it. Each datafile is loaded into the engine, and
 * listeners are told which flag keys changed. One the engine refuses is
 * logged with the engine's message (its JSON path) and the previous datafile
 * keeps serving.
 *
 * The datafile is held once on the host side: the object given to `put` is
 * what the engine's flag table serves variation values from and what it
 * reloads after a trap; nothing parses it again.
 */
/**
 * What a store reads of the datafile it holds: its revision, and its flags and segments where it tells an update's
 * changed keys. A parsed {@link Datafile} is one; so is `DatafileStore`'s stand-in for one loaded from its text alone
 * (`TextDatafile`), which works its members out when first read. A type literal, not an interface: it is read as a
 * `Datafile` where one is asked for (a type literal meets the format's index signature, an interface or a class
 * would not), and the compiler checks the stand-in's members against it.
 */
export type HeldDatafile = {
  readonly schemaVersion: 1;
  readonly revision?: number;
  readonly flags: FlagDefinition[];
  readonly segments?: SegmentDefinition[];
};

export class PageStore<E extends PageEngine = PageEngine> {
  protected readonly _engine: E;
  protected readonly _logger: Logger;
  /** The datafile served; `DatafileStore` keeps one loaded from its text as a stand-in until it is asked for. */
  protected _datafile: HeldDatafile | null = null;
  private _generation = 0;
  private _revision: number | undefined = undefined;
  private readonly _listeners = new Set<UpdateListener>();

  constructor(engine: E, logger: Logger) {
    this._engine = engine;
    this._logger = logger;
  }

  /** Whether a datafile is loaded (flag reads can be answered). */
  get ready(): boolean {
    return this._datafile !== null;
  }

  /** The datafile being served (do not mutate it), or `null`. */
  get datafile(): Datafile | null {
    return this._datafile;
  }

  /** The served datafile's revision, or `null`. */
  get revision(): number | null {
    return this._revision ?? null;
  }

  /** The served revision, or `undefined` (for event records). */
  get revisionOrUndefined(): number | undefined {
    return this._revision;
  }

  /** Increases with every datafile loaded; flag indexes are valid within one generation. */
  get generation(): number {
    return this._generation;
  }

  /** Calls `listener` with the changed flag keys after every change and the first datafile; returns an unsubscribe function. */
  onUpdate(listener: UpdateListener): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  /**
   * Replaces the whole datafile. The store takes `datafile` over: do not
   * mutate it afterwards (its variation values are frozen where they are).
   */
  put(datafile: unknown, options: PutOptions = {}): UpdateResult {
    const source = options.source ?? 'put';
    if (!isObject(datafile)) {
      this._logger.error(`refused a datafile (${source}): datafile: must be a JSON object${this._serving()}`);
      return 'refused';
    }
    const next = datafile as unknown as Datafile;
    // (no revision served, or none coming: compared with NaN, never older)
    if (options.onlyIfNewer === true && typeof next.revision === 'number' && next.revision <= (this._revision ?? NaN)) return 'unchanged';
    return this._load(next, source, options.text);
  }

  /** What keeps serving after a refused update, for its log line. */
  protected _serving(): string {
    if (this._datafile === null) return '; no datafile is loaded yet';
    const r = this._revision;
    return r === undefined ? '; the previous datafile keeps serving' : `; still serving revision ${r}`;
  }

  /** The keys of the flags whose evaluation may differ between the datafile served before and `next`, which the engine has just loaded. */
  protected _changed(previous: HeldDatafile | null, next: HeldDatafile): string[] {
    // a compiled document has no segments (its flags' hashes cover the ones they use)
    return changedFlagsOnly(previous, next);
  }

  /** Loads `next`, a JSON datafile (arguments as {@link _load}'s): refused here, loaded by `JsonPageStore`. */
  protected _loadJson(_next: HeldDatafile, _source: string, _text?: string, _textOnly?: boolean): LoadResult {
    return { ok: false, error: 'datafile: a JSON datafile, which this client does not load: give it a JSON loader (@avsb/browser: createClient({ jsonDatafiles }))' };
  }

  /** Loads `next` (from `text`, when given); `textOnly`: the engine builds its flag table from the text, not from `next` (a stand-in). */
  protected _load(next: HeldDatafile, source: string, text?: string, textOnly?: boolean): UpdateResult {
    let result: LoadResult;
    try {
      // the engine reads text and builds its flag table from `next` itself: one object, no second parse
      result = isCompiledDatafile(next) ? loadCompiled(this._engine, next) : this._loadJson(next, source, text, textOnly);
    } catch (e) {
      result = { ok: false as const, error: `datafile: ${(e as Error).message}` };
    }
    if (!result.ok) {
      this._logger.error(`refused a datafile (${source}): ${result.error}${this._serving()}`);
      return 'refused';
    }
    const previous = this._datafile;
    this._datafile = next;
    this._revision = typeof next.revision === 'number' ? next.revision : undefined;
    this._generation++;
    let changed: string[];
    try {
      changed = this._changed(previous, next);
    } catch {
      changed = next.flags.map((f) => f.key);
    }
    if (changed.length === 0 && previous !== null) return 'unchanged';
    this._logger.debug(`loaded datafile revision ${this.revision ?? '(none)'} (${source}); changed: ${changed.join(', ')}`);
    for (const listener of this._listeners) {
      try {
        listener(changed, source);
      } catch (e) {
        this._logger.error(`an update listener threw: ${describeError(e)}`);
      }
    }
    return 'applied';
  }
}
