// A context (JSON, or the binary encoding of parse-binary.ts) → a record
// block (see record.ts). Runs once per registered context, so it allocates
// nothing managed: it builds the block in a reusable scratch buffer and
// copies it out at the exact size. The rules of a context's shape (kind,
// key, multi-kind) and their messages live here once; parse-binary.ts walks
// its encoding with them.

import * as lx from "../json/lexer";
import { errReset, errStr, errBytes } from "../util/error";
import { fnv1a } from "../util/hash";
import { bytesEqual } from "../util/bytes";
import { Ruleset, RefNode, ATTR_KEY, KIND_USER } from "../ruleset/model";
import { HEADER, RAW_BINARY, SLOT, V_ARR, V_BOOL, V_NONE, V_NUM, V_OTHER, V_STR } from "./record";
import { parseBinaryInto } from "./parse-binary";

export const MAX_CONTEXT_BYTES: i32 = 1 << 20;

// The block is built in `scratch` (header, raw JSON, slots, array items);
// unescaped strings go to `strings` and are appended when the block is
// copied out. Their slot offsets carry STRING_FLAG until then.
const STRING_FLAG: u32 = 0x80000000;
let scratch: usize = 0;
let scratchCap: usize = 0;
let strings: usize = 0;
let stringsCap: usize = 0;
let itemsTail: usize = 0; // next free byte for array items (absolute)
let stringsTail: usize = 0; // next free byte in `strings` (absolute)
let rs: Ruleset = changetype<Ruleset>(0);

// @ts-ignore: decorator
@inline
function align8(n: usize): usize {
  return (n + 7) & ~(<usize>7);
}

function grow(buf: usize, cap: usize, n: usize): usize {
  if (n <= cap) return cap;
  let c = cap == 0 ? <usize>4096 : cap;
  while (c < n) c <<= 1;
  return c;
}

function ensureScratch(blockBytes: usize, stringBytes: usize): void {
  const c1 = grow(scratch, scratchCap, blockBytes);
  if (c1 != scratchCap) {
    if (scratch != 0) heap.free(scratch);
    scratch = heap.alloc(c1);
    scratchCap = c1;
  }
  const c2 = grow(strings, stringsCap, stringBytes);
  if (c2 != stringsCap) {
    if (strings != 0) heap.free(strings);
    strings = heap.alloc(c2);
    stringsCap = c2;
  }
}

export function fail(path1: usize, path1Len: i32, msg: string): bool {
  errReset();
  errStr("context");
  if (path1Len > 0) {
    errStr(".");
    errBytes(path1, path1Len);
  }
  errStr(": ");
  errStr(msg);
  return false;
}

export function slot(kind: i32, attr: i32): usize {
  return scratch + <usize>load<u32>(scratch, 8) + <usize>(kind * rs.attrCount + attr) * SLOT;
}

export function findChild(node: RefNode, ptr: usize, len: i32): RefNode | null {
  const h = fnv1a(ptr, len);
  const children = node.children;
  for (let i = 0, n = children.length; i < n; i++) {
    const c = unchecked(children[i]);
    if (c.hash == h && bytesEqual(changetype<usize>(c.name), c.name.byteLength, ptr, len)) return c;
  }
  return null;
}

/** The ruleset the context being built is indexed for. */
export function currentRuleset(): Ruleset {
  return rs;
}

/** Room for `n` array items (slots) in the block; their absolute address. */
export function reserveItems(n: i32): usize {
  const items = itemsTail;
  itemsTail = items + <usize>n * SLOT;
  return items;
}

/** Empties the slots and array items filled so far, for a walk that starts over. */
export function resetSlots(): void {
  const slotsAt = <usize>load<u32>(scratch, 8);
  const slotBytes = <usize>(rs.kindNames.length * rs.attrCount) * SLOT;
  memory.fill(scratch + slotsAt, 0, slotBytes);
  itemsTail = scratch + slotsAt + slotBytes;
}

/** Offset of an absolute address in the block being built. */
export function blockOffset(at: usize): u32 {
  return <u32>(at - scratch);
}

/** The bytes of the string the lexer just scanned, unescaped into the tail if needed. */
function takeString(): void {
  if (lx.strEscaped) {
    const n = lx.unescape(lx.strStart, lx.strEnd, stringsTail);
    lx.strStart = stringsTail;
    lx.strEnd = stringsTail + <usize>n;
    stringsTail += <usize>n;
  }
}

/** Points a slot at the string the lexer just scanned. */
function storeString(dst: usize): void {
  store<u8>(dst, V_STR);
  store<i32>(dst, <i32>(lx.strEnd - lx.strStart), 4);
  const inStrings = lx.strStart >= strings && lx.strStart <= strings + stringsCap;
  store<u32>(dst, inStrings ? STRING_FLAG | <u32>(lx.strStart - strings) : <u32>(lx.strStart - scratch), 8);
}

/** Writes the scalar at the lexer into `dst`; objects/arrays are V_OTHER (skipped). */
function storeScalar(dst: usize, depth: i32): bool {
  const c = lx.peek();
  if (c == 0x22) {
    if (!lx.scanString()) return false;
    takeString();
    storeString(dst);
    return true;
  }
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
    if (!lx.scanNumber()) return false;
    store<u8>(dst, V_NUM);
    store<f64>(dst, lx.numValue, 8);
    return true;
  }
  if (c == 0x7b || c == 0x5b) {
    store<u8>(dst, V_OTHER);
    return lx.skipValue(depth);
  }
  const t = lx.scanLiteral();
  if (t < 0) return false;
  if (t == lx.T_NULL) {
    store<u8>(dst, V_NONE); // null reads as missing
  } else {
    store<u8>(dst, V_BOOL);
    store<f64>(dst, t == lx.T_TRUE ? 1 : 0, 8);
  }
  return true;
}

function storeArray(dst: usize, depth: i32): bool {
  lx.pos++; // '['
  // nested arrays are skipped, so one array's items are always contiguous
  const items = itemsTail;
  let n: i32 = 0;
  if (lx.peek() == 0x5d) {
    lx.pos++;
  } else {
    while (true) {
      if (!storeScalar(items + <usize>n * SLOT, depth + 1)) return false;
      n++;
      const d = lx.peek();
      lx.pos++;
      if (d == 0x5d) break;
      if (d != 0x2c) {
        lx.pos--;
        return lx.fail("expected ',' or ']'");
      }
    }
  }
  itemsTail = items + <usize>n * SLOT;
  store<u8>(dst, V_ARR);
  store<i32>(dst, n, 4);
  store<u32>(dst, <u32>(items - scratch), 8);
  return true;
}

/** A value whose reference node is `node` (null: nobody reads it). */
function storeValue(kind: i32, node: RefNode | null, depth: i32): bool {
  if (depth > lx.MAX_DEPTH) return lx.fail("nesting deeper than 64");
  if (node == null || kind < 0) return lx.skipValue(depth);
  const c = lx.peek();
  if (c == 0x7b) {
    if (node.attr >= 0) store<u8>(slot(kind, node.attr), V_OTHER);
    if (node.children.length == 0) return lx.skipValue(depth);
    return walkObject(kind, node, depth + 1, false, 0, 0);
  }
  if (node.attr < 0) return lx.skipValue(depth);
  if (c == 0x5b) return storeArray(slot(kind, node.attr), depth);
  return storeScalar(slot(kind, node.attr), depth);
}

/**
 * Walks an object's members. At the top of a kind (`top`), `key` is checked
 * and stored, and `kind` is skipped (single-kind) or rejected (inside multi).
 */
function walkObject(kind: i32, node: RefNode, depth: i32, top: bool, kindName: usize, kindLen: i32): bool {
  if (depth > lx.MAX_DEPTH) return lx.fail("nesting deeper than 64");
  lx.pos++; // '{'
  let haveKey = false;
  if (lx.peek() == 0x7d) {
    lx.pos++;
  } else {
    while (true) {
      if (!lx.scanString()) return false;
      takeString();
      const name = lx.strStart;
      const nameLen = <i32>(lx.strEnd - lx.strStart);
      if (!lx.expect(0x3a, "expected ':'")) return false;
      if (top && nameLen == 3 && load<u8>(name) == 0x6b && load<u8>(name, 1) == 0x65 && load<u8>(name, 2) == 0x79) {
        if (lx.peek() != 0x22 || !lx.scanString()) return keyError(kindName, kindLen);
        takeString();
        if (lx.strEnd == lx.strStart) return keyError(kindName, kindLen);
        if (kind >= 0) storeString(slot(kind, ATTR_KEY));
        haveKey = true;
      } else if (top && nameLen == 4 && memory.compare(name, changetype<usize>(KIND), 4) == 0) {
        if (kindLen > 0) return fail(kindName, kindLen, "\"kind\" is not allowed inside a multi-kind context");
        if (!lx.skipValue(depth)) return false;
      } else {
        if (!storeValue(kind, findChild(node, name, nameLen), depth)) return false;
      }
      const d = lx.peek();
      lx.pos++;
      if (d == 0x7d) break;
      if (d != 0x2c) {
        lx.pos--;
        return lx.fail("expected ',' or '}'");
      }
    }
  }
  if (top && !haveKey) {
    keyPath(kindName, kindLen);
    errStr(": must be a non-empty string; it is missing");
    return false;
  }
  return true;
}

export const KIND = memory.data<u8>([0x6b, 0x69, 0x6e, 0x64]); // "kind"
export const MULTI = memory.data<u8>([0x6d, 0x75, 0x6c, 0x74, 0x69]); // "multi"

/** Starts an error message at `context.key` or `context.<kind>.key`. */
export function keyPath(kindName: usize, kindLen: i32): void {
  errReset();
  errStr("context.");
  if (kindLen > 0) {
    errBytes(kindName, kindLen);
    errStr(".");
  }
  errStr("key");
}

export function keyError(kindName: usize, kindLen: i32): bool {
  keyPath(kindName, kindLen);
  errStr(": must be a non-empty string");
  return false;
}

export function validKind(ptr: usize, len: i32): bool {
  if (len == 0 || len > 256) return false;
  if (len == 4 && memory.compare(ptr, KIND, 4) == 0) return false;
  if (len == 5 && memory.compare(ptr, MULTI, 5) == 0) return false;
  for (let i: i32 = 0; i < len; i++) {
    const c = load<u8>(ptr + <usize>i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
      c == 0x2e || c == 0x5f || c == 0x2d;
    if (!ok) return false;
  }
  return true;
}

export function kindIndex(ptr: usize, len: i32): i32 {
  const h = fnv1a(ptr, len);
  const names = rs.kindNames;
  for (let i = 0, n = names.length; i < n; i++) {
    const k = unchecked(names[i]);
    if (unchecked(rs.kindHashes[i]) == h && bytesEqual(changetype<usize>(k), k.byteLength, ptr, len)) return i;
  }
  return -1;
}

/** Finds the top-level "kind" member without storing anything. */
function findKind(): bool {
  // returns with lx.strStart/strEnd on the kind name, or strEnd == 0 when absent
  lx.pos++;
  let found = false;
  let kStart: usize = 0;
  let kEnd: usize = 0;
  if (lx.peek() == 0x7d) {
    lx.pos++;
  } else {
    while (true) {
      if (!lx.scanString()) return false;
      const isKind = !lx.strEscaped && lx.strEnd - lx.strStart == 4 && memory.compare(lx.strStart, KIND, 4) == 0;
      if (!lx.expect(0x3a, "expected ':'")) return false;
      if (isKind) {
        if (lx.peek() != 0x22 || !lx.scanString() || lx.strEscaped) {
          return fail(0, 0, "\"kind\" must be a string of letters, digits, '.', '_' or '-'");
        }
        found = true;
        kStart = lx.strStart;
        kEnd = lx.strEnd;
      } else if (!lx.skipValue(1)) {
        return false;
      }
      const d = lx.peek();
      lx.pos++;
      if (d == 0x7d) break;
      if (d != 0x2c) {
        lx.pos--;
        return lx.fail("expected ',' or '}'");
      }
    }
  }
  if (lx.peek() != -1) return lx.fail("unexpected data after the context");
  lx.strStart = kStart;
  lx.strEnd = found ? kEnd : 0;
  return true;
}

function walkMulti(start: usize): bool {
  lx.pos = start + 1;
  let kinds: i32 = 0;
  let seen: u64 = 0;
  if (lx.peek() != 0x7d) {
    while (true) {
      if (!lx.scanString()) return false;
      const name = lx.strStart;
      const nameLen = <i32>(lx.strEnd - lx.strStart);
      if (!lx.expect(0x3a, "expected ':'")) return false;
      if (!lx.strEscaped && nameLen == 4 && memory.compare(name, KIND, 4) == 0) {
        if (!lx.skipValue(1)) return false;
      } else {
        if (lx.strEscaped || !validKind(name, nameLen)) {
          return fail(name, nameLen, "is not a valid kind name (letters, digits, '.', '_', '-'; not \"kind\" or \"multi\")");
        }
        if (lx.peek() != 0x7b) return fail(name, nameLen, "must be an object with the attributes of that kind");
        const k = kindIndex(name, nameLen);
        if (k >= 0 && k < 64) {
          if ((seen >> <u64>k) & 1) return fail(name, nameLen, "appears twice");
          seen |= (<u64>1) << <u64>k;
        }
        if (!walkObject(k, rs.refs, 1, true, name, nameLen)) return false;
        kinds++;
      }
      const d = lx.peek();
      lx.pos++;
      if (d == 0x7d) break;
      if (d != 0x2c) {
        lx.pos--;
        return lx.fail("expected ',' or '}'");
      }
    }
  }
  if (kinds == 0) return fail(0, 0, "a multi-kind context needs at least one kind");
  return true;
}

/** Parses the raw JSON already copied at scratch + HEADER. */
function parseInto(len: i32): bool {
  const raw = scratch + HEADER;
  lx.reset(raw, len);
  if (lx.peek() != 0x7b) return fail(0, 0, "must be a JSON object");
  const start = lx.pos;
  if (!findKind()) return false;
  if (lx.strEnd == 0) return walkSingle(start, KIND_USER_NAME, 4);
  const kPtr = lx.strStart;
  const kLen = <i32>(lx.strEnd - lx.strStart);
  if (kLen == 5 && memory.compare(kPtr, MULTI, 5) == 0) return walkMulti(start);
  if (!validKind(kPtr, kLen)) return fail(0, 0, "\"kind\" must be letters, digits, '.', '_' or '-', and not \"kind\"");
  return walkSingle(start, kPtr, kLen);
}

export const KIND_USER_NAME = memory.data<u8>([0x75, 0x73, 0x65, 0x72]); // "user"

function walkSingle(start: usize, kPtr: usize, kLen: i32): bool {
  lx.pos = start;
  return walkObject(kindIndex(kPtr, kLen), rs.refs, 1, true, 0, 0);
}

/**
 * Builds a record block for `ruleset` from `len` bytes of context JSON (or,
 * `binary`, of the binary encoding) at `src`. Returns the block
 * (heap.alloc'd; the caller frees it) or 0 with the message in the error
 * buffer.
 */
export function buildContext(ruleset: Ruleset, src: usize, len: i32, binary: bool): usize {
  if (len > MAX_CONTEXT_BYTES) {
    fail(0, 0, "is larger than 1 MiB");
    return 0;
  }
  rs = ruleset;
  const rawRoom = align8(<usize>len);
  const slotBytes = <usize>(ruleset.kindNames.length * ruleset.attrCount) * SLOT;
  const slotsAt = HEADER + rawRoom;
  const itemsAt = slotsAt + slotBytes;
  // an array item takes at least 2 bytes of JSON ("1,") and 1 byte of the binary encoding; binary strings need no unescaping
  const itemRoom = binary ? <usize>len + 1 : <usize>(len / 2 + 1);
  ensureScratch(itemsAt + itemRoom * SLOT, binary ? 8 : <usize>len + 8);
  if (src != scratch + HEADER) memory.copy(scratch + HEADER, src, <usize>len);
  memory.fill(scratch + slotsAt, 0, slotBytes);
  store<u32>(scratch, ruleset.generation, 0);
  store<u32>(scratch, binary ? <u32>len | RAW_BINARY : <u32>len, 4);
  store<u32>(scratch, <u32>slotsAt, 8);
  itemsTail = scratch + itemsAt;
  stringsTail = strings;
  if (binary) {
    if (!parseBinaryInto(scratch + HEADER, len)) return 0;
  } else if (!parseInto(len)) {
    if (lx.failed()) {
      errReset();
      errStr("context: ");
      lx.writeFailure();
    }
    return 0;
  }
  const blockEnd = align8(itemsTail - scratch);
  const stringBytes = stringsTail - strings;
  const size = blockEnd + stringBytes;
  store<u32>(scratch, <u32>size, 12);
  const block = heap.alloc(size);
  memory.copy(block, scratch, blockEnd);
  if (stringBytes > 0) {
    memory.copy(block + blockEnd, strings, stringBytes);
    relocateStrings(block, slotsAt, itemsTail - scratch, <u32>blockEnd);
  }
  return block;
}

function relocateStrings(block: usize, from: usize, to: usize, by: u32): void {
  for (let p = block + from; p < block + to; p += SLOT) {
    if (load<u8>(p) != V_STR) continue;
    const off = load<u32>(p, 8);
    if (off & STRING_FLAG) store<u32>(p, (off & ~STRING_FLAG) + by, 8);
  }
}
