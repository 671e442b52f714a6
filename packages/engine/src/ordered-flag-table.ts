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
 * `LazyFlags` (servers) makes these; a page keeps the plain table and its bytes.
 */
export class OrderedFlagTable extends FlagTable {
  /** The flags' keys by index, interned. */
  private readonly _keys: readonly string[];
  /** By flag index, the index of the flag looked up after it the last time (one more slot, the last, before any). */
  private readonly _after: Int32Array;
  /** The slot of `_after` the next look-up reads: the flag looked up last. */
  private _last: number;

  constructor(doc: { revision?: unknown; flags: Json[] }, view: (flag: Json, index: number) => FlagView) {
    super(doc, view);
    const n = this._flags.length;
    this._keys = interned(this._flags.map((f) => f.key));
    // before any look-up the guess is flag 0; no flag's guess is past the end
    this._after = new Int32Array(n + 1);
    this._last = n;
  }

  override _indexOf(key: string): number {
    const guess = this._after[this._last]!;
    if (this._keys[guess] === key) return (this._last = guess);
    return this._looked(key);
  }

  /** A look-up the guess missed: by the `Map`, and then the guess after the flag looked up before it. */
  private _looked(key: string): number {
    const index = this._indexByKey.get(key) ?? -1;
    if (index >= 0) {
      this._after[this._last] = index;
      this._last = index;
    }
    return index;
  }
}
