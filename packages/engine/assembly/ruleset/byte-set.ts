// An immutable set of UTF-8 strings with O(1) membership, built at load for
// target key lists and `in` clauses. Lookup never allocates.

import { fnv1a } from "../util/hash";
import { bytesEqual } from "../util/bytes";
import { JsonValue, J_STR } from "../json/value";

export class ByteSet {
  /**
   * One buffer: the hash table (`mask + 1` i32 slots, entry index + 1,
   * 0 = empty), then each entry's offset in this buffer and length (i32
   * pairs), then the strings' bytes. One allocation per set instead of one
   * per part: a large datafile has thousands of sets to allocate and collect.
   */
  private buf: ArrayBuffer;
  private mask: u32;

  /**
   * The string items of `list` (a JSON array of the datafile; other items,
   * an `in` clause's numbers, are not members), copied in. A duplicate takes
   * a slot of its own (the table has room for every string): contains()
   * finds the first, and no key is hashed twice.
   */
  constructor(list: JsonValue) {
    let count = 0;
    let total: usize = 0;
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v.kind != J_STR) continue;
      count++;
      total += <usize>v.strLen;
    }
    let size: i32 = 8;
    while (size < count * 2) size <<= 1;
    const spansAt = <usize>size << 2;
    let off = spansAt + (<usize>count << 3);
    this.buf = new ArrayBuffer(<i32>(off + total));
    this.mask = <u32>(size - 1);
    const base = changetype<usize>(this.buf);
    let e = 0;
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (v.kind != J_STR) continue;
      const n = v.strLen;
      memory.copy(base + off, v.strPtr, <usize>n);
      const span = base + spansAt + (<usize>e << 3);
      store<i32>(span, <i32>off);
      store<i32>(span, n, 4);
      let slot = fnv1a(base + off, n) & this.mask;
      while (load<i32>(base + (<usize>slot << 2)) != 0) slot = (slot + 1) & this.mask;
      store<i32>(base + (<usize>slot << 2), ++e);
      off += <usize>n;
    }
  }

  contains(ptr: usize, len: i32): bool {
    const base = changetype<usize>(this.buf);
    const mask = this.mask;
    const spans = base + ((<usize>mask + 1) << 2);
    let slot = fnv1a(ptr, len) & mask;
    while (true) {
      const e = load<i32>(base + (<usize>slot << 2));
      if (e == 0) return false;
      const span = spans + (<usize>(e - 1) << 3);
      if (bytesEqual(base + <usize>load<i32>(span), load<i32>(span, 4), ptr, len)) return true;
      slot = (slot + 1) & mask;
    }
  }
}
