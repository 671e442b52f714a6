import type { FlagView } from './flag-table';
import { FlagTable } from './flag-table';

/**
 * A {@link FlagTable} whose key look-up first tries the flag that was looked
 * up after the previous one the last time: a request handler reads its flags
 * in the order of its code, the same order request after request, so after
 * the first request that guess is right and a read compares one key instead
 * of hashing it into the table's index (≈ 6 % of a returning user's request
 * through `@avsb/node`, and the compare of the read's key with the
 * datafile's parsed copy, `StringEqual`, ≈ 2 %). The keys compared are
 * interned, so a literal key matches by address. Any key that is not the
 * guess (another order, interleaved requests, a key built at run time) is
 * looked up in the index as before and becomes the guess after the previous
 * one. Correct whatever the guess: a hit compares the key itself; a new
 * datafile is a new table with its own guesses.
 *
 * A flag is guessed only once a look-up found it by the index, where a
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
   * The flags' keys by index (cut from the text, not interned: interning 1,000 keys was most of a first table's
   * time), and one more: a string, not `null`, so that V8's feedback on the comparison stays "interned strings"
   * (compared by address). A key the `Map` finds is replaced by the key asked (the same text; a literal is
   * interned) before it can be a guess, so the guesses compare a literal with itself. `_indexOf` never answers the last.
   */
  readonly _keys: string[];
  /** By flag index, the index of the flag looked up after it the last time; one more slot, the last, before any. Index `n` (no flag): no guess yet. */
  private readonly _after: Int32Array;
  /** The slot of `_after` the next look-up reads: the flag looked up last. */
  private _last: number;

  /**
   * `flags`: the views by index, kept as given (a lazy one puts its view in its place); `keys`: their keys, taken as
   * the table's own. `previous`: the table this one replaces, whose key `Map` is taken when every key is the same at
   * the same index (an update changes a few flags of many): indexing 1,000 keys anew was ≈ 1.2 ms of a fresh
   * process's later load (tools/bench/earlier-measurements.md, "1,000 flags after the sixteenth session's load
   * pass"). A `Map` so taken keeps the text its keys were cut from: one earlier text at most, as the `Map` is made
   * anew, with this text's keys, at the first load whose keys differ.
   */
  constructor(revision: unknown, flags: FlagView[], keys: string[], previous: OrderedFlagTable | null) {
    // FlagTable's members are set below, so that its Map can be the previous table's (a page's FlagTable is as it was)
    super({ revision, flags: [] });
    const n = flags.length;
    (this as unknown as { _flags: readonly FlagView[] })._flags = flags;
    const old = previous?._keys;
    let same = old !== undefined && old.length === n + 1;
    for (let i = 0; same && i < n; i++) same = old![i] === keys[i];
    if (same) (this as unknown as { _indexByKey: Map<string, number> })._indexByKey = previous!._indexByKey;
    else {
      const byKey = this._indexByKey;
      for (let i = 0; i < n; i++) byKey.set(keys[i]!, i);
    }
    keys.push('');
    this._keys = keys;
    // no guesses yet: every flag is first found by the index
    this._after = new Int32Array(n + 1).fill(n);
    this._last = n;
  }

  override _indexOf(key: string): number {
    const guess = this._after[this._last]!;
    // the guess's key, unless there is no guess (index n, whose key "" could be asked for)
    if (this._keys[guess] === key && guess < this._after.length - 1) return (this._last = guess);
    return this._looked(key);
  }

  /** A look-up the guess missed: by the index, and then the guess after the flag looked up before it. */
  private _looked(key: string): number {
    const index = this._indexByKey.get(key) ?? -1;
    if (index >= 0) {
      // a lazy flag makes its view here, before the read path first reads its variations
      void this._flags[index]!._variations;
      this._keys[index] = key;
      this._after[this._last] = index;
      this._last = index;
    }
    return index;
  }
}
