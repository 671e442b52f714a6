import type { FlagView, Json } from './flag-table';
import { FlagTable, interned } from './flag-table';

/**
 * A {@link FlagTable} whose key look-up first tries the flag that was looked
 * up after the previous one the last time: a request handler reads its flags
 * in the order of its code, the same order request after request, so after
 * the first request that guess is right and a read compares one key instead
 * of hashing it into the table's `Map` (≈ 6 % of a returning user's request
 * through `@avsb/node`, and the compare of the read's key with the
 * datafile's parsed copy, `StringEqual`, ≈ 2 %). The keys compared are
 * interned, so a literal key matches by address. Any key that is not the
 * guess (another order, interleaved requests, a key built at run time) is
 * looked up in the `Map` as before and becomes the guess after the previous
 * one. Correct whatever the guess: a hit compares the key itself; a new
 * datafile is a new table with its own guesses.
 *
 * A flag is guessed only once a look-up found it by the `Map`, where a
 * `LazyFlags` flag also makes its view: the read path's own access to a
 * flag's variations (`variationValue`) then meets plain views only, so
 * TurboFan does not inline the lazy flag's getter and parser into every
 * reader and spends its inlining budget on the event pipeline's counting
 * instead (≈ 4 % of a returning user's request).
 *
 * `LazyFlags` (servers) makes these; a page keeps the plain table and its bytes.
 */
export class OrderedFlagTable extends FlagTable {
  /**
   * The flags' keys by index, interned, and one more: a string, not `null`, so that V8's feedback on the
   * comparison stays "interned strings" (compared by address). `_indexOf` never answers its index.
   * @internal Also read by `LazyFlags`, which takes the previous table's keys where a new text has them.
   */
  readonly _keys: readonly string[];
  /** By flag index, the index of the flag looked up after it the last time; one more slot, the last, before any. Index `n` (no flag): no guess yet. */
  private readonly _after: Int32Array;
  /** The slot of `_after` the next look-up reads: the flag looked up last. */
  private _last: number;

  /**
   * `previous`: the table this one replaces, whose interned keys are taken where a key is the same (an update
   * changes a few flags of many), and whose key `Map` too when every key is the same at the same index: interning
   * and indexing 1,000 keys anew was ≈ 1.2 ms of a fresh process's later load (tools/bench/earlier-measurements.md,
   * "1,000 flags after the sixteenth session's load pass").
   */
  constructor(doc: { revision?: unknown; flags: Json[] }, view: (flag: Json, index: number) => FlagView, previous?: OrderedFlagTable | null) {
    // FlagTable's members are made below, so that its Map can be the previous table's (a page's FlagTable stays as it is)
    super({ revision: doc.revision, flags: [] }, view);
    const flags = doc.flags;
    const n = flags.length;
    const old = previous?._keys ?? [];
    const keys: string[] = [];
    // the indices of keys the previous table did not have there, interned below
    const fresh: number[] = [];
    for (let i = 0; i < n; i++) {
      const key = flags[i]!.key as string;
      const was = old[i];
      if (was !== key) fresh.push(i);
      keys.push(was === key ? was : key);
    }
    if (fresh.length > 0) {
      const made = interned(fresh.map((i) => keys[i]!));
      fresh.forEach((i, j) => (keys[i] = made[j]!));
    }
    const table = this as unknown as { _flags: readonly FlagView[]; _indexByKey: Map<string, number> };
    table._flags = flags.map((f, i) => view(f, i));
    if (fresh.length === 0 && old.length === n + 1) table._indexByKey = previous!._indexByKey;
    else for (let i = 0; i < n; i++) this._indexByKey.set(keys[i]!, i);
    keys.push('');
    this._keys = keys;
    // no guesses yet: every flag is first found by the Map
    this._after = new Int32Array(n + 1).fill(n);
    this._last = n;
  }

  override _indexOf(key: string): number {
    const guess = this._after[this._last]!;
    // the guess's key, unless there is no guess (index n, whose key "" could be asked for)
    if (this._keys[guess] === key && guess < this._after.length - 1) return (this._last = guess);
    return this._looked(key);
  }

  /** A look-up the guess missed: by the `Map`, and then the guess after the flag looked up before it. */
  private _looked(key: string): number {
    const index = this._indexByKey.get(key) ?? -1;
    if (index >= 0) {
      // a lazy flag makes its view here, before the read path first reads its variations
      void this._flags[index]!._variations;
      this._after[this._last] = index;
      this._last = index;
    }
    return index;
  }
}
