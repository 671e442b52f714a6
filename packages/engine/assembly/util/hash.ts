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

/** FNV-1a, for the engine's own hash sets (not part of the bucketing contract). */
export function fnv1a(ptr: usize, len: i32): u32 {
  let x: u32 = 0x811c9dc5;
  for (let i: i32 = 0; i < len; i++) {
    x ^= <u32>load<u8>(ptr + <usize>i);
    x *= 0x01000193;
  }
  return x;
}
