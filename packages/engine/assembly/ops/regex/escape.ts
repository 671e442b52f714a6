// Backslash escapes, shared by atoms and character classes. Cold path.
import { MAX_CODE_POINT } from "./ranges";
import { decimal } from "../../util/decimal";

export const ESC_CHAR: i32 = 0; // value = code point
export const ESC_CLASS: i32 = 1; // value = d D s S w W
export const ESC_ASSERT: i32 = 2; // value = A_* kind (ranges.ts)

export class EscapeResult {
  kind: i32 = ESC_CHAR;
  value: i32 = 0;
  end: i32 = 0; // index just past the escape
  err: string = "";
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

export function show(cp: Array<i32>, from: i32, to: i32): string {
  let s = "";
  for (let k = from; k < to && k < cp.length; k++) s += String.fromCodePoint(cp[k]);
  return '"' + s + '"';
}

/** `what "cp[from..to)" at offset from` + tail: how every message names a piece of the pattern. */
export function described(what: string, cp: Array<i32>, from: i32, to: i32, tail: string = ""): string {
  return what + " " + show(cp, from, to) + " at offset " + decimal(from) + tail;
}

function bad(r: EscapeResult, msg: string): bool {
  r.err = msg;
  return false;
}

// Letter, value pairs: the control escapes and the assertions (A_* kinds).
const CONTROLS = "t\tn\nr\rf\fv\va\x07";
const ASSERTIONS = "A\x00z\x01b\x04B\x05";

/** The value paired with letter `c` in `pairs`, -1 when it has none. */
function lookup(pairs: string, c: i32): i32 {
  for (let k = 0; k < pairs.length; k += 2) if (c == <i32>pairs.charCodeAt(k)) return <i32>pairs.charCodeAt(k + 1);
  return -1;
}

/** Parses the escape whose backslash is at cp[at]. False with r.err set on error. */
export function parseEscape(cp: Array<i32>, at: i32, inClass: bool, r: EscapeResult): bool {
  const n = cp.length;
  if (at + 1 >= n) return bad(r, "trailing backslash at end of pattern at offset " + decimal(at));
  const c = cp[at + 1];
  let i = at + 2;
  r.kind = ESC_CHAR;
  if (c == 0x30) { // \0, \0N, \0NN: octal as in RE2
    let v: i32 = 0;
    while (i < n && i < at + 4 && cp[i] >= 0x30 && cp[i] <= 0x37) v = v * 8 + cp[i++] - 0x30;
    r.value = v;
    r.end = i;
    return true;
  }
  if (c == 0x78) { // \xHH or \x{H...}
    let v: i32 = 0;
    if (i < n && cp[i] == 0x7b) {
      i++;
      const s = i;
      while (i < n && hexValue(cp[i]) >= 0) {
        v = min<i32>(v * 16 + hexValue(cp[i]), MAX_CODE_POINT + 1);
        i++;
      }
      if (i == s || i >= n || cp[i] != 0x7d || v > MAX_CODE_POINT) return bad(r, described("invalid escape", cp, at, i + 1));
      i++;
    } else {
      if (i + 1 >= n || hexValue(cp[i]) < 0 || hexValue(cp[i + 1]) < 0) {
        return bad(r, described("invalid escape", cp, at, i + 2, " (expected \\xHH or \\x{H...})"));
      }
      v = hexValue(cp[i]) * 16 + hexValue(cp[i + 1]);
      i += 2;
    }
    r.value = v;
    r.end = i;
    return true;
  }
  r.end = i;
  r.value = c;
  const l = c | 0x20;
  if (l == 0x64 || l == 0x73 || l == 0x77) { // \d \D \s \S \w \W
    r.kind = ESC_CLASS;
    return true;
  }
  let v = lookup(CONTROLS, c);
  if (v >= 0) {
    r.value = v;
    return true;
  }
  v = lookup(ASSERTIONS, c);
  if (v >= 0) {
    if (inClass) {
      return bad(r, "invalid escape " + show(cp, at, i) + " inside a character class at offset " + decimal(at));
    }
    r.kind = ESC_ASSERT;
    r.value = v;
    return true;
  }
  let what = "invalid escape";
  let tail = "";
  if ((c >= 0x31 && c <= 0x39) || c == 0x6b) what = "unsupported backreference"; // \1-\9 \k
  else if (l == 0x70) what = "unsupported Unicode class"; // \p \P
  else if (c == 0x5a || c == 0x43) { // \Z \C
    what = "unsupported escape";
    if (c == 0x5a) tail = " (use \\z)";
  } else if (c == 0x75) tail = " (use \\x{HHHH})"; // \u
  else if (c < 0x80 && !(c >= 0x30 && c <= 0x39) && !(l >= 0x61 && l <= 0x7a)) {
    return true; // any ASCII punctuation escapes to itself (Go/RE2 rule); letters and digits do not
  }
  return bad(r, described(what, cp, at, i, tail));
}
