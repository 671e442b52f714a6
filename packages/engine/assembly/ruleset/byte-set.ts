// An immutable set of UTF-8 strings with O(1) membership, built at load for
// target key lists and `in` clauses. Lookup never allocates.

import { keyHash, keyHashCopy } from "../util/hash";
import { sameBytes } from "../util/bytes";
import { JsonValue, J_STR } from "../json/value";
import { Ruleset } from "./model";
import { poolRoom } from "./byte-pool";

/**
 * One run of the ruleset's pool (byte-pool.ts), as its flags are: these
 * fields, then the hash table (`mask + 1` i32 slots, entry index + 1,
 * 0 = empty), then each entry's offset from the table and length (i32
 * pairs), then the strings' bytes. No managed object (a set was two: the
 * set and its buffer, ≈ 500 of a 1,000-flag datafile's), and nothing to
 * zero: the pool's room is fresh zeroed memory.
 */
// @ts-ignore: decorator
@unmanaged
export class ByteSet {
  private mask: u32;
  private count: i32;
  /** Where the next string's bytes go while the set is filled (from the table's start). */
  private end: usize;

  /** The string items of `list` (a JSON array of the datafile; other items, an `in` clause's numbers, are not members). */
  static ofList(rs: Ruleset, list: JsonValue): ByteSet {
    let count = 0;
    let total: usize = 0;
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v.kind != J_STR) continue;
      count++;
      total += <usize>v.strLen;
    }
    const s = ByteSet.room(rs, count, total);
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v.kind == J_STR) s.add(v.strPtr, v.strLen, true);
    }
    return s;
  }

  /** The strings of `ranges`, (pointer, byte length) pairs. */
  static ofRanges(rs: Ruleset, ranges: StaticArray<usize>): ByteSet {
    const count = ranges.length >> 1;
    let total: usize = 0;
    for (let i = 0; i < count; i++) total += unchecked(ranges[2 * i + 1]);
    const s = ByteSet.room(rs, count, total);
    for (let i = 0; i < count; i++) s.add(unchecked(ranges[2 * i]), <i32>unchecked(ranges[2 * i + 1]), false);
    return s;
  }

  /** Room in `rs`'s pool for `count` strings of `total` bytes, which ofList and ofRanges then add. */
  private static room(rs: Ruleset, count: i32, total: usize): ByteSet {
    let size: i32 = 8;
    while (size < count * 2) size <<= 1;
    const end = (<usize>size << 2) + (<usize>count << 3);
    const s = changetype<ByteSet>(poolRoom(rs, <i32>offsetof<ByteSet>() + <i32>end + <i32>total));
    s.mask = <u32>(size - 1);
    s.end = end;
    return s;
  }

  /** Where the table starts, right after the fields. */
  // @ts-ignore: decorator
  @inline
  private get base(): usize {
    return changetype<usize>(this) + offsetof<ByteSet>();
  }

  /**
   * Copies a string in. A duplicate takes a slot of its own (the table has
   * room for every string): contains() finds the first, and no string is
   * hashed twice. `short`: copied and hashed in one pass (a datafile's
   * keys, from its tree); a compiled document's ranges keep memory.copy,
   * so that the evaluator, which has no tree, does not carry that loop.
   */
  // @ts-ignore: decorator
  @inline
  private add(ptr: usize, n: i32, short: bool): void {
    const base = this.base;
    const at = this.end;
    let h: u32;
    if (short) h = keyHashCopy(base + at, ptr, n);
    else {
      memory.copy(base + at, ptr, <usize>n);
      h = keyHash(base + at, n);
    }
    const span = base + ((<usize>this.mask + 1) << 2) + (<usize>this.count << 3);
    store<i32>(span, <i32>at);
    store<i32>(span, n, 4);
    let slot = h & this.mask;
    while (load<i32>(base + (<usize>slot << 2)) != 0) slot = (slot + 1) & this.mask;
    store<i32>(base + (<usize>slot << 2), ++this.count);
    this.end = at + <usize>n;
  }

  contains(ptr: usize, len: i32): bool {
    const base = this.base;
    const mask = this.mask;
    const spans = base + ((<usize>mask + 1) << 2);
    let slot = keyHash(ptr, len) & mask;
    while (true) {
      const e = load<i32>(base + (<usize>slot << 2));
      if (e == 0) return false;
      const span = spans + (<usize>(e - 1) << 3);
      // a call, not memory.compare's loop inline: most lookups compare one
      // entry at most, and the evaluator's binary (a page's download) pays
      // for keyHash's word loop with those bytes
      if (sameBytes(base + <usize>load<i32>(span), load<i32>(span, 4), ptr, len)) return true;
      slot = (slot + 1) & mask;
    }
  }

  /** How many strings it was given (a duplicate counts each time). */
  get size(): i32 {
    return this.count;
  }

  /** The bytes of the `i`-th string given (0 ≤ i < size): for writing the set out (compiled/writer.ts). */
  stringPtr(i: i32): usize {
    const base = this.base;
    return base + <usize>load<i32>(base + ((<usize>this.mask + 1) << 2) + (<usize>i << 3));
  }

  /** The byte length of the `i`-th string given. */
  stringLen(i: i32): i32 {
    const base = this.base;
    return load<i32>(base + ((<usize>this.mask + 1) << 2) + (<usize>i << 3), 4);
  }
}
