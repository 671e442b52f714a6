// The last error message, kept as UTF-8 in a fixed buffer the host reads
// through avsb_error_ptr/avsb_error_len. Appending never allocates, so an
// invalid context rejected ten million times leaves no garbage behind.

import { Text, textLen, textPtr, utf8 } from "./text";

const CAP: i32 = 1024;
const buf: usize = memory.data(CAP);
let len: i32 = 0;

export function errorPtr(): usize {
  return buf;
}

export function errorLen(): i32 {
  return len;
}

export function errReset(): void {
  len = 0;
}

export function errByte(b: u32): void {
  if (len < CAP) {
    store<u8>(buf + <usize>len, <u8>b);
    len++;
  }
}

/** Appends raw bytes; long inputs are cut with "…" so messages stay readable. */
export function errBytes(ptr: usize, n: i32): void {
  const max: i32 = 120;
  const take = n > max ? max : n;
  for (let i: i32 = 0; i < take; i++) errByte(load<u8>(ptr + <usize>i));
  if (n > max) errText(utf8("..."));
}

/** Appends a static UTF-8 text (`utf8("…")`). */
export function errText(t: Text): void {
  const p = textPtr(t);
  for (let i: i32 = 0, n = textLen(t); i < n; i++) errByte(load<u8>(p + <usize>i));
}

/** Appends code point `c` as UTF-8. */
export function errCodePoint(c: u32): void {
  if (c < 0x80) {
    errByte(c);
    return;
  }
  if (c < 0x800) {
    errByte(0xc0 | (c >> 6));
  } else {
    if (c < 0x10000) {
      errByte(0xe0 | (c >> 12));
    } else {
      errByte(0xf0 | (c >> 18));
      errByte(0x80 | ((c >> 12) & 0x3f));
    }
    errByte(0x80 | ((c >> 6) & 0x3f));
  }
  errByte(0x80 | (c & 0x3f));
}

/**
 * Appends the UTF-8 at `ptr` in double quotes, as it is: a datafile's
 * strings are quoted from its tree, never decoded (ABI.md, "Text": the
 * engine neither validates nor normalises UTF-8). Not cut like errBytes:
 * the buffer's bound holds it.
 */
export function errQuoted(ptr: usize, len: i32): void {
  errByte(0x22);
  for (let i: i32 = 0; i < len; i++) errByte(load<u8>(ptr + <usize>i));
  errByte(0x22);
}

export function errInt(v: i64): void {
  if (v < 0) {
    errByte(0x2d);
    v = -v;
  }
  let div: i64 = 1;
  while (div * 10 <= v) div *= 10;
  while (div > 0) {
    errByte(<u32>(0x30 + (v / div) % 10));
    div /= 10;
  }
}
