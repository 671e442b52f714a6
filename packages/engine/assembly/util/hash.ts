// MurmurHash3 x86_32 (seed 0), also over `salt ":" value` without building
// the concatenation. SPEC.md §9.

const C1: u32 = 0xcc9e2d51;
const C2: u32 = 0x1b873593;

// @ts-ignore: decorator
@inline
function mixBlock(h: u32, k: u32): u32 {
  k *= C1;
  k = rotl<u32>(k, 15);
  k *= C2;
  h ^= k;
  h = rotl<u32>(h, 13);
  return h * 5 + 0xe6546b64;
}

// @ts-ignore: decorator
@inline
function finish(h: u32, tail: u32, tailBits: u32, total: u32): u32 {
  if (tailBits != 0) {
    let k = tail * C1;
    k = rotl<u32>(k, 15);
    k *= C2;
    h ^= k;
  }
  h ^= total;
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

// The hash state lives in locals, not module globals: every global is a
// load and a store per block, and bucketing runs on most evaluations.

export function murmur3(ptr: usize, len: i32): u32 {
  let h: u32 = 0;
  let i: i32 = 0;
  for (; i + 4 <= len; i += 4) h = mixBlock(h, load<u32>(ptr + <usize>i));
  let tail: u32 = 0;
  let bits: u32 = 0;
  for (; i < len; i++, bits += 8) tail |= (<u32>load<u8>(ptr + <usize>i)) << bits;
  return finish(h, tail, bits, <u32>len);
}

/** hash → [0, 100000): floor(hash × 100000 / 2^32). */
// @ts-ignore: decorator
@inline
export function bucketOf(hash: u32): i32 {
  return <i32>((<u64>hash * 100000) >> 32);
}

/** Bucket of `salt ":" value` (salt and value are UTF-8 ranges), hashed without building the concatenation. */
export function bucket(saltPtr: usize, saltLen: i32, valuePtr: usize, valueLen: i32): i32 {
  let h: u32 = 0;
  let i: i32 = 0;
  for (; i + 4 <= saltLen; i += 4) h = mixBlock(h, load<u32>(saltPtr + <usize>i));
  // at most 3 salt bytes are left, then ':'
  let tail: u32 = 0;
  let bits: u32 = 0;
  for (; i < saltLen; i++, bits += 8) tail |= (<u32>load<u8>(saltPtr + <usize>i)) << bits;
  tail |= (<u32>0x3a) << bits;
  bits += 8;
  if (bits == 32) {
    h = mixBlock(h, tail);
    tail = 0;
    bits = 0;
  }
  // the value: complete the pending block, then whole blocks, then its own tail
  i = 0;
  for (; bits != 0 && i < valueLen; i++) {
    tail |= (<u32>load<u8>(valuePtr + <usize>i)) << bits;
    bits += 8;
    if (bits == 32) {
      h = mixBlock(h, tail);
      tail = 0;
      bits = 0;
    }
  }
  for (; i + 4 <= valueLen; i += 4) h = mixBlock(h, load<u32>(valuePtr + <usize>i));
  for (; i < valueLen; i++, bits += 8) tail |= (<u32>load<u8>(valuePtr + <usize>i)) << bits;
  return bucketOf(finish(h, tail, bits, <u32>(saltLen + 1 + valueLen)));
}

// The engine's own hash tables (target and `in` sets, names, flag keys):
// not part of the bucketing contract, never seen outside one instance.
// A word at a time: a 1,000-flag load hashes ≈ 15,000 short keys, and
// FNV-1a's byte-serial loop was ≈ 4 % of its instructions.

const GOLD: u32 = 0x9e3779b1;

// the product's high bits depend on every bit of h ^ w: the rotate brings
// them down to the low bits that a table's mask keeps
// @ts-ignore: decorator
@inline
function mixWord(h: u32, w: u32): u32 {
  return rotl<u32>((h ^ w) * GOLD, 15);
}

/** The hash of `len` bytes at `ptr`: a u32 word a step, a byte a step for the last 0–3 bytes. */
export function keyHash(ptr: usize, len: i32): u32 {
  let h = <u32>len * GOLD;
  const n = <usize>len;
  for (let i: usize = 0; i < n; ) {
    let w: u32;
    if (i + 4 <= n) {
      w = load<u32>(ptr + i);
      i += 4;
    } else w = load<u8>(ptr + i++);
    h = mixWord(h, w);
  }
  return h;
}

/**
 * Copies `len` bytes from `src` to `dst` (not overlapping) and returns
 * keyHash of them, in one pass: a set's keys are copied in and hashed
 * (ruleset/byte-set.ts). Without memory.copy, which V8 runs as a call
 * out of the module.
 */
export function keyHashCopy(dst: usize, src: usize, len: i32): u32 {
  let h = <u32>len * GOLD;
  const n = <usize>len;
  for (let i: usize = 0; i < n; ) {
    let w: u32;
    if (i + 4 <= n) {
      w = load<u32>(src + i);
      store<u32>(dst + i, w);
      i += 4;
    } else {
      w = load<u8>(src + i);
      store<u8>(dst + i++, <u8>w);
    }
    h = mixWord(h, w);
  }
  return h;
}
