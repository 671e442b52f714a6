// Datafile strings (segment and flag keys, regex patterns, interned names) to
// numbers while a datafile loads, keyed by UTF-8 bytes in memory that stays
// put for the load: no decoded string is hashed, and the standard library's
// string maps stay out of the module. The keys are not copied, so an index
// must not outlive the load. A key may be scoped by a number (the interner's
// parent of an attribute name): the same bytes under two scopes are two keys.

import { keyHash } from "../util/hash";
import { sameBytes } from "../util/bytes";

/** Keys compared by find and by the context parser's lookups, counted where asserts are on (test-exports/interner.ts). */
export let keysCompared: i32 = 0;

/** Counts a key compared (nothing where asserts are off, as in every release build). */
// @ts-ignore: decorator
@inline
export function countKey(): void {
  if (!ASC_NO_ASSERT) keysCompared++;
}

export function resetKeysCompared(): void {
  keysCompared = 0;
}

// @ts-ignore: decorator
@inline
function slotOf(ptr: usize, len: i32, scope: i32): u32 {
  return keyHash(ptr, len) + <u32>scope * 0x9e3779b1;
}

export class KeyIndex {
  private ptrs: StaticArray<usize>;
  private lens: StaticArray<i32>;
  private scopes: StaticArray<i32>;
  private values: StaticArray<i32>; // value + 1, 0 = empty
  private count: i32 = 0;

  /** Room for `expected` keys before the first growth. */
  constructor(expected: i32 = 0) {
    let size = 8;
    while (size < expected * 2) size <<= 1;
    this.ptrs = new StaticArray<usize>(size);
    this.lens = new StaticArray<i32>(size);
    this.scopes = new StaticArray<i32>(size);
    this.values = new StaticArray<i32>(size);
  }

  /** The value stored for the bytes at `ptr` in `scope`, or -1. */
  find(ptr: usize, len: i32, scope: i32 = 0): i32 {
    const mask = <u32>this.values.length - 1;
    let slot = slotOf(ptr, len, scope) & mask;
    while (true) {
      const v = unchecked(this.values[slot]);
      if (v == 0) return -1;
      countKey();
      if (unchecked(this.scopes[slot]) == scope && sameBytes(unchecked(this.ptrs[slot]), unchecked(this.lens[slot]), ptr, len)) return v - 1;
      slot = (slot + 1) & mask;
    }
  }

  /** Stores `value` (>= 0) for bytes not in the index yet (in `scope`). */
  add(ptr: usize, len: i32, value: i32, scope: i32 = 0): void {
    if (++this.count * 2 > this.values.length) this.grow();
    const mask = <u32>this.values.length - 1;
    let slot = slotOf(ptr, len, scope) & mask;
    while (unchecked(this.values[slot]) != 0) slot = (slot + 1) & mask;
    unchecked(this.ptrs[slot] = ptr);
    unchecked(this.lens[slot] = len);
    unchecked(this.scopes[slot] = scope);
    unchecked(this.values[slot] = value + 1);
  }

  private grow(): void {
    const ptrs = this.ptrs, lens = this.lens, scopes = this.scopes, values = this.values;
    const size = values.length << 1;
    this.ptrs = new StaticArray<usize>(size);
    this.lens = new StaticArray<i32>(size);
    this.scopes = new StaticArray<i32>(size);
    this.values = new StaticArray<i32>(size);
    this.count = 0;
    for (let i = 0; i < values.length; i++) {
      if (unchecked(values[i]) != 0) this.add(unchecked(ptrs[i]), unchecked(lens[i]), unchecked(values[i]) - 1, unchecked(scopes[i]));
    }
  }
}
