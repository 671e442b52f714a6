// Semantic versions (SemVer 2.0.0) for the `semver_*` operators.
//
// Parsing and comparison read a UTF-8 byte range in linear memory and never
// allocate: the pre-release part is kept as a (pointer, length) view into the
// parsed bytes, so those bytes must stay alive while the SemVer is compared.
//
// Accepted: the full SemVer 2.0.0 grammar, plus two lenient points (see
// docs/semver-and-dates.md): one leading `v`/`V`, and a missing minor and/or
// patch taken as 0 (`2`, `2.0`, `2.0-rc.1`, `v2+build`).

/** A parsed version. Caller-owned and reusable: parseSemVer overwrites it. */
export class SemVer {
  major: f64 = 0;
  minor: f64 = 0;
  patch: f64 = 0;
  /** Pre-release identifiers without the leading '-', pointing INTO the parsed bytes. */
  prePtr: usize = 0;
  /** 0 = no pre-release. */
  preLen: i32 = 0;
}

// 2^53 - 1: every component up to it is exact in an f64.
// @ts-ignore: decorator
@inline const MAX_COMPONENT: f64 = 9007199254740991.0;

// @ts-ignore: decorator
@inline const CHAR_HYPHEN: u32 = 0x2d; // '-'
// @ts-ignore: decorator
@inline const CHAR_DOT: u32 = 0x2e; // '.'
// @ts-ignore: decorator
@inline const CHAR_ZERO: u32 = 0x30; // '0'
// @ts-ignore: decorator
@inline const CHAR_PLUS: u32 = 0x2b; // '+'
// @ts-ignore: decorator
@inline const CHAR_UPPER_V: u32 = 0x56; // 'V'
// @ts-ignore: decorator
@inline const CHAR_LOWER_V: u32 = 0x76; // 'v'

// @ts-ignore: decorator
@inline function byteAt(ptr: usize, i: i32): u32 {
  return <u32>load<u8>(ptr + <usize>i);
}

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c - CHAR_ZERO < 10;
}

/** [0-9A-Za-z-] */
// @ts-ignore: decorator
@inline function isIdentChar(c: u32): bool {
  return c - CHAR_ZERO < 10 || (c | 0x20) - 0x61 < 26 || c == CHAR_HYPHEN;
}

/** Value of the last component read by scanComponent (avoids a tuple/allocation). */
let scannedValue: f64 = 0;

/**
 * Reads a numeric component (major, minor or patch) starting at `i`:
 * one or more ASCII digits, no leading zero, at most 2^53 - 1.
 * Returns the index just after it, or -1 if invalid. The value goes to `scannedValue`.
 */
function scanComponent(ptr: usize, i: i32, len: i32): i32 {
  let start = i;
  let value: f64 = 0;
  while (i < len) {
    let d = byteAt(ptr, i) - CHAR_ZERO;
    if (d > 9) break;
    value = value * 10.0 + <f64>d;
    // Once the true value exceeds 2^53 - 1 the rounded one is >= 2^53, so
    // this test is exact even though the accumulation may round.
    if (value > MAX_COMPONENT) return -1;
    i++;
  }
  let n = i - start;
  if (n == 0) return -1;
  if (n > 1 && byteAt(ptr, start) == CHAR_ZERO) return -1;
  scannedValue = value;
  return i;
}

/**
 * Reads dot-separated identifiers `[0-9A-Za-z-]+` starting at `i`. Numeric
 * identifiers must have no leading zero when `strictNumeric` (pre-release);
 * build metadata allows them. Returns the index of the first byte that cannot
 * continue the list (end, or any other byte), or -1 if an identifier is empty.
 */
function scanIdentifiers(ptr: usize, i: i32, len: i32, strictNumeric: bool): i32 {
  while (true) {
    let start = i;
    let numeric = true;
    while (i < len) {
      let c = byteAt(ptr, i);
      if (!isIdentChar(c)) break;
      if (!isDigit(c)) numeric = false;
      i++;
    }
    let n = i - start;
    if (n == 0) return -1;
    if (strictNumeric && numeric && n > 1 && byteAt(ptr, start) == CHAR_ZERO) return -1;
    if (i < len && byteAt(ptr, i) == CHAR_DOT) {
      i++;
      continue;
    }
    return i;
  }
  return -1; // unreachable
}

/** Parses; returns false if invalid. `out` is reused (caller-owned). */
export function parseSemVer(ptr: usize, len: i32, out: SemVer): bool {
  if (len <= 0) return false;
  let i: i32 = 0;
  let c0 = byteAt(ptr, 0);
  if (c0 == CHAR_LOWER_V || c0 == CHAR_UPPER_V) i = 1;

  i = scanComponent(ptr, i, len);
  if (i < 0) return false;
  let major = scannedValue;
  let minor: f64 = 0;
  let patch: f64 = 0;

  // Lenient: `.MINOR` and `.PATCH` are each optional (missing = 0).
  if (i < len && byteAt(ptr, i) == CHAR_DOT) {
    i = scanComponent(ptr, i + 1, len);
    if (i < 0) return false;
    minor = scannedValue;
    if (i < len && byteAt(ptr, i) == CHAR_DOT) {
      i = scanComponent(ptr, i + 1, len);
      if (i < 0) return false;
      patch = scannedValue;
    }
  }

  let prePtr: usize = 0;
  let preLen: i32 = 0;
  if (i < len && byteAt(ptr, i) == CHAR_HYPHEN) {
    let start = i + 1;
    i = scanIdentifiers(ptr, start, len, true);
    if (i < 0) return false;
    prePtr = ptr + <usize>start;
    preLen = i - start;
  }
  if (i < len && byteAt(ptr, i) == CHAR_PLUS) {
    i = scanIdentifiers(ptr, i + 1, len, false);
    if (i < 0) return false;
  }
  // Anything left over (a 4th component, whitespace, other bytes) is invalid.
  if (i != len) return false;

  out.major = major;
  out.minor = minor;
  out.patch = patch;
  out.prePtr = prePtr;
  out.preLen = preLen;
  return true;
}

// @ts-ignore: decorator
@inline function cmpF64(a: f64, b: f64): i32 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two byte ranges lexically in ASCII order; a proper prefix is lower. */
function compareBytes(ap: usize, al: i32, bp: usize, bl: i32): i32 {
  let n = al < bl ? al : bl;
  for (let k: i32 = 0; k < n; k++) {
    let ca = byteAt(ap, k);
    let cb = byteAt(bp, k);
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return al < bl ? -1 : al > bl ? 1 : 0;
}

/** Pre-release precedence (SemVer 2.0.0 §11.4) of two non-empty identifier lists. */
function comparePreRelease(ap: usize, al: i32, bp: usize, bl: i32): i32 {
  let i: i32 = 0;
  let j: i32 = 0;
  while (true) {
    let ae = i;
    let aNumeric = true;
    while (ae < al) {
      let c = byteAt(ap, ae);
      if (c == CHAR_DOT) break;
      if (!isDigit(c)) aNumeric = false;
      ae++;
    }
    let be = j;
    let bNumeric = true;
    while (be < bl) {
      let c = byteAt(bp, be);
      if (c == CHAR_DOT) break;
      if (!isDigit(c)) bNumeric = false;
      be++;
    }
    let an = ae - i;
    let bn = be - j;
    let r: i32;
    if (aNumeric && bNumeric) {
      // No leading zeros, so the longer digit string is the larger number;
      // equal lengths compare digit by digit. Exact for any size.
      r = an < bn ? -1 : an > bn ? 1 : compareBytes(ap + <usize>i, an, bp + <usize>j, bn);
    } else if (aNumeric) {
      r = -1; // numeric < alphanumeric
    } else if (bNumeric) {
      r = 1;
    } else {
      r = compareBytes(ap + <usize>i, an, bp + <usize>j, bn);
    }
    if (r != 0) return r;
    let aMore = ae < al;
    let bMore = be < bl;
    if (!aMore) return bMore ? -1 : 0; // larger set of identifiers wins
    if (!bMore) return 1;
    i = ae + 1;
    j = be + 1;
  }
  return 0; // unreachable
}

/**
 * SemVer 2.0.0 precedence: -1, 0, 1. Build metadata ignored. A version with a
 * pre-release is lower than the same version without.
 */
export function compareSemVer(a: SemVer, b: SemVer): i32 {
  let r = cmpF64(a.major, b.major);
  if (r != 0) return r;
  r = cmpF64(a.minor, b.minor);
  if (r != 0) return r;
  r = cmpF64(a.patch, b.patch);
  if (r != 0) return r;
  let al = a.preLen;
  let bl = b.preLen;
  if (al == 0) return bl == 0 ? 0 : 1;
  if (bl == 0) return -1;
  return comparePreRelease(a.prePtr, al, b.prePtr, bl);
}
