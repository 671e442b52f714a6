// A JSON document tree for the datafile (cold path: allocation is fine).

import * as lx from "./lexer";

export const J_NULL: u8 = 0;
export const J_BOOL: u8 = 1;
export const J_NUM: u8 = 2;
export const J_STR: u8 = 3;
export const J_ARR: u8 = 4;
export const J_OBJ: u8 = 5;

// Scalars share this list (never written: only arrays and objects, which get
// their own, are pushed to); a list allocated per scalar made a load's
// garbage several times the datafile's size.
const NO_ITEMS: JsonValue[] = [];

export class JsonValue {
  kind: u8 = J_NULL;
  bool: bool = false;
  num: f64 = 0;
  str: string = "";
  items: JsonValue[] = NO_ITEMS;
  /**
   * As a member of an object, its name: the raw UTF-8 between the quotes in
   * the input (which outlives the tree: the tree lives during one load) when
   * it has no escapes, else decoded into keyStr. Names are compared, never
   * decoded: a string per member was a third of a load's allocations.
   */
  keyPtr: usize = 0;
  keyLen: i32 = 0;
  keyStr: string = "";

  /** The member named `key` (ASCII, as every name the compiler asks for); the last duplicate wins, as in JSON.parse. */
  get(key: string): JsonValue | null {
    const items = this.items;
    for (let i = items.length - 1; i >= 0; i--) {
      const v = unchecked(items[i]);
      if (v.keyPtr != 0 ? rawEquals(v.keyPtr, v.keyLen, key) : v.keyStr == key) return v;
    }
    return null;
  }
}

function rawEquals(ptr: usize, len: i32, key: string): bool {
  if (len != key.length) return false;
  for (let i = 0; i < len; i++) {
    if (<i32>load<u8>(ptr + <usize>i) != key.charCodeAt(i)) return false;
  }
  return true;
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

// Children of the arrays and objects being parsed, innermost last: each
// container takes its own exactly once it ends, so a list of a hundred
// target keys is one allocation instead of a push that grows and copies it
// five times (most of a large load's allocator work).
const pending: JsonValue[] = [];

function takeFrom(from: i32): JsonValue[] {
  const out = pending.slice(from);
  pending.length = from;
  return out;
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
    if (lx.peek() == 0x7d) {
      lx.pos++;
      return v;
    }
    const from = pending.length;
    while (true) {
      if (!lx.scanString()) return null;
      const keyPtr = lx.strStart;
      const keyLen = <i32>(lx.strEnd - lx.strStart);
      const keyStr = lx.strEscaped ? decodeString() : "";
      if (!lx.expect(0x3a, "expected ':'")) return null;
      const item = parseValue(depth + 1);
      if (item == null) return null;
      if (keyStr.length == 0 && keyLen > 0) {
        item.keyPtr = keyPtr;
        item.keyLen = keyLen;
      } else item.keyStr = keyStr;
      pending.push(item);
      const d = lx.peek();
      if (d == 0x2c) {
        lx.pos++;
      } else if (d == 0x7d) {
        lx.pos++;
        v.items = takeFrom(from);
        return v;
      } else {
        lx.fail("expected ',' or '}'");
        return null;
      }
    }
  } else if (c == 0x5b) {
    lx.pos++;
    v.kind = J_ARR;
    if (lx.peek() == 0x5d) {
      lx.pos++;
      return v;
    }
    const from = pending.length;
    while (true) {
      const item = parseValue(depth + 1);
      if (item == null) return null;
      pending.push(item);
      const d = lx.peek();
      if (d == 0x2c) {
        lx.pos++;
      } else if (d == 0x5d) {
        lx.pos++;
        v.items = takeFrom(from);
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
  pending.length = 0; // a failed parse leaves children here: let them be collected
  if (v == null) return null;
  if (lx.peek() != -1) {
    lx.fail("unexpected data after the document");
    return null;
  }
  return v;
}
