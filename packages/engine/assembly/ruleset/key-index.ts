// Datafile strings (segment and flag keys, regex patterns) to numbers while a
// datafile loads, keyed by the tree's own UTF-8 bytes: no decoded string is
// hashed, and the standard library's string maps stay out of the module. The
// keys point into the tree, so an index must not outlive the load.

import { fnv1a } from "../util/hash";
import { sameBytes } from "../util/bytes";

export class KeyIndex {
  private ptrs: StaticArray<usize> = new StaticArray<usize>(8);
  private lens: StaticArray<i32> = new StaticArray<i32>(8);
  private values: StaticArray<i32> = new StaticArray<i32>(8); // value + 1, 0 = empty
  private count: i32 = 0;

  /** The value stored for the bytes at `ptr`, or -1. */
  find(ptr: usize, len: i32): i32 {
    const mask = <u32>this.values.length - 1;
    let slot = fnv1a(ptr, len) & mask;
    while (true) {
      const v = unchecked(this.values[slot]);
      if (v == 0) return -1;
      if (sameBytes(unchecked(this.ptrs[slot]), unchecked(this.lens[slot]), ptr, len)) return v - 1;
      slot = (slot + 1) & mask;
    }
  }

  /** Stores `value` (>= 0) for bytes not in the index yet. */
  add(ptr: usize, len: i32, value: i32): void {
    if (++this.count * 2 > this.values.length) this.grow();
    const mask = <u32>this.values.length - 1;
    let slot = fnv1a(ptr, len) & mask;
    while (unchecked(this.values[slot]) != 0) slot = (slot + 1) & mask;
    unchecked(this.ptrs[slot] = ptr);
    unchecked(this.lens[slot] = len);
    unchecked(this.values[slot] = value + 1);
  }

  private grow(): void {
    const ptrs = this.ptrs, lens = this.lens, values = this.values;
    const size = values.length << 1;
    this.ptrs = new StaticArray<usize>(size);
    this.lens = new StaticArray<i32>(size);
    this.values = new StaticArray<i32>(size);
    this.count = 0;
    for (let i = 0; i < values.length; i++) {
      if (unchecked(values[i]) != 0) this.add(unchecked(ptrs[i]), unchecked(lens[i]), unchecked(values[i]) - 1);
    }
  }
}
