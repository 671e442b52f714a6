// Backslash escapes, shared by atoms and character classes. Cold path.
import { A_BEGIN_TEXT, A_END_TEXT, A_WORD, A_NOT_WORD, MAX_CODE_POINT } from "./ranges";
import { decimal } from "../../util/decimal";

export const ESC_CHAR: i32 = 0; // value = code point
export const ESC_CLASS: i32 = 1; // value = d D s S w W
export const ESC_ASSERT: i32 = 2; // value = A_* kind

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

function bad(r: EscapeResult, msg: string): bool {
  r.err = msg;
  return false;
}

/** Parses the escape whose backslash is at cp[at]. False with r.err set on error. */
export function parseEscape(cp: Array<i32>, at: i32, inClass: bool, r: EscapeResult): bool {
  const n = cp.length;
  const off = " at offset " + decimal(at);
  if (at + 1 >= n) return bad(r, "trailing backslash at end of pattern" + off);
  const c = cp[at + 1];
  let i = at + 2;
  r.kind = ESC_CHAR;
  if (c >= 0x31 && c <= 0x39) return bad(r, "unsupported backreference " + show(cp, at, i) + off);
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
      if (i == s || i >= n || cp[i] != 0x7d || v > MAX_CODE_POINT) {
        return bad(r, "invalid escape " + show(cp, at, i + 1) + off);
      }
      i++;
    } else {
      if (i + 1 >= n || hexValue(cp[i]) < 0 || hexValue(cp[i + 1]) < 0) {
        return bad(r, "invalid escape " + show(cp, at, i + 2) + off + " (expected \\xHH or \\x{H...})");
      }
      v = hexValue(cp[i]) * 16 + hexValue(cp[i + 1]);
      i += 2;
    }
    r.value = v;
    r.end = i;
    return true;
  }
  r.end = i;
  let v: i32 = -1;
  switch (c) {
    case 0x74: { v = 0x09; break; } // \t
    case 0x6e: { v = 0x0a; break; } // \n
    case 0x72: { v = 0x0d; break; } // \r
    case 0x66: { v = 0x0c; break; } // \f
    case 0x76: { v = 0x0b; break; } // \v
    case 0x61: { v = 0x07; break; } // \a
    case 0x64: case 0x44: case 0x73: case 0x53: case 0x77: case 0x57: {
      r.kind = ESC_CLASS;
      r.value = c;
      return true;
    }
    case 0x62: case 0x42: case 0x41: case 0x7a: { // \b \B \A \z
      if (inClass) return bad(r, "invalid escape " + show(cp, at, i) + " inside a character class" + off);
      r.kind = ESC_ASSERT;
      r.value = c == 0x62 ? A_WORD : c == 0x42 ? A_NOT_WORD : c == 0x41 ? A_BEGIN_TEXT : A_END_TEXT;
      return true;
    }
    case 0x70: case 0x50: return bad(r, "unsupported Unicode class " + show(cp, at, i) + off);
    case 0x6b: return bad(r, "unsupported backreference " + show(cp, at, i) + off);
    case 0x5a: return bad(r, "unsupported escape \"\\Z\"" + off + " (use \\z)");
    case 0x75: return bad(r, "invalid escape " + show(cp, at, i) + off + " (use \\x{HHHH})");
    case 0x43: return bad(r, "unsupported escape \"\\C\"" + off);
    default: {
      // Any ASCII punctuation escapes to itself (Go/RE2 rule); letters and digits do not.
      const l = c | 0x20;
      const alnum = (c >= 0x30 && c <= 0x39) || (l >= 0x61 && l <= 0x7a);
      if (c < 0x80 && !alnum) v = c;
    }
  }
  if (v < 0) return bad(r, "invalid escape " + show(cp, at, i) + off);
  r.value = v;
  return true;
}
