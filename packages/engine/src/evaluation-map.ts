import type { PageEngine } from './engine';
import type { EvaluationDetail } from './evaluation';
import { ENGINE_FAULT_RESULT } from './evaluation';
import type { FlagTable } from './flag-table';
import { decodeResult, interned } from './flag-table';

/**
 * Evaluates every flag for one registered context in one engine call:
 * details by flag key, in flag index order. A read-only map of the shared,
 * frozen detail of each flag's result (one per distinct result of a flag,
 * made the first time the flag gives it); a later call, load or release
 * never changes it. Reading every flag through it is quicker than one
 * `engine.evaluate` per flag. (A function rather than a method of the
 * engine, so that a page that does not use it does not bundle it.)
 */
export function evaluateAll(engine: PageEngine, handle: number): ReadonlyMap<string, EvaluationDetail> {
  const table = engine._view;
  if (table === null) return new EvaluationMap(null, []);
  const n = table._flags.length;
  const results = engine._evaluateAll(handle, n);
  const shared = (table._details ??= new SharedDetails(table));
  // the details looked up here, in one loop over the engine's results, rather than on each read: 4 % less time to
  // read all 20 flags of the bench's workload, and no copy of the results to keep
  const details = new Array<EvaluationDetail>(n);
  for (let i = 0; i < n; i++) details[i] = shared._detail(i, results === null ? ENGINE_FAULT_RESULT : results[i]!);
  return new EvaluationMap(shared, details);
}

/**
 * The shared, frozen detail of a packed result of flag `index` (one of those
 * `evaluateAll`'s maps hold), or `null` without a datafile. For a host that
 * hands a detail to code that may keep it (a scoped client's evaluation
 * hooks): no object is made per read, and none can be changed.
 */
export function sharedDetail(engine: PageEngine, index: number, packed: number): EvaluationDetail | null {
  const table = engine._view;
  return table === null ? null : (table._details ??= new SharedDetails(table))._detail(index, packed);
}

/**
 * What `evaluateAll` answers: every flag's detail by key, in flag index
 * order, read-only. A `Map` of 20 fresh details costs V8 more to build than
 * the 19 engine calls it saves, so this holds an array of the table's shared
 * (frozen) details and finds a key through the table. It holds the datafile
 * of its call: a later call, load or release never changes what it answers.
 */
export class EvaluationMap implements ReadonlyMap<string, EvaluationDetail> {
  /** The flag index `get` tries first: the one after the flag it read last. */
  private _next = 0;

  /** `shared` is null only without a datafile, and then `details` is empty. */
  constructor(
    private readonly _shared: SharedDetails | null,
    private readonly _all: readonly EvaluationDetail[],
  ) {}

  get size(): number {
    return this._all.length;
  }

  has(key: string): boolean {
    return this._shared !== null && this._shared._table._indexOf(key) >= 0;
  }

  get(key: string): EvaluationDetail | undefined {
    const shared = this._shared;
    if (shared === null) return undefined;
    // A reader walking the flags in their order (as iteration does) asks for
    // the flag after the last one read: that flag's key is compared, not
    // hashed. The table's key is interned, so V8 compares it with a literal
    // by address (and with any other string by its text).
    let i = this._next;
    if (i >= this._all.length || shared._keys[i] !== key) {
      i = shared._table._indexOf(key);
      if (i < 0) return undefined;
    }
    this._next = i + 1;
    return this._all[i]!;
  }

  forEach(fn: (detail: EvaluationDetail, key: string, map: ReadonlyMap<string, EvaluationDetail>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this._all.length; i++) fn.call(thisArg, this._all[i]!, this._key(i), this);
  }

  // Array iterators, not generators: V8 runs a for…of over an array's iterator several times faster.
  entries(): MapIterator<[string, EvaluationDetail]> {
    const out = new Array<[string, EvaluationDetail]>(this._all.length);
    for (let i = 0; i < out.length; i++) out[i] = [this._key(i), this._all[i]!];
    return out.values();
  }

  keys(): MapIterator<string> {
    const out = new Array<string>(this._all.length);
    for (let i = 0; i < out.length; i++) out[i] = this._key(i);
    return out.values();
  }

  values(): MapIterator<EvaluationDetail> {
    return this._all.values();
  }

  [Symbol.iterator](): MapIterator<[string, EvaluationDetail]> {
    return this.entries();
  }

  private _key(i: number): string {
    return this._shared!._table._flags[i]!.key;
  }
}

/** Slots per flag in the shared details' flat arrays (a power of two): room for this many distinct results. */
const SLOTS = 8;
/** An empty slot: no packed result has reason bits 7. */
const EMPTY = -1;

/**
 * What every `evaluateAll` map over one flag table shares: the detail of
 * each result a flag gave, made the first time it gives it and shared from
 * then on (frozen), and the flags' keys as `get` compares them.
 * @internal Kept by the table (`FlagTable._details`).
 */
export class SharedDetails {
  /** The flags' keys, interned (`interned`). */
  readonly _keys: string[];
  /**
   * A flag gives few distinct results (they differ in variation, reason and
   * rule only): flag `f`'s first {@link SLOTS} and their details sit in
   * slots `f * SLOTS` on of these flat arrays, each at the slot its bits
   * hash to (or the next free one), so that finding one is, most often, one
   * comparison: cheaper in V8 than a `Map` look-up or a scan.
   */
  private readonly _hashed: number[];
  private readonly _slots: EvaluationDetail[];
  /** By flag, its results past the first {@link SLOTS}. */
  private readonly _more: (Map<number, EvaluationDetail> | undefined)[] = [];

  constructor(readonly _table: FlagTable) {
    const n = _table._flags.length;
    this._keys = interned(_table._flags.map((f) => f.key));
    this._hashed = new Array<number>(n * SLOTS).fill(EMPTY);
    this._slots = new Array<EvaluationDetail>(n * SLOTS);
  }

  /** The shared detail of a packed result of flag `flag`. */
  _detail(flag: number, packed: number): EvaluationDetail {
    const seen = this._hashed;
    // variation (bits 0-2), reason (12-14 → 1-3) and rule (16-18) mixed
    const at = flag * SLOTS;
    let h = packed ^ (packed >>> 11) ^ (packed >>> 16);
    for (let k = 0; k < SLOTS; k++, h++) {
      const slot = at + (h & (SLOTS - 1));
      const r = seen[slot];
      if (r === packed) return this._slots[slot]!;
      if (r === EMPTY) return this._miss(flag, packed, slot);
    }
    return this._miss(flag, packed, -1);
  }

  private _miss(flag: number, packed: number, slot: number): EvaluationDetail {
    let more = this._more[flag];
    let detail = more?.get(packed);
    if (detail === undefined) {
      detail = Object.freeze(decodeResult(this._table, flag, packed));
      if (slot >= 0) {
        this._hashed[slot] = packed;
        this._slots[slot] = detail;
      } else (more ??= this._more[flag] = new Map()).set(packed, detail);
    }
    return detail;
  }
}
