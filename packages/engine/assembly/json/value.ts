// A JSON document tree for the datafile (cold path: allocation is fine).

import * as lx from "./lexer";

export const J_NULL: u8 = 0;
export const J_BOOL: u8 = 1;
export const J_NUM: u8 = 2;
export const J_STR: u8 = 3;
export const J_ARR: u8 = 4;
export const J_OBJ: u8 = 5;

// Scalars share these two (never written: only arrays and objects, which get
// their own, are pushed to); an allocation of each per scalar made a load's
// garbage several times the datafile's size.
const NO_ITEMS: JsonValue[] = [];
const NO_KEYS: string[] = [];

export class JsonValue {
  kind: u8 = J_NULL;
  bool: bool = false;
  num: f64 = 0;
  str: string = "";
  items: JsonValue[] = NO_ITEMS;
  keys: string[] = NO_KEYS;

  get(key: string): JsonValue | null {
    // the last duplicate wins, as in JSON.parse
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] == key) return this.items[i];
    }
    return null;
  }
}

export function kindName(k: u8): string {
  if (k == J_NULL) return "null";
  if (k == J_BOOL) return "a boolean";
  if (k == J_NUM) return "a number";
  if (k == J_STR) return "a string";
  if (k == J_ARR) return "an array";
  return "an object";
}

function decodeString(): string {
  const n = <i32>(lx.strEnd - lx.strStart);
  if (!lx.strEscaped) return String.UTF8.decodeUnsafe(lx.strStart, n);
  const tmp = heap.alloc(<usize>n);
  const m = lx.unescape(lx.strStart, lx.strEnd, tmp);
  const s = String.UTF8.decodeUnsafe(tmp, m);
  heap.free(tmp);
  return s;
}

function parseValue(depth: i32): JsonValue | null {
  if (depth > lx.MAX_DEPTH) {
    lx.fail("nesting deeper than 64");
    return null;
  }
  const v = new JsonValue();
  const c = lx.peek();
  if (c == 0x22) {
    if (!lx.scanString()) return null;
    v.kind = J_STR;
    v.str = decodeString();
  } else if (c == 0x7b) {
    lx.pos++;
    v.kind = J_OBJ;
    v.items = [];
    v.keys = [];
    if (lx.peek() == 0x7d) {
      lx.pos++;
      return v;
    }
    while (true) {
      if (!lx.scanString()) return null;
      const key = decodeString();
      if (!lx.expect(0x3a, "expected ':'")) return null;
      const item = parseValue(depth + 1);
      if (item == null) return null;
      v.keys.push(key);
      v.items.push(item);
      const d = lx.peek();
      if (d == 0x2c) {
        lx.pos++;
      } else if (d == 0x7d) {
        lx.pos++;
        return v;
      } else {
        lx.fail("expected ',' or '}'");
        return null;
      }
    }
  } else if (c == 0x5b) {
    lx.pos++;
    v.kind = J_ARR;
    v.items = [];
    if (lx.peek() == 0x5d) {
      lx.pos++;
      return v;
    }
    while (true) {
      const item = parseValue(depth + 1);
      if (item == null) return null;
      v.items.push(item);
      const d = lx.peek();
      if (d == 0x2c) {
        lx.pos++;
      } else if (d == 0x5d) {
        lx.pos++;
        return v;
      } else {
        lx.fail("expected ',' or ']'");
        return null;
      }
    }
  } else if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
    if (!lx.scanNumber()) return null;
    v.kind = J_NUM;
    v.num = lx.numValue;
  } else {
    const t = lx.scanLiteral();
    if (t < 0) return null;
    if (t != lx.T_NULL) {
      v.kind = J_BOOL;
      v.bool = t == lx.T_TRUE;
    }
  }
  return v;
}

/** Parses a whole document; on error returns null and lexer.failed() is true. */
export function parseJson(ptr: usize, len: i32): JsonValue | null {
  lx.reset(ptr, len);
  const v = parseValue(0);
  if (v == null) return null;
  if (lx.peek() != -1) {
    lx.fail("unexpected data after the document");
    return null;
  }
  return v;
}
