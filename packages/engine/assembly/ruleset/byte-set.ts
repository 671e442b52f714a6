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

  constructor(items: ArrayBuffer[]) {
    let total = 0;
    for (let i = 0; i < items.length; i++) total += items[i].byteLength;
    this.data = new ArrayBuffer(total);
    this.offsets = new StaticArray<i32>(items.length);
    this.lengths = new StaticArray<i32>(items.length);
    let size: i32 = 8;
    while (size < items.length * 2) size <<= 1;
    this.table = new StaticArray<i32>(size);
    this.mask = <u32>(size - 1);
    let off = 0;
    const base = changetype<usize>(this.data);
    for (let i = 0; i < items.length; i++) {
      const b = items[i];
      const n = b.byteLength;
      memory.copy(base + <usize>off, changetype<usize>(b), <usize>n);
      if (this.contains(base + <usize>off, n)) continue; // duplicate value
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
