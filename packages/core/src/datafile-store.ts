import type { AvsbEngine, PageEngine } from '@avsb/engine';
import { isCompiledDatafile, loadCompiled, loadDatafile } from '@avsb/engine';
import type { Datafile, DeleteUpdate, PatchUpdate } from './datafile-format';
import { changedFlagKeys } from './changed-flag-keys';
import type { Logger } from './platform';

/**
 * What an update did: `applied` (loaded), `unchanged` (nothing to do),
 * `stale` (a patch or delete whose revision is not the next one: refetch the
 * datafile), `refused` (the engine rejected it; the previous datafile keeps
 * serving).
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
   * of the object. It is not kept.
   */
  text?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Holds the datafile one engine serves (it evaluates nothing itself: an
 * `AvsbEngine`, or a page's `PageEngine`, which has no `load` method),
 * a JSON datafile or, for an engine on `avsb-evaluator.wasm`, a compiled
 * datafile document (whose flags the store reads as a datafile's; patches
 * to it are `stale`, so its source fetches the next one):
 * applies full datafiles (`put`) and partial updates (`patch`, `delete`, only
 * when their revision is exactly the next one), loads each into the engine,
 * and tells listeners which flag keys changed. An update the engine refuses is
 * logged with the engine's message (its JSON path) and the previous datafile
 * keeps serving.
 *
 * The datafile is held once on the host side: the object given to `put` (or
 * built by `patch`/`delete`) is what the engine's flag table serves variation
 * values from and what it reloads after a trap; nothing parses it again.
 */
export class DatafileStore<E extends PageEngine = AvsbEngine> {
  private readonly _engine: E;
  private readonly _logger: Logger;
  private _datafile: Datafile | null = null;
  private _generation = 0;
  private _revision: number | undefined = undefined;
  private _clientSide: boolean[] | null = null;
  private readonly _listeners = new Set<UpdateListener>();

  constructor(engine: E, logger: Logger) {
    this._engine = engine;
    this._logger = logger;
  }

  /**
   * The engine this store loads into.
   * @deprecated Keep the engine you constructed the store with; scoped clients get it from their host.
   */
  get engine(): E {
    return this._engine;
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
    const r = this._datafile?.revision;
    return typeof r === 'number' ? r : null;
  }

  /** The served revision, or `undefined` (for event records). */
  get revisionOrUndefined(): number | undefined {
    return this._revision;
  }

  /** Increases with every datafile loaded; flag indexes are valid within one generation. */
  get generation(): number {
    return this._generation;
  }

  /** Whether the flag at `index` is delivered to client-side keys. */
  isClientSide(index: number): boolean {
    if (this._clientSide === null) {
      this._clientSide = (this._datafile?.flags ?? []).map((f) => f.clientSide === true);
    }
    return this._clientSide[index] === true;
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
    if (!isObject(datafile)) {
      this._logger.error(`refused a datafile (${options.source ?? 'put'}): datafile: must be a JSON object${this._serving()}`);
      return 'refused';
    }
    const next = datafile as unknown as Datafile;
    if (options.onlyIfNewer === true) {
      const current = this.revision;
      const incoming = typeof next.revision === 'number' ? next.revision : null;
      if (current !== null && incoming !== null && incoming <= current) return 'unchanged';
    }
    return this._load(next, options.source ?? 'put', options.text);
  }

  /**
   * `put` of a copy of `datafile`, for an object its owner keeps using (an
   * application's initial datafile): serialised once, parsed once, and the
   * engine reads that same text.
   */
  putCopy(datafile: object, options: PutOptions = {}): UpdateResult {
    let text: string;
    let copy: unknown;
    try {
      text = JSON.stringify(datafile);
      copy = JSON.parse(text);
    } catch {
      return this.put(datafile, options); // the engine refuses it with the reason
    }
    return this.put(copy, { ...options, text });
  }

  /** Replaces or adds one flag or segment; `stale` unless `revision` is the current one plus one. */
  patch(update: PatchUpdate): UpdateResult {
    const value = update.value;
    const valid = isObject(value) && (update.kind === 'flag' || update.kind === 'segment');
    return this._edit(update, 'patch', valid ? null : 'it needs a kind and a value object', (items) => {
      const out = items.slice();
      const item = (value.key === update.key ? value : { ...value, key: update.key }) as (typeof items)[number];
      const i = out.findIndex((it) => it.key === update.key);
      if (i < 0) out.push(item);
      else out[i] = item;
      return out;
    });
  }

  /** Removes one flag or segment; `stale` unless `revision` is the current one plus one. */
  delete(update: DeleteUpdate): UpdateResult {
    const valid = update.kind === 'flag' || update.kind === 'segment';
    return this._edit(update, 'delete', valid ? null : 'unknown kind', (items) => items.filter((it) => it.key !== update.key));
  }

  /** A patch or delete: `edit` makes the new flags or segments from the old, at the next revision only. */
  private _edit(
    update: PatchUpdate | DeleteUpdate,
    what: string,
    problem: string | null,
    edit: <T extends { key: string }>(items: readonly T[]) => T[],
  ): UpdateResult {
    const base = this._datafile;
    const current = this.revision;
    // a compiled datafile (docs/compiled-datafile.md of @avsb/engine) cannot be edited: its source fetches the next one
    if (base === null || current === null || update.revision !== current + 1 || isCompiledDatafile(base)) return 'stale';
    if (problem !== null) {
      this._logger.error(`refused a ${what} (revision ${update.revision}): ${problem}${this._serving()}`);
      return 'refused';
    }
    const next: Datafile = { ...base, revision: update.revision };
    if (update.kind === 'flag') next.flags = edit(base.flags);
    else next.segments = edit(base.segments ?? []);
    return this._load(next, `${what} of ${update.kind} ${update.key}`);
  }

  private _serving(): string {
    if (this._datafile === null) return '; no datafile is loaded yet';
    const r = this.revision;
    return r === null ? '; the previous datafile keeps serving' : `; still serving revision ${r}`;
  }

  private _load(next: Datafile, source: string, text?: string): UpdateResult {
    let result;
    try {
      // the engine reads text and builds its flag table from `next` itself: one object, no second parse;
      // JSON through an AvsbEngine's `load` (which an application may wrap), or a page's PageEngine's loadDatafile
      const engine: PageEngine & Partial<Pick<AvsbEngine, 'load'>> = this._engine;
      if (isCompiledDatafile(next)) result = loadCompiled(engine, next);
      else result = engine.load !== undefined ? engine.load(text ?? next, next) : loadDatafile(engine, text ?? next, next);
    } catch (e) {
      result = { ok: false as const, error: `datafile: ${(e as Error).message}` };
    }
    if (!result.ok) {
      this._logger.error(`refused a datafile (${source}): ${result.error}${this._serving()}`);
      return 'refused';
    }
    // the engine works around problems inside flags (a clause that never matches, a MALFORMED_FLAG); say so once
    if (result.warningCount > 0) this._logger.warn(`datafile (${source}) has ${result.warningCount} problem(s) the engine works around: ${result.warnings.map((w) => `${w.path}: ${w.message}`).join('; ')}`);
    const previous = this._datafile;
    this._datafile = next;
    this._revision = typeof next.revision === 'number' ? next.revision : undefined;
    this._generation++;
    this._clientSide = null;
    let changed: string[];
    try {
      changed = changedFlagKeys(previous, next);
    } catch {
      changed = next.flags.map((f) => f.key);
    }
    if (changed.length === 0 && previous !== null) return 'unchanged';
    this._logger.debug(`loaded datafile revision ${this.revision ?? '(none)'} (${source}); changed: ${changed.join(', ')}`);
    for (const listener of this._listeners) {
      try {
        listener(changed, source);
      } catch (e) {
        this._logger.error(`an update listener threw: ${(e as Error)?.message ?? String(e)}`);
      }
    }
    return 'applied';
  }
}

/** @deprecated Renamed {@link DatafileStore}: it holds the datafile, the engine evaluates. */
export const Evaluator = DatafileStore;
/** @deprecated Renamed {@link DatafileStore}. */
export type Evaluator = DatafileStore;
