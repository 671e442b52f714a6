// Byte-range helpers over linear memory. Hot path: no allocation.

// @ts-ignore: decorator
@inline
export function bytesEqual(a: usize, aLen: i32, b: usize, bLen: i32): bool {
  return aLen == bLen && memory.compare(a, b, <usize>aLen) == 0;
}

/** bytesEqual as a call, for cold paths (names, kinds): memory.compare is a loop inlined at each use. */
export function sameBytes(a: usize, aLen: i32, b: usize, bLen: i32): bool {
  return bytesEqual(a, aLen, b, bLen);
}

export function bytesStartWith(s: usize, sLen: i32, p: usize, pLen: i32): bool {
  return pLen <= sLen && memory.compare(s, p, <usize>pLen) == 0;
}

export function bytesEndWith(s: usize, sLen: i32, p: usize, pLen: i32): bool {
  return pLen <= sLen && memory.compare(s + <usize>(sLen - pLen), p, <usize>pLen) == 0;
}

/**
 * memory.copy for the short copies a datafile load makes by the ten
 * thousand (a container's children, a key, a salt): V8 (Node 20's 11.3)
 * leaves the module for every memory.copy, a C call that costs more than
 * moving a few words here. Longer runs still take memory.copy. The ranges
 * must not overlap.
 */
export function copyShort(dst: usize, src: usize, n: usize): void {
  if (n >= 8) {
    if (n > 256) {
      memory.copy(dst, src, n);
      return;
    }
    // eight bytes a step, the last step overlapping the one before it
    const last = n - 8;
    for (let i: usize = 0; i < last; i += 8) store<u64>(dst + i, load<u64>(src + i));
    store<u64>(dst + last, load<u64>(src + last));
  } else if (n >= 4) {
    store<u32>(dst, load<u32>(src));
    store<u32>(dst + n - 4, load<u32>(src + n - 4));
  } else {
    for (let i: usize = 0; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
  }
}
