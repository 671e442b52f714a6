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

/** Appends `s` in double quotes (a high surrogate takes the unit after it as its pair). */
export function errQuoted(s: string): void {
  errByte(0x22);
  for (let i: i32 = 0, n = s.length; i < n; i++) {
    let c = <u32>s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) c = 0x10000 + ((c - 0xd800) << 10) + (<u32>s.charCodeAt(++i) - 0xdc00);
    errCodePoint(c);
  }
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
