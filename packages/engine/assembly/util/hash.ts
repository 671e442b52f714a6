// MurmurHash3 x86_32 (seed 0) streamed over several byte ranges, so that
// `salt ":" value` is hashed without building the concatenation. SPEC.md §9.

const C1: u32 = 0xcc9e2d51;
const C2: u32 = 0x1b873593;

let h: u32 = 0;
let tail: u32 = 0;
let tailBits: u32 = 0;
let total: u32 = 0;

// @ts-ignore: decorator
@inline
function mixBlock(k: u32): void {
  k *= C1;
  k = rotl<u32>(k, 15);
  k *= C2;
  h ^= k;
  h = rotl<u32>(h, 13);
  h = h * 5 + 0xe6546b64;
}

export function murmurBegin(): void {
  h = 0;
  tail = 0;
  tailBits = 0;
  total = 0;
}

export function murmurFeed(ptr: usize, len: i32): void {
  total += <u32>len;
  let i: i32 = 0;
  // finish a partial block left by the previous range
  while (tailBits != 0 && i < len) {
    tail |= (<u32>load<u8>(ptr + <usize>i)) << tailBits;
    tailBits += 8;
    i++;
    if (tailBits == 32) {
      mixBlock(tail);
      tail = 0;
      tailBits = 0;
    }
  }
  while (i + 4 <= len) {
    mixBlock(load<u32>(ptr + <usize>i));
    i += 4;
  }
  while (i < len) {
    tail |= (<u32>load<u8>(ptr + <usize>i)) << tailBits;
    tailBits += 8;
    i++;
  }
}

export function murmurFeedByte(b: u8): void {
  total += 1;
  tail |= (<u32>b) << tailBits;
  tailBits += 8;
  if (tailBits == 32) {
    mixBlock(tail);
    tail = 0;
    tailBits = 0;
  }
}

export function murmurEnd(): u32 {
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

export function murmur3(ptr: usize, len: i32): u32 {
  murmurBegin();
  murmurFeed(ptr, len);
  return murmurEnd();
}

/** hash → [0, 100000): floor(hash × 100000 / 2^32). */
// @ts-ignore: decorator
@inline
export function bucketOf(hash: u32): i32 {
  return <i32>((<u64>hash * 100000) >> 32);
}

/** Bucket of `salt ":" value` (salt and value are UTF-8 ranges). */
export function bucket(saltPtr: usize, saltLen: i32, valuePtr: usize, valueLen: i32): i32 {
  murmurBegin();
  murmurFeed(saltPtr, saltLen);
  murmurFeedByte(0x3a);
  murmurFeed(valuePtr, valueLen);
  return bucketOf(murmurEnd());
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
