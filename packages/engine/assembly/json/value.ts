// A JSON document tree for the datafile. It lives during one load, in an
// arena of unmanaged chunks freed at once by releaseTree(): a managed object
// per value made the allocator and the collector most of a large load's time.

import * as lx from "./lexer";
import { Text, textLen, textPtr, utf8 } from "../util/text";
import { copyShort } from "../util/bytes";

export const J_NULL: u8 = 0;
export const J_BOOL: u8 = 1;
export const J_NUM: u8 = 2;
export const J_STR: u8 = 3;
export const J_ARR: u8 = 4;
export const J_OBJ: u8 = 5;

/**
 * A value of the tree; as a container, also the list of its children
 * (`length`, `[i]`). Strings and member names are byte ranges of the input
 * (which outlives the tree), unescaped in place when they have escapes, so
 * parsing decodes no text (nor does anything after it: a message quotes the
 * bytes, the regex parser reads them).
 */
// @ts-ignore: decorator
@unmanaged
export class JsonValue {
  kind: u8;
  bool: bool;
  /** A string's UTF-8 byte length; a container's length in the input, brackets included. */
  strLen: i32;
  /** As a member of an object, its name's UTF-8 byte length. */
  keyLen: i32;
  /** A container's number of children. */
  count: i32;
  num: f64;
  /** A string's UTF-8 bytes (unescaped); where a container starts in the input (its bracket). */
  strPtr: usize;
  /** As a member of an object, its name's UTF-8 bytes (unescaped). */
  keyPtr: usize;
  /** A container's children: `count` pointers. */
  itemsPtr: usize;

  get length(): i32 {
    return this.count;
  }

  // inlined: as a call, a 1,000-flag load's ≈ 40,000 reads of a child cost 3 % of its instructions
  // @ts-ignore: decorator
  @inline @operator("[]")
  private at(i: i32): JsonValue {
    return changetype<JsonValue>(load<usize>(this.itemsPtr + (<usize>i << alignof<usize>())));
  }

  /** Whether this is the string `text`, compared in place. */
  is(text: Text): bool {
    return this.kind == J_STR && rawEquals(this.strPtr, this.strLen, text);
  }

  /** Whether this member's name is `key` (compared in place). */
  named(key: Text): bool {
    return rawEquals(this.keyPtr, this.keyLen, key);
  }

  /** The member named `key`; the last duplicate wins, as in JSON.parse. */
  get(key: Text): JsonValue | null {
    const n = textLen(key);
    const first = this.itemsPtr;
    // lengths first, here: most members differ in length, and a call per member adds up over a large datafile
    for (let p = first + (<usize>this.count << alignof<usize>()); p > first; ) {
      p -= sizeof<usize>();
      const v = changetype<JsonValue>(load<usize>(p));
      if (v.keyLen == n && rawEquals(v.keyPtr, n, key)) return v;
    }
    return null;
  }
}

/** An empty list: what a missing optional array reads as. */
export const NO_ITEMS: JsonValue = changetype<JsonValue>(memory.data(offsetof<JsonValue>(), 8));

// a call, not inlined: inline it ran 4 % fewer instructions in optimized
// code but made Liftoff's code, which runs a process's first loads, 7 %
// slower (tools/bench/earlier-measurements.md, the thirteenth load pass)
function rawEquals(ptr: usize, len: i32, key: Text): bool {
  if (len != textLen(key)) return false;
  const k = textPtr(key);
  if (len >= 4) {
    // a word at a time, the last word overlapping the one before it: a
    // 1,000-flag load compares ≈ 22,000 names of the asked length, and a
    // byte at a time cost 2.4 % more of its instructions
    const last = <usize>(len - 4);
    for (let i: usize = 0; i < last; i += 4) {
      if (load<u32>(ptr + i) != load<u32>(k + i)) return false;
    }
    return load<u32>(ptr + last) == load<u32>(k + last);
  }
  for (let i: usize = 0; i < <usize>len; i++) {
    if (load<u8>(ptr + i) != load<u8>(k + i)) return false;
  }
  return true;
}

export function kindName(k: u8): Text {
  if (k == J_NULL) return utf8("null");
  if (k == J_BOOL) return utf8("a boolean");
  if (k == J_NUM) return utf8("a number");
  if (k == J_STR) return utf8("a string");
  if (k == J_ARR) return utf8("an array");
  return utf8("an object");
}

// The arena: zeroed 64 KiB chunks from the heap (a larger one for a larger
// request), each starting with a pointer to the one before.
const CHUNK: usize = 64 << 10;
let chunk: usize = 0;
let next: usize = 0;
let chunkEnd: usize = 0;

// @ts-ignore: decorator
@inline
function arenaAlloc(size: usize): usize {
  size = (size + 7) & ~(<usize>7);
  if (next + size > chunkEnd) newChunk(size);
  const p = next;
  next += size;
  return p;
}

function newChunk(size: usize): void {
  const n = max(CHUNK, size + 8);
  // not zeroed: newValue writes the fields every value reads, the parser the rest
  const c = heap.alloc(n);
  store<usize>(c, chunk);
  chunk = c;
  next = c + 8;
  chunkEnd = c + n;
}

/** Frees the tree of the last parse (every JsonValue from it is gone). */
export function releaseTree(): void {
  let c = chunk;
  while (c != 0) {
    const before = load<usize>(c);
    heap.free(c);
    c = before;
  }
  chunk = 0;
  next = 0;
  chunkEnd = 0;
}

/**
 * A value of `kind` with `bool`, `strLen`, `keyLen` and `count` zero (an
 * empty container's); `num`, `strPtr`, `keyPtr` and `itemsPtr` are left for
 * the parser, which writes each before anything reads it. A call, not
 * inlined: the parser's functions stay short for V8's tier-up budget.
 */
function newValue(kind: u8): JsonValue {
  const p = arenaAlloc(offsetof<JsonValue>());
  store<u64>(p, <u64>kind);
  store<u64>(p, 0, 8);
  return changetype<JsonValue>(p);
}

// Children of the containers being parsed, innermost last: each container
// copies its own into the arena once it ends. An unmanaged stack of
// pointers, so a push is a store, not a call into a managed array.
let pending: usize = 0;
let pendingLen: i32 = 0;
let pendingCap: i32 = 0;

// @ts-ignore: decorator
@inline
function push(v: JsonValue): void {
  if (pendingLen == pendingCap) growPending();
  store<usize>(pending + (<usize>pendingLen << alignof<usize>()), changetype<usize>(v));
  pendingLen++;
}

function growPending(): void {
  pendingCap = pendingCap == 0 ? 1024 : pendingCap << 1;
  const size = <usize>pendingCap << alignof<usize>();
  pending = pending == 0 ? heap.alloc(size) : heap.realloc(pending, size);
}

/** Closes the container `v` after its last child (the lexer past its bracket). */
function takeFrom(v: JsonValue, from: i32): void {
  v.strLen = <i32>(lx.pos - v.strPtr);
  const n = pendingLen - from;
  const size = <usize>n << alignof<usize>();
  const items = arenaAlloc(size);
  copyShort(items, pending + (<usize>from << alignof<usize>()), size);
  pendingLen = from;
  v.itemsPtr = items;
  v.count = n;
}

/** lexer.peek with compact JSON's case (no whitespace) inline: the parser peeks before every value and separator. */
// @ts-ignore: decorator
@inline
function peek(): i32 {
  const p = lx.pos;
  if (p < lx.end) {
    const c = <i32>load<u8>(p);
    if (c > 0x20) return c;
  }
  return lx.peek();
}

// V8 tiers a function up once its Liftoff code has spent a budget: each
// return spends the length of the code before it, each loop iteration the
// length of its body. So the scalars, most of a datafile's values, return
// first, and the containers' loop is a function of its own.
function parseValue(depth: i32): JsonValue | null {
  if (depth > lx.MAX_DEPTH) {
    lx.fail(utf8("nesting deeper than 64"));
    return null;
  }
  const c = peek();
  if (c == 0x22) {
    const n = lx.scanDatafileString();
    if (n < 0) return null;
    const v = newValue(J_STR);
    v.strPtr = lx.strStart;
    v.strLen = n;
    return v;
  }
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
    if (!lx.scanNumberShort()) return null;
    const v = newValue(J_NUM);
    v.num = lx.numValue;
    return v;
  }
  if (c == 0x7b) return parseContainer(depth, true);
  if (c == 0x5b) return parseContainer(depth, false);
  const t = lx.scanLiteral();
  if (t < 0) return null;
  const v = newValue(t == lx.T_NULL ? J_NULL : J_BOOL);
  v.bool = t == lx.T_TRUE;
  return v;
}

/** At a '{' (`object`) or a '['. */
function parseContainer(depth: i32, object: bool): JsonValue | null {
  const v = newValue(object ? J_OBJ : J_ARR);
  v.strPtr = lx.pos++;
  const close = object ? 0x7d : 0x5d;
  if (peek() == close) {
    lx.pos++;
    v.strLen = <i32>(lx.pos - v.strPtr);
    return v;
  }
  const from = pendingLen;
  while (true) {
    let keyPtr: usize = 0;
    let keyLen = 0;
    if (object) {
      keyLen = lx.scanDatafileString();
      keyPtr = lx.strStart;
      if (keyLen < 0) return null;
      // lexer.expect without its call: once per member
      if (peek() != 0x3a) {
        lx.fail(utf8("expected ':'"));
        return null;
      }
      lx.pos++;
    }
    const item = parseValue(depth + 1);
    if (item == null) return null;
    item.keyPtr = keyPtr;
    item.keyLen = keyLen;
    push(item);
    const d = peek();
    if (d == 0x2c) {
      lx.pos++;
    } else if (d == close) {
      lx.pos++;
      takeFrom(v, from);
      return v;
    } else {
      lx.fail(object ? utf8("expected ',' or '}'") : utf8("expected ',' or ']'"));
      return null;
    }
  }
}

/**
 * Parses a whole document; on error returns null (having freed what it
 * built) and lexer.failed() is true. The tree lives until releaseTree().
 * Strings with escapes are unescaped in place: the input buffer no longer
 * holds the text it was given.
 */
export function parseJson(ptr: usize, len: i32): JsonValue | null {
  releaseTree();
  lx.reset(ptr, len);
  const v = parseValue(0);
  pendingLen = 0;
  // a large document's stack is not kept for the next one
  if (pendingCap > 4096) {
    heap.free(pending);
    pending = 0;
    pendingCap = 0;
  }
  if (v != null && peek() != -1) {
    lx.fail(utf8("unexpected data after the document"));
    releaseTree();
    return null;
  }
  if (v == null) releaseTree();
  return v;
}
