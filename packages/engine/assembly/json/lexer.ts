// A JSON scanner over a UTF-8 byte range. It never allocates: strings are
// reported as byte ranges, numbers as f64, and errors as a static message
// plus a byte offset. Both the datafile parser and the context parser sit on it.

import { errInt, errText } from "../util/error";
import { Text, textLen, textPtr, utf8 } from "../util/text";

export const MAX_DEPTH: i32 = 64;

export let base: usize = 0;
export let pos: usize = 0;
export let end: usize = 0;

/** Set by scanString: the raw bytes between the quotes. */
export let strStart: usize = 0;
export let strEnd: usize = 0;
export let strEscaped: bool = false;
/** Set by scanNumber. */
export let numValue: f64 = 0;

let failMsg: Text = 0;
let failAt: usize = 0;

export function reset(ptr: usize, len: i32): void {
  base = ptr;
  pos = ptr;
  end = ptr + <usize>len;
  failMsg = 0;
}

export function fail(msg: Text): bool {
  if (failMsg == 0) {
    failMsg = msg;
    failAt = pos;
  }
  return false;
}

export function failed(): bool {
  return failMsg != 0;
}

/** Appends "invalid JSON at byte N: msg" to the error buffer. */
export function writeFailure(): void {
  errText(utf8("invalid JSON at byte "));
  errInt(<i64>(failAt - base));
  errText(utf8(": "));
  errText(failMsg);
}

// The scanners below copy `pos` and `end` into locals: wasm globals are loads
// and stores in every loop iteration, locals are registers.

export function skipWs(): void {
  let p = pos;
  const e = end;
  while (p < e) {
    const c = load<u8>(p);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) p++;
    else break;
  }
  pos = p;
}

/** Next non-space byte, or -1 at the end. */
export function peek(): i32 {
  const p = pos;
  // compact JSON (what hosts send): no whitespace to skip
  if (p < end) {
    const c = <i32>load<u8>(p);
    if (c > 0x20) return c;
  }
  skipWs();
  return pos < end ? <i32>load<u8>(pos) : -1;
}

export function expect(c: i32, msg: Text): bool {
  if (peek() != c) return fail(msg);
  pos++;
  return true;
}

// @ts-ignore: decorator
@inline
function hexVal(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  c |= 0x20;
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  return -1;
}

/**
 * The high bit of each byte of `x` (eight bytes of a string, the first
 * lowest) that ends a string or needs a look: a quote, a backslash or a
 * control character; zero when there is none. The classic "has a zero
 * byte" test, ((v - 0x01…) & ~v & 0x80…), on `x` xor each byte sought,
 * and ((x - 0x20…) & ~x & 0x80…) for the bytes below 0x20. A borrow only
 * starts at a flagged byte, so a byte can be flagged wrongly only above a
 * rightly flagged one: the lowest flag is exact. Bytes over 0x7f (UTF-8)
 * are never flagged (their `~x` has no high bit).
 */
// @ts-ignore: decorator
@inline
function specialBytes(x: u64): u64 {
  const ones: u64 = 0x0101010101010101;
  const q = x ^ (ones * 0x22);
  const b = x ^ (ones * 0x5c);
  return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & (ones * 0x80);
}

/** At a '"': scans the string and its escapes (a context's JSON: one byte a step). */
export function scanString(): bool {
  return scan(false);
}

/**
 * scanString for a datafile: eight bytes a step where eight remain (most of
 * a datafile is text, and a step costs the same in the Liftoff code that
 * runs a fresh process's loads). A function of its own so that a binary
 * without the datafile parser (the evaluator) leaves the steps out: its
 * only scan passes `words` false, which binaryen folds away.
 *
 * Returns the string's UTF-8 length, its escapes unescaped in place (never
 * longer than their escaped form), from `strStart`; -1 on an error. The
 * length, not strEnd and strEscaped: a string without escapes, most of a
 * datafile's, needs neither stored nor a call to read them back.
 */
export function scanDatafileString(): i32 {
  // most of a datafile's strings (keys, names) are shorter than sixteen
  // bytes and have no escape: they end here, in one or two steps, without
  // the general scan's loop. Liftoff's code (a process's first loads, a
  // page's) ran a 1,000-flag load in 0.85 of the time; inside scan() the
  // same try gained nothing there (earlier-measurements.md, load2-13)
  const p = pos + 1;
  if (p + 16 <= end && load<u8>(p - 1) == 0x22) {
    let m = specialBytes(load<u64>(p));
    let q = p;
    if (m == 0) {
      m = specialBytes(load<u64>(p, 8));
      q += 8;
    }
    if (m != 0) {
      q += <usize>(ctz(m) >> 3);
      if (load<u8>(q) == 0x22) {
        strStart = p;
        pos = q + 1;
        return <i32>(q - p);
      }
    }
  }
  if (!scan(true)) return -1;
  return strEscaped ? unescape(strStart, strEnd, strStart) : <i32>(strEnd - strStart);
}

function scan(words: bool): bool {
  // a datafile's strings: at the quote already (compact JSON), without a
  // call to peek (a context's scan, in the evaluator too, keeps the call)
  if ((!words || pos >= end || load<u8>(pos) != 0x22) && peek() != 0x22) return fail(utf8("expected a string"));
  let p = pos + 1;
  const last = end;
  strStart = p;
  strEscaped = false;
  while (p < last) {
    let c: u32;
    // V8 charges each loop iteration the length of the code from the loop's
    // head to the branch back (its tier-up budget): plain bytes branch back
    // here, before the rarer cases' code
    if (words && p + 8 <= last) {
      const m = specialBytes(load<u64>(p));
      if (m == 0) {
        p += 8;
        continue;
      }
      // the lowest flagged byte is the first special one (specialBytes)
      p += <usize>(ctz(m) >> 3);
      c = load<u8>(p);
    } else {
      c = load<u8>(p);
      if (c >= 0x20 && c != 0x22 && c != 0x5c) {
        p++;
        continue;
      }
    }
    if (c == 0x22) {
      strEnd = p;
      pos = p + 1;
      return true;
    }
    if (c < 0x20) {
      pos = p;
      return fail(utf8("control character in string"));
    }
    // a backslash
    strEscaped = true;
    p++;
    if (p >= last) break;
    const e = load<u8>(p);
    if (e == 0x75) {
      if (p + 4 >= last) break;
      for (let k: usize = 1; k <= 4; k++) {
        if (hexVal(load<u8>(p + k)) < 0) {
          pos = p;
          return fail(utf8("bad \\u escape"));
        }
      }
      p += 4;
    } else if (
      e != 0x22 && e != 0x5c && e != 0x2f && e != 0x62 &&
      e != 0x66 && e != 0x6e && e != 0x72 && e != 0x74
    ) {
      pos = p;
      return fail(utf8("bad escape"));
    }
    p++;
  }
  pos = p;
  return fail(utf8("unterminated string"));
}

function hex4(p: usize): u32 {
  return (
    (<u32>hexVal(load<u8>(p)) << 12) | (<u32>hexVal(load<u8>(p + 1)) << 8) |
    (<u32>hexVal(load<u8>(p + 2)) << 4) | <u32>hexVal(load<u8>(p + 3))
  );
}

/**
 * Writes the unescaped UTF-8 of [from, to) at `dst` and returns its length.
 * The output is never longer than the input, so dst may equal from.
 */
export function unescape(from: usize, to: usize, dst: usize): i32 {
  let o = dst;
  let p = from;
  while (p < to) {
    const c = load<u8>(p);
    if (c != 0x5c) {
      store<u8>(o++, c);
      p++;
      continue;
    }
    const e = load<u8>(p + 1);
    p += 2;
    let cp: u32 = 0;
    if (e == 0x75) {
      cp = hex4(p);
      p += 4;
      if (cp >= 0xd800 && cp < 0xdc00 && p + 6 <= to && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75) {
        const lo = hex4(p + 2);
        if (lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          p += 6;
        }
      }
      if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd; // lone surrogate
    } else if (e == 0x62) cp = 8;
    else if (e == 0x66) cp = 12;
    else if (e == 0x6e) cp = 10;
    else if (e == 0x72) cp = 13;
    else if (e == 0x74) cp = 9;
    else cp = e;
    if (cp < 0x80) {
      store<u8>(o++, <u8>cp);
    } else if (cp < 0x800) {
      store<u8>(o++, <u8>(0xc0 | (cp >> 6)));
      store<u8>(o++, <u8>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      store<u8>(o++, <u8>(0xe0 | (cp >> 12)));
      store<u8>(o++, <u8>(0x80 | ((cp >> 6) & 0x3f)));
      store<u8>(o++, <u8>(0x80 | (cp & 0x3f)));
    } else {
      store<u8>(o++, <u8>(0xf0 | (cp >> 18)));
      store<u8>(o++, <u8>(0x80 | ((cp >> 12) & 0x3f)));
      store<u8>(o++, <u8>(0x80 | ((cp >> 6) & 0x3f)));
      store<u8>(o++, <u8>(0x80 | (cp & 0x3f)));
    }
  }
  return <i32>(o - dst);
}

const POW10: StaticArray<f64> = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

function scale(m: f64, e: i32): f64 {
  // Exact when m < 2^53 and |e| <= 22 (one correctly rounded operation);
  // beyond that a few ulps of error, the same in every host since the
  // engine does the parsing.
  while (e > 22) {
    m *= 1e22;
    e -= 22;
  }
  while (e < -22) {
    m /= 1e22;
    e += 22;
  }
  return e >= 0 ? m * unchecked(POW10[e]) : m / unchecked(POW10[-e]);
}

/**
 * scanNumber for the datafile's tree: its numbers are mostly short integers
 * (indexes, weights), which return here, before the general grammar's code.
 * V8 charges a function's tier-up budget at each return with the length of
 * the code before it, and a 1,000-flag datafile has thousands of numbers.
 * (Contexts keep calling scanNumber: the evaluator has no datafile parser
 * and does not pay for this one.)
 */
export function scanNumberShort(): bool {
  const start = pos;
  const e = end;
  let p = start;
  let n: u32 = 0;
  let d: u32 = 0;
  // up to 9 digits (an i32); a leading 0 ends the number, as in the grammar
  const last = min(e, p + 9);
  while (p < last && (d = <u32>load<u8>(p) - 0x30) <= 9) {
    n = n * 10 + d;
    p++;
    if (n == 0) break;
  }
  // a sign, more digits, a fraction or an exponent: the general grammar, from the start
  if (p == start || (p < e && ((d = <u32>load<u8>(p)) - 0x30 <= 9 || d == 0x2e || (d | 0x20) == 0x65))) return scanNumber();
  pos = p;
  numValue = <f64>n;
  return true;
}

/** JSON number grammar; the value lands in numValue. */
export function scanNumber(): bool {
  skipWs();
  let neg = false;
  if (pos < end && load<u8>(pos) == 0x2d) {
    neg = true;
    pos++;
  }
  if (pos >= end) return fail(utf8("bad number"));
  let mant: u64 = 0;
  let digits: i32 = 0;
  let exp: i32 = 0;
  let c = load<u8>(pos);
  if (c == 0x30) {
    pos++;
  } else if (c >= 0x31 && c <= 0x39) {
    while (pos < end && (c = load<u8>(pos)) >= 0x30 && c <= 0x39) {
      if (digits < 19) {
        mant = mant * 10 + <u64>(c - 0x30);
        if (mant != 0) digits++;
      } else exp++;
      pos++;
    }
  } else return fail(utf8("bad number"));
  if (pos < end && load<u8>(pos) == 0x2e) {
    pos++;
    const start = pos;
    while (pos < end && (c = load<u8>(pos)) >= 0x30 && c <= 0x39) {
      if (digits < 19) {
        mant = mant * 10 + <u64>(c - 0x30);
        if (mant != 0) digits++;
        exp--;
      }
      pos++;
    }
    if (pos == start) return fail(utf8("bad number"));
  }
  if (pos < end && (load<u8>(pos) | 0x20) == 0x65) {
    pos++;
    let eneg = false;
    if (pos < end && (load<u8>(pos) == 0x2b || load<u8>(pos) == 0x2d)) {
      eneg = load<u8>(pos) == 0x2d;
      pos++;
    }
    const start = pos;
    let ev: i32 = 0;
    while (pos < end && (c = load<u8>(pos)) >= 0x30 && c <= 0x39) {
      if (ev < 100000) ev = ev * 10 + <i32>(c - 0x30);
      pos++;
    }
    if (pos == start) return fail(utf8("bad number"));
    exp += eneg ? -ev : ev;
  }
  let v: f64 = mant == 0 ? 0 : exp > 400 ? Infinity : exp < -400 ? 0 : scale(<f64>mant, exp);
  numValue = neg ? -v : v;
  return true;
}

function literal(word: Text): bool {
  const n = textLen(word);
  const w = textPtr(word);
  if (pos + <usize>n > end) return fail(utf8("unexpected token"));
  for (let i: usize = 0; i < <usize>n; i++) {
    if (load<u8>(pos + i) != load<u8>(w + i)) return fail(utf8("unexpected token"));
  }
  pos += <usize>n;
  return true;
}

export const T_NULL: i32 = 0;
export const T_FALSE: i32 = 1;
export const T_TRUE: i32 = 2;

/** At `t`, `f` or `n`: scans the literal; returns T_* or -1. */
export function scanLiteral(): i32 {
  const c = peek();
  if (c == 0x74) return literal(utf8("true")) ? T_TRUE : -1;
  if (c == 0x66) return literal(utf8("false")) ? T_FALSE : -1;
  if (c == 0x6e) return literal(utf8("null")) ? T_NULL : -1;
  fail(utf8("expected a value"));
  return -1;
}
