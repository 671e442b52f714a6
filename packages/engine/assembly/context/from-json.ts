// A JSON context → the binary context encoding (parse-binary.ts), so that one
// walker builds the records of both. The lexer checks the whole document
// here, in one pass, and the walker then reads lengths and tags instead of
// lexing the JSON a second time.
//
// Two things of the JSON walk this pass keeps: a top-level "kind" must be a
// plain string (no escapes), reported where it is met, before any later
// syntax error; and top-level member names are written as they are in the
// JSON (escapes and all), because an escaped name is never a kind name
// (parse-binary.ts unescapes them where they name attributes). Every other
// string is unescaped.

import * as lx from "../json/lexer";
import { utf8 } from "../util/text";
import { B_ARR, B_NUM, B_OBJ, B_STR } from "./parse-binary";
import { fail, isKind } from "./parse";

let out: usize = 0;

/** The most bytes `len` bytes of JSON encode to ("0," → 9 bytes, "[]," → 5). */
export function encodedBound(len: i32): usize {
  return <usize>len * 5 + 16;
}

/** The string the lexer just scanned, with its length first; unescaped unless `raw`. */
function putString(raw: bool): void {
  let n = <i32>(lx.strEnd - lx.strStart);
  if (lx.strEscaped && !raw) n = lx.unescape(lx.strStart, lx.strEnd, out + 4);
  else memory.copy(out + 4, lx.strStart, <usize>n);
  store<u32>(out, n);
  out += 4 + <usize>n;
}

function putValue(depth: i32): bool {
  if (depth > lx.MAX_DEPTH) return lx.fail(utf8("nesting deeper than 64"));
  const c = lx.peek();
  if (c == 0x22) {
    if (!lx.scanString()) return false;
    store<u8>(out++, B_STR);
    putString(false);
    return true;
  }
  if (c == 0x7b || c == 0x5b) return putContainer(c, depth, false);
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
    if (!lx.scanNumber()) return false;
    store<u8>(out, B_NUM);
    store<f64>(out + 1, lx.numValue);
    out += 9;
    return true;
  }
  const t = lx.scanLiteral();
  if (t < 0) return false;
  store<u8>(out++, <u8>t); // T_NULL, T_FALSE, T_TRUE are B_NULL, B_FALSE, B_TRUE
  return true;
}

/** An object or array at the lexer; `top`: the context itself. */
function putContainer(c: i32, depth: i32, top: bool): bool {
  const close = c + 2; // '{' → '}', '[' → ']'
  lx.pos++;
  store<u8>(out, c == 0x7b ? B_OBJ : B_ARR);
  const countAt = out + 1;
  out += 5;
  let n: u32 = 0;
  if (lx.peek() == close) {
    lx.pos++;
  } else {
    while (true) {
      if (c == 0x7b) {
        if (!lx.scanString()) return false;
        const kind = top && !lx.strEscaped && isKind(lx.strStart, <i32>(lx.strEnd - lx.strStart));
        putString(top);
        if (!lx.expect(0x3a, utf8("expected ':'"))) return false;
        if (kind) {
          if (lx.peek() != 0x22 || !lx.scanString() || lx.strEscaped) {
            return fail(0, 0, utf8("\"kind\" must be a string of letters, digits, '.', '_' or '-'"));
          }
          store<u8>(out++, B_STR);
          putString(true);
        } else if (!putValue(depth + 1)) {
          return false;
        }
      } else if (!putValue(depth + 1)) {
        return false;
      }
      n++;
      const d = lx.peek();
      lx.pos++;
      if (d == close) break;
      if (d != 0x2c) {
        lx.pos--;
        return lx.fail(c == 0x7b ? utf8("expected ',' or '}'") : utf8("expected ',' or ']'"));
      }
    }
  }
  store<u32>(countAt, n);
  return true;
}

/**
 * Encodes the JSON context of `len` bytes at `src` at `dst` (room for
 * encodedBound(len) bytes): the encoding's length, or -1 with the lexer
 * failed or the error buffer set.
 */
export function encodeJson(src: usize, len: i32, dst: usize): i32 {
  lx.reset(src, len);
  out = dst;
  if (lx.peek() != 0x7b) {
    fail(0, 0, utf8("must be a JSON object"));
    return -1;
  }
  if (!putContainer(0x7b, 0, true)) return -1;
  if (lx.peek() != -1) {
    lx.fail(utf8("unexpected data after the context"));
    return -1;
  }
  return <i32>(out - dst);
}
