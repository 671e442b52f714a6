// A context (JSON, or the binary encoding of parse-binary.ts) → a record
// block (see record.ts). Runs once per registered context, so it allocates
// nothing managed: it builds the block in a reusable scratch buffer and
// copies it out at the exact size. A JSON context is first turned into the
// binary encoding (from-json.ts), so parse-binary.ts is the one walker; the
// rules of a context's shape (kind, key, multi-kind) and their messages are
// shared from here.

import * as lx from "../json/lexer";
import { errBytes, errReset, errText } from "../util/error";
import { Text, utf8 } from "../util/text";
import { keyHash } from "../util/hash";
import { sameBytes } from "../util/bytes";
import { Ruleset, RefNode } from "../ruleset/model";
import { countKey } from "../ruleset/key-index";
import { HEADER, RAW_BINARY, RAW_JSON, SLOT } from "./record";
import { parseBinaryInto } from "./parse-binary";
import { encodeJson, encodedBound } from "./from-json";
import { copyRecord } from "./record-blocks";

export const MAX_CONTEXT_BYTES: i32 = 1 << 20;

// The block is built in `scratch` (header, raw context, slots, array items)
// and copied out at its size.
let scratch: usize = 0;
let scratchCap: usize = 0;
let names: usize = 0;
let namesCap: usize = 0;
let itemsTail: usize = 0; // next free byte for array items (absolute)
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

function ensureScratch(blockBytes: usize, nameBytes: usize): void {
  const c1 = grow(scratch, scratchCap, blockBytes);
  if (c1 != scratchCap) {
    if (scratch != 0) heap.free(scratch);
    scratch = heap.alloc(c1);
    scratchCap = c1;
  }
  const c2 = grow(names, namesCap, nameBytes);
  if (c2 != namesCap) {
    if (names != 0) heap.free(names);
    names = heap.alloc(c2);
    namesCap = c2;
  }
}

/** Room for an unescaped top-level member name of a JSON context (never longer than the context). */
export function nameBuffer(): usize {
  return names;
}

export function fail(path1: usize, path1Len: i32, msg: Text): bool {
  errReset();
  errText(utf8("context"));
  if (path1Len > 0) {
    errText(utf8("."));
    errBytes(path1, path1Len);
  }
  errText(utf8(": "));
  errText(msg);
  return false;
}

export function slot(kind: i32, attr: i32): usize {
  return scratch + <usize>load<u32>(scratch, 8) + <usize>(kind * rs.attrCount + attr) * SLOT;
}

// A member is found by its name's hash in a table of the names the datafile
// declares at that level: compared one by one, they made a registration cost
// members × names (90,000 members against 16,000 attributes: 6.4 s, on every
// request). The kinds are the children of a node of their own (Ruleset.kinds)
// to be found the same way. A table is made by the first registration that
// reads its names, in the full engine and the evaluator alike (both loads
// leave each node's hash): a ruleset's names are complete before any context
// is registered against it, since every load makes a new ruleset. It is at
// most 4 words a name.

/** `nodes` by name hash, open-addressed, at most half full. */
function hashTable(nodes: RefNode[]): StaticArray<RefNode | null> {
  const n = nodes.length;
  // a power of two over 2n, at most 4n (2 for none: a table is never empty)
  const size = <i32>(<u32>2 << (32 - clz(<u32>n)));
  const table = new StaticArray<RefNode | null>(size);
  const mask = <u32>size - 1;
  for (let i = 0; i < n; i++) {
    const c = unchecked(nodes[i]);
    let s = c.hash & mask;
    while (unchecked(table[s]) != null) s = (s + 1) & mask;
    unchecked(table[s] = c);
  }
  return table;
}

export function findChild(node: RefNode, ptr: usize, len: i32): RefNode | null {
  const h = keyHash(ptr, len);
  let table = node.table;
  if (table.length == 0) node.table = table = hashTable(node.children);
  const mask = <u32>table.length - 1;
  let s = h & mask;
  while (true) {
    const c = unchecked(table[s]);
    if (c == null) return null;
    countKey();
    if (c.hash == h && sameBytes(changetype<usize>(c.name), c.name.byteLength, ptr, len)) return c;
    s = (s + 1) & mask;
  }
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

// "kind" and "multi" compared as little-endian words: memory.compare is
// inlined at every use, a loop of its own each time.

/** Whether the `len` bytes at `ptr` are "kind". */
// @ts-ignore: decorator
@inline
export function isKind(ptr: usize, len: i32): bool {
  return len == 4 && load<u32>(ptr) == 0x646e696b;
}

/** Whether the `len` bytes at `ptr` are "multi". */
// @ts-ignore: decorator
@inline
export function isMulti(ptr: usize, len: i32): bool {
  return len == 5 && load<u32>(ptr) == 0x746c756d && load<u8>(ptr, 4) == 0x69;
}

/** Starts an error message at `context.key` or `context.<kind>.key`. */
export function keyPath(kindName: usize, kindLen: i32): void {
  errReset();
  errText(utf8("context"));
  errText(utf8("."));
  if (kindLen > 0) {
    errBytes(kindName, kindLen);
    errText(utf8("."));
  }
  errText(utf8("key"));
}

export function keyError(kindName: usize, kindLen: i32): bool {
  keyPath(kindName, kindLen);
  errText(utf8(": must be a non-empty string"));
  return false;
}

export function validKind(ptr: usize, len: i32): bool {
  if (len == 0 || len > 256) return false;
  if (isKind(ptr, len) || isMulti(ptr, len)) return false;
  for (let i: i32 = 0; i < len; i++) {
    const c = load<u8>(ptr + <usize>i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
      c == 0x2e || c == 0x5f || c == 0x2d;
    if (!ok) return false;
  }
  return true;
}

export function kindIndex(ptr: usize, len: i32): i32 {
  const k = findChild(rs.kinds, ptr, len);
  return k ? k.attr : -1;
}

export const KIND_USER_NAME = memory.data<u8>([0x75, 0x73, 0x65, 0x72]); // "user"

/**
 * Builds a record block for `ruleset` from `len` bytes at `src`: context JSON
 * (`format` 0), the binary encoding (RAW_BINARY), or the encoding a JSON
 * context was turned into (RAW_BINARY | RAW_JSON, from a block's raw bytes).
 * Returns the block (record-blocks.ts; the caller gives it back there) or
 * 0 with the message in the error buffer.
 */
export function buildContext(ruleset: Ruleset, src: usize, len: i32, format: u32): usize {
  rs = ruleset;
  // an array item takes at least 2 bytes of JSON ("1,") and 1 byte of the binary encoding
  let itemRoom = <usize>len + 1;
  let raw = <usize>len;
  if (format != (RAW_BINARY | RAW_JSON) && len > MAX_CONTEXT_BYTES) {
    fail(0, 0, utf8("is larger than 1 MiB"));
    return 0;
  }
  if (format == 0) {
    itemRoom = <usize>(len / 2 + 1);
    raw = encodedBound(len);
  }
  const slotBytes = <usize>(ruleset.kindNames.length * ruleset.attrCount) * SLOT;
  // top-level names of a JSON context are unescaped into `names` to be read
  ensureScratch(HEADER + align8(raw) + slotBytes + itemRoom * SLOT, format == RAW_BINARY ? 8 : <usize>len + 8);
  if (format == 0) {
    const n = encodeJson(src, len, scratch + HEADER);
    if (n < 0) {
      if (lx.failed()) {
        errReset();
        errText(utf8("context")); // texts fail() writes too: one copy each in the table
        errText(utf8(": "));
        lx.writeFailure();
      }
      return 0;
    }
    len = n;
    format = RAW_BINARY | RAW_JSON;
  } else if (src != scratch + HEADER) {
    memory.copy(scratch + HEADER, src, <usize>len);
  }
  const slotsAt = HEADER + align8(<usize>len);
  memory.fill(scratch + slotsAt, 0, slotBytes);
  store<u32>(scratch, ruleset.generation, 0);
  store<u32>(scratch, <u32>len | format, 4);
  store<u32>(scratch, <u32>slotsAt, 8);
  itemsTail = scratch + slotsAt + slotBytes;
  if (!parseBinaryInto(scratch + HEADER, len, format != RAW_BINARY)) return 0;
  return copyRecord(scratch, align8(itemsTail - scratch));
}
