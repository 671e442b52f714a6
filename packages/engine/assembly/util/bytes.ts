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

/** UTF-8 bytes of `s` as an ArrayBuffer (cold path). */
// @ts-ignore: decorator
@inline
export function utf8(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}

// @ts-ignore: decorator
@inline
export function bufPtr(b: ArrayBuffer): usize {
  return changetype<usize>(b);
}

// @ts-ignore: decorator
@inline
export function bufLen(b: ArrayBuffer): i32 {
  return b.byteLength;
}
