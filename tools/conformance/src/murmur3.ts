/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, public domain), written
 * from the published algorithm so the bucketing vectors do not depend on the
 * engine. Input is bytes; strings are hashed as their UTF-8 encoding.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** murmur3_x86_32 of `data` with `seed`, as an unsigned 32-bit integer. */
export function murmur3_x86_32(data: Uint8Array | string, seed = 0): number {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const len = bytes.length;
  const nblocks = len >>> 2;
  let h = seed | 0;

  for (let i = 0; i < nblocks; i++) {
    const o = i * 4;
    let k = bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24);
    k = Math.imul(k, C1);
    k = rotl32(k, 15);
    k = Math.imul(k, C2);
    h ^= k;
    h = rotl32(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }

  const tail = nblocks * 4;
  let k1 = 0;
  switch (len & 3) {
    case 3:
      k1 ^= bytes[tail + 2]! << 16;
    // falls through
    case 2:
      k1 ^= bytes[tail + 1]! << 8;
    // falls through
    case 1:
      k1 ^= bytes[tail]!;
      k1 = Math.imul(k1, C1);
      k1 = rotl32(k1, 15);
      k1 = Math.imul(k1, C2);
      h ^= k1;
  }

  h ^= len;
  // fmix32
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * SPEC §9: bucket = floor(hash × 100000 / 2^32), hash over
 * utf8(salt) ++ ":" ++ utf8(value) with seed 0. Exact in doubles:
 * hash × 100000 < 2^49 and dividing by 2^32 only moves the exponent.
 */
export function bucketOf(salt: string, value: string): { hash: number; bucket: number } {
  const hash = murmur3_x86_32(`${salt}:${value}`, 0);
  return { hash, bucket: Math.floor((hash * 100000) / 4294967296) };
}

/**
 * Published murmur3_x86_32 test vectors (seed, input, expected unsigned hash).
 * Sources: the SMHasher reference implementation's well-known results as
 * collected in the widely cited answer "MurmurHash3 test vectors" and the
 * Wikipedia article.
 */
export const PUBLISHED_MURMUR3_VECTORS: ReadonlyArray<readonly [string | number[], number, number]> = [
  ['', 0, 0x00000000],
  ['', 1, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  [[0, 0, 0, 0], 0, 0x2362f9de],
  [[0xff, 0xff, 0xff, 0xff], 0, 0x76293b50],
  [[0x21, 0x43, 0x65, 0x87], 0, 0xf55b516b],
  [[0x21, 0x43, 0x65, 0x87], 0x5082edee, 0x2362f9de],
  [[0x21, 0x43, 0x65], 0, 0x7e4a8634],
  [[0x21, 0x43], 0, 0xa0f7b07a],
  [[0x21], 0, 0x72661cf4],
  [[0, 0, 0], 0, 0x85f0b427],
  [[0, 0], 0, 0x30f4c306],
  [[0], 0, 0x514e28b7],
  ['hello', 0, 0x248bfa47],
  ['Hello, world!', 0x9747b28c, 0x24884cba],
  ['ππππππππ', 0x9747b28c, 0xd58063c1],
  ['a', 0x9747b28c, 0x7fa09ea6],
  ['ab', 0x9747b28c, 0x74875592],
  ['abc', 0x9747b28c, 0xc84a62dd],
  ['abcd', 0x9747b28c, 0xf0478627],
  ['aaaa', 0x9747b28c, 0x5a97808a],
  ['aaa', 0x9747b28c, 0x283e0130],
  ['aa', 0x9747b28c, 0x5d211726],
  ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
];
