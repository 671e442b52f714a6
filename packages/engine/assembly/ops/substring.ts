// Substring search for `contains`: Crochemore–Perrin Two-Way, so one search
// costs at most about 2·n + 2·m byte comparisons (n = text, m = needle) and
// O(1) extra space. The naive scan it replaces was O(n·m): a 100,000-byte
// value against a 1 MiB attribute took 38 s. HOT PATH: no allocation.
// Reference: Crochemore & Perrin, "Two-way string-matching" (J. ACM 38(3),
// 1991), in the form glibc's str-two-way.h uses for short needles.

// Both helpers return two i32 packed in a u64 (low: position, high: period),
// so nothing goes through module globals on the hot path.

// @ts-ignore: decorator
@inline
function pack(pos: i32, period: i32): u64 {
  return (<u64><u32>pos) | (<u64><u32>period << 32);
}

/** The maximal suffix (plus one) under the byte order, or its reverse, and its period. */
function maxSuffix(p: usize, m: i32, reverse: bool): u64 {
  let ms: i32 = -1; // start of the maximal suffix, minus one
  let j: i32 = 0;
  let k: i32 = 1;
  let per: i32 = 1;
  while (j + k < m) {
    const a = load<u8>(p + <usize>(j + k));
    const b = load<u8>(p + <usize>(ms + k));
    if (reverse ? b < a : a < b) {
      j += k;
      k = 1;
      per = j - ms;
    } else if (a == b) {
      if (k != per) k++;
      else {
        j += per;
        k = 1;
      }
    } else {
      ms = j++;
      k = per = 1;
    }
  }
  return pack(ms + 1, per);
}

/** The critical factorization: the start of the right half and the period to shift by. */
function criticalFactorization(p: usize, m: i32): u64 {
  if (m < 3) return pack(m - 1, 1);
  const fwd = maxSuffix(p, m, false);
  const rev = maxSuffix(p, m, true);
  return <u32>rev < <u32>fwd ? fwd : rev;
}

/** Whether the `pLen` bytes at `p` occur in the `sLen` bytes at `s`. */
export function bytesContain(s: usize, sLen: i32, p: usize, pLen: i32): bool {
  if (pLen == 0) return true;
  if (pLen > sLen) return false;
  if (pLen == 1) return byteIndex(s, sLen, load<u8>(p)) >= 0;
  const cf = criticalFactorization(p, pLen);
  const suffix = <i32><u32>cf;
  let period = <i32>(cf >> 32);
  const last = sLen - pLen;
  let j: i32 = 0;
  if (memory.compare(p, p + <usize>period, <usize>suffix) == 0) {
    // Periodic needle: after a full right-half match the next candidate is one
    // period on, and the right half's first m - period bytes are known to match.
    let mem: i32 = 0;
    while (j <= last) {
      const t = s + <usize>j;
      let i = max<i32>(suffix, mem);
      while (i < pLen && load<u8>(p + <usize>i) == load<u8>(t + <usize>i)) i++;
      if (i >= pLen) {
        i = suffix - 1;
        while (i >= mem && load<u8>(p + <usize>i) == load<u8>(t + <usize>i)) i--;
        if (i < mem) return true;
        j += period;
        mem = pLen - period;
      } else {
        j += i - suffix + 1;
        mem = 0;
      }
    }
    return false;
  }
  // The halves differ: any mismatch allows the maximal shift.
  period = max<i32>(suffix, pLen - suffix) + 1;
  const first = load<u8>(p + <usize>suffix);
  while (j <= last) {
    // Skip to the next place where the right half's first byte lines up.
    const at = byteIndex(s + <usize>(j + suffix), last - j + 1, first);
    if (at < 0) return false;
    j += at;
    const t = s + <usize>j;
    let i = suffix + 1;
    while (i < pLen && load<u8>(p + <usize>i) == load<u8>(t + <usize>i)) i++;
    if (i >= pLen) {
      i = suffix - 1;
      while (i >= 0 && load<u8>(p + <usize>i) == load<u8>(t + <usize>i)) i--;
      if (i < 0) return true;
      j += period;
    } else {
      j += i - suffix + 1;
    }
  }
  return false;
}

/** Index of the first byte `b` in the `n` bytes at `s`, -1 when absent. */
function byteIndex(s: usize, n: i32, b: u8): i32 {
  for (let i: i32 = 0; i < n; i++) if (load<u8>(s + <usize>i) == b) return i;
  return -1;
}
