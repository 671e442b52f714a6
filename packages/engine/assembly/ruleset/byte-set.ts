// An immutable set of UTF-8 strings with O(1) membership, built at load for
// target key lists and `in` clauses. Lookup never allocates.

import { fnv1a } from "../util/hash";
import { bytesEqual } from "../util/bytes";

export class ByteSet {
  private data: ArrayBuffer;
  private offsets: StaticArray<i32>;
  private lengths: StaticArray<i32>;
  private table: StaticArray<i32>; // entry index + 1, 0 = empty
  private mask: u32;

  /**
   * `ranges`: (pointer, byte length) pairs of the strings, copied in; they may
   * point into the input (a target's keys never become buffers of their own).
   */
  constructor(ranges: StaticArray<usize>) {
    const count = ranges.length >> 1;
    let total: usize = 0;
    for (let i = 0; i < count; i++) total += unchecked(ranges[2 * i + 1]);
    this.data = new ArrayBuffer(<i32>total);
    this.offsets = new StaticArray<i32>(count);
    this.lengths = new StaticArray<i32>(count);
    let size: i32 = 8;
    while (size < count * 2) size <<= 1;
    this.table = new StaticArray<i32>(size);
    this.mask = <u32>(size - 1);
    let off = 0;
    const base = changetype<usize>(this.data);
    for (let i = 0; i < count; i++) {
      const n = <i32>unchecked(ranges[2 * i + 1]);
      memory.copy(base + <usize>off, unchecked(ranges[2 * i]), <usize>n);
      // a duplicate takes a slot of its own (the table has room for every
      // string): contains() finds the first, and no key is hashed twice
      this.offsets[i] = off;
      this.lengths[i] = n;
      let slot = fnv1a(base + <usize>off, n) & this.mask;
      while (this.table[slot] != 0) slot = (slot + 1) & this.mask;
      this.table[slot] = i + 1;
      off += n;
    }
  }

  contains(ptr: usize, len: i32): bool {
    const base = changetype<usize>(this.data);
    let slot = fnv1a(ptr, len) & this.mask;
    while (true) {
      const e = unchecked(this.table[slot]);
      if (e == 0) return false;
      const i = e - 1;
      if (bytesEqual(base + <usize>unchecked(this.offsets[i]), unchecked(this.lengths[i]), ptr, len)) return true;
      slot = (slot + 1) & this.mask;
    }
  }
}
