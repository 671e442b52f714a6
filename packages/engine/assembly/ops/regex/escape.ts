// Backslash escapes, shared by atoms and character classes. Cold path.
import { Parser } from "./parser";
import { MAX_CODE_POINT } from "./ranges";
import { Text, textLen, textPtr, utf8 } from "../../util/text";

export const ESC_CHAR: i32 = 0; // p.value = code point
export const ESC_CLASS: i32 = 1; // p.value = d D s S w W
export const ESC_ASSERT: i32 = 2; // p.value = A_* kind (ranges.ts)

/** The value of a hex digit (decimal digits included), -1 for any other code point. */
export function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

// Letter, value pairs: the control escapes and the assertions (A_* kinds).
const CONTROLS = utf8("t\tn\nr\rf\fv\va\x07");
const ASSERTIONS = utf8("A\x00z\x01b\x04B\x05");

/** The value paired with letter `c` in `pairs`, -1 when it has none. */
function lookup(pairs: Text, c: i32): i32 {
  const p = textPtr(pairs);
  for (let k = 0, n = textLen(pairs); k < n; k += 2) if (c == <i32>load<u8>(p + k)) return <i32>load<u8>(p + k + 1);
  return -1;
}

/**
 * Parses the escape whose backslash is at p.i and moves p.i past it: its
 * ESC_* kind, with p.value set, or -1 after p.fail().
 */
export function parseEscape(p: Parser, inClass: bool): i32 {
  const at = p.i;
  const c = p.at(at + 1);
  let i = at + 2;
  p.i = i;
  if (c < 0) {
    p.fail(utf8("trailing backslash at end of pattern"), at);
    return -1;
  }
  let v: i32 = 0;
  if (c == 0x30) { // \0, \0N, \0NN: octal as in RE2
    v = max<i32>(p.digits(8, 2, 0xff), 0);
    i = p.i;
  } else if (c == 0x78) { // \xHH or \x{H...}
    if (p.peek() == 0x7b) {
      p.i++;
      v = p.digits(16, i32.MAX_VALUE, MAX_CODE_POINT + 1);
      i = p.i;
      if (v < 0 || p.peek() != 0x7d || v > MAX_CODE_POINT) return p.described(utf8("invalid escape"), at, i + 1);
      i++;
    } else {
      v = p.digits(16, 2, 0xff);
      if (p.i != at + 4) return p.described(utf8("invalid escape"), at, at + 4, utf8(" (expected \\xHH or \\x{H...})"));
      i = p.i;
    }
  } else {
    const l = c | 0x20;
    p.value = c;
    if (l == 0x64 || l == 0x73 || l == 0x77) return ESC_CLASS; // \d \D \s \S \w \W
    v = lookup(ASSERTIONS, c);
    if (v >= 0) {
      if (inClass) {
        return p.described(utf8("invalid escape"), at, i, utf8(" inside a character class"), true);
      }
      p.value = v;
      return ESC_ASSERT;
    }
    v = lookup(CONTROLS, c);
    if (v < 0) {
      if (c < 0x80 && !(c >= 0x30 && c <= 0x39) && !(l >= 0x61 && l <= 0x7a)) {
        v = c; // any ASCII punctuation escapes to itself (Go/RE2 rule); letters and digits do not
      } else {
        let what = utf8("invalid escape");
        let tail: Text = 0;
        if ((c >= 0x31 && c <= 0x39) || c == 0x6b) what = utf8("unsupported backreference"); // \1-\9 \k
        else if (l == 0x70) what = utf8("unsupported Unicode class"); // \p \P
        else if (c == 0x5a || c == 0x43) { // \Z \C
          what = utf8("unsupported escape");
          if (c == 0x5a) tail = utf8(" (use \\z)");
        } else if (c == 0x75) tail = utf8(" (use \\x{HHHH})"); // \u
        return p.described(what, at, i, tail);
      }
    }
  }
  p.i = i;
  p.value = v;
  return ESC_CHAR;
}
