// The binary context encoding (ABI.md, "Context encoding") → the slots of a
// record block. A host that builds it straight from its own objects skips
// serialising JSON and the engine skips lexing it: strings arrive with their
// lengths and need no unescaping, numbers as f64. It is the one walker: a
// JSON context is turned into this encoding first (from-json.ts). The rules
// of kind, key and multi-kind and their messages are parse.ts's; only
// malformed encodings have messages of their own.
//
//   value  := tag:u8 payload
//   tag 0 null, 1 false, 2 true           (no payload)
//   tag 3 number                          f64, little-endian
//   tag 4 string                          u32 byte length, UTF-8 bytes
//   tag 5 array                           u32 count, count values
//   tag 6 object                          u32 count, count × (u32 name length, name bytes, value)
//
// All u32 are little-endian and unaligned. The context is one object value
// and nothing follows it.

import { errInt, errReset, errText } from "../util/error";
import { Text, utf8 } from "../util/text";
import { MAX_DEPTH, unescape } from "../json/lexer";
import { ATTR_KEY, RefNode } from "../ruleset/model";
import { SLOT, V_ARR, V_BOOL, V_NONE, V_NUM, V_OTHER, V_STR } from "./record";
import {
  KIND_USER_NAME, blockOffset, currentRuleset, fail, findChild, keyError, keyPath, kindIndex,
  isKind, isMulti, nameBuffer, reserveItems, resetSlots, slot, validKind,
} from "./parse";

export const B_NULL: u8 = 0;
export const B_FALSE: u8 = 1;
export const B_TRUE: u8 = 2;
export const B_NUM: u8 = 3;
export const B_STR: u8 = 4;
export const B_ARR: u8 = 5;
export const B_OBJ: u8 = 6;

// The walk's position. Registration runs once per context, not per
// evaluation, so module globals are acceptable here.
let start: usize = 0;
let pos: usize = 0;
let end: usize = 0;
/** Set by readString / readName: the bytes just read. */
let strPtr: usize = 0;
let strLen: i32 = 0;
/** "kind" members met at the top of a single-kind walk. */
let kindMembers: i32 = 0;
/** The encoding was made from JSON (from-json.ts): top-level names are as escaped in the JSON. */
let fromJson: bool = false;

function malformed(msg: Text): bool {
  errReset();
  errText(utf8("context: invalid encoding at byte "));
  errInt(<i64>(pos - start));
  errText(utf8(": "));
  errText(msg);
  return false;
}

/** The next u32 (a length or a count) if it fits in what is left, else -1 (reported). */
// @ts-ignore: decorator
@inline
function readCount(): i32 {
  if (end - pos < 4) {
    malformed(utf8("truncated"));
    return -1;
  }
  const n = load<u32>(pos);
  if (<usize>n > end - pos - 4) {
    malformed(utf8("a length or count larger than what follows"));
    return -1;
  }
  pos += 4;
  return <i32>n;
}

/** A member name or a string's bytes into strPtr / strLen. */
// @ts-ignore: decorator
@inline
function readBytes(): bool {
  const n = readCount();
  if (n < 0) return false;
  strPtr = pos;
  strLen = n;
  pos += <usize>n;
  return true;
}

// @ts-ignore: decorator
@inline
function tagAt(): i32 {
  return pos < end ? <i32>load<u8>(pos) : -1;
}

function skipValue(depth: i32): bool {
  if (depth > MAX_DEPTH) return malformed(utf8("nesting deeper than 64"));
  const t = tagAt();
  if (t < 0) return malformed(utf8("truncated"));
  if (t > <i32>B_OBJ) return malformed(utf8("unknown type tag"));
  pos++;
  if (t <= <i32>B_TRUE) return true;
  if (t == B_NUM) {
    if (end - pos < 8) return malformed(utf8("truncated"));
    pos += 8;
    return true;
  }
  if (t == B_STR) return readBytes();
  const n = readCount();
  if (n < 0) return false;
  for (let i = 0; i < n; i++) {
    if (t == B_OBJ && !readBytes()) return false;
    if (!skipValue(depth + 1)) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline
function storeString(dst: usize): void {
  store<u8>(dst, V_STR);
  store<i32>(dst, strLen, 4);
  store<u32>(dst, blockOffset(strPtr), 8);
}

/** Writes the scalar at `pos` into `dst`; objects and arrays are V_OTHER (skipped). */
function storeScalar(dst: usize, depth: i32): bool {
  const t = tagAt();
  if (t == B_STR) {
    pos++;
    if (!readBytes()) return false;
    storeString(dst);
    return true;
  }
  if (t == B_NUM) {
    if (end - pos < 9) return malformed(utf8("truncated"));
    store<u8>(dst, V_NUM);
    store<f64>(dst, load<f64>(pos + 1), 8);
    pos += 9;
    return true;
  }
  if (t == B_OBJ || t == B_ARR) {
    store<u8>(dst, V_OTHER);
    return skipValue(depth);
  }
  if (t == B_NULL) {
    store<u8>(dst, V_NONE); // null reads as missing
  } else if (t == B_FALSE || t == B_TRUE) {
    store<u8>(dst, V_BOOL);
    store<f64>(dst, t == B_TRUE ? 1 : 0, 8);
  } else {
    return malformed(t < 0 ? utf8("truncated") : utf8("unknown type tag"));
  }
  pos++;
  return true;
}

function storeArray(dst: usize, depth: i32): bool {
  pos++; // the tag
  const n = readCount(); // at most the bytes left: every item takes one at least
  if (n < 0) return false;
  const items = reserveItems(n);
  for (let i = 0; i < n; i++) {
    if (!storeScalar(items + <usize>i * SLOT, depth + 1)) return false;
  }
  store<u8>(dst, V_ARR);
  store<i32>(dst, n, 4);
  store<u32>(dst, blockOffset(items), 8);
  return true;
}

/** A value whose reference node is `node` (null: nobody reads it). */
function storeValue(kind: i32, node: RefNode | null, depth: i32): bool {
  if (depth > MAX_DEPTH) return malformed(utf8("nesting deeper than 64"));
  if (node == null || kind < 0) return skipValue(depth);
  const t = tagAt();
  if (t == B_OBJ) {
    if (node.attr >= 0) store<u8>(slot(kind, node.attr), V_OTHER);
    if (node.children.length == 0) return skipValue(depth);
    return walkObject(kind, node, depth + 1, false, 0, 0);
  }
  if (node.attr < 0) return skipValue(depth);
  if (t == B_ARR) return storeArray(slot(kind, node.attr), depth);
  return storeScalar(slot(kind, node.attr), depth);
}

/** An object's members; at the top of a kind (`top`) as parse.ts's walkObject. */
function walkObject(kind: i32, node: RefNode, depth: i32, top: bool, kindName: usize, kindLen: i32): bool {
  if (depth > MAX_DEPTH) return malformed(utf8("nesting deeper than 64"));
  pos++; // the tag
  const n = readCount();
  if (n < 0) return false;
  let haveKey = false;
  for (let i = 0; i < n; i++) {
    if (!readBytes()) return false;
    let name = strPtr;
    let nameLen = strLen;
    if (fromJson && top && kindLen == 0 && hasBackslash(name, nameLen)) {
      // a single kind's attribute (or "key") spelt with escapes in the JSON
      name = nameBuffer();
      nameLen = unescape(strPtr, strPtr + <usize>strLen, name);
    }
    if (top && nameLen == 3 && load<u8>(name) == 0x6b && load<u8>(name, 1) == 0x65 && load<u8>(name, 2) == 0x79) {
      if (tagAt() != B_STR) return keyError(kindName, kindLen);
      pos++;
      if (!readBytes()) return false;
      if (strLen == 0) return keyError(kindName, kindLen);
      if (kind >= 0) storeString(slot(kind, ATTR_KEY));
      haveKey = true;
    } else if (top && isKind(name, nameLen)) {
      if (kindLen > 0) return fail(kindName, kindLen, utf8("\"kind\" is not allowed inside a multi-kind context"));
      kindMembers++;
      if (!skipValue(depth)) return false;
    } else if (!storeValue(kind, findChild(node, name, nameLen), depth)) {
      return false;
    }
  }
  if (top && !haveKey) {
    keyPath(kindName, kindLen);
    errText(utf8(": must be a non-empty string; it is missing"));
    return false;
  }
  return true;
}

function hasBackslash(ptr: usize, len: i32): bool {
  for (let i: i32 = 0; i < len; i++) if (load<u8>(ptr + <usize>i) == 0x5c) return true;
  return false;
}

function walkMulti(object: usize): bool {
  pos = object + 1;
  const n = readCount();
  if (n < 0) return false;
  let kinds: i32 = 0;
  for (let i = 0; i < n; i++) {
    if (!readBytes()) return false;
    const name = strPtr;
    const nameLen = strLen;
    if (isKind(name, nameLen)) {
      if (!skipValue(1)) return false;
      continue;
    }
    if (!validKind(name, nameLen)) {
      return fail(name, nameLen, utf8("is not a valid kind name (letters, digits, '.', '_', '-'; not \"kind\" or \"multi\")"));
    }
    if (tagAt() != B_OBJ) return fail(name, nameLen, utf8("must be an object with the attributes of that kind"));
    const k = kindIndex(name, nameLen);
    // a kind walked already has its key in its slot (walkObject requires one), whatever its index
    if (k >= 0 && load<u8>(slot(k, ATTR_KEY)) != V_NONE) return fail(name, nameLen, utf8("appears twice"));
    if (!walkObject(k, currentRuleset().refs, 1, true, name, nameLen)) return false;
    kinds++;
  }
  if (kinds == 0) return fail(0, 0, utf8("a multi-kind context needs at least one kind"));
  return true;
}

/**
 * Fills the slots of the block being built (parse.ts) from `len` bytes of
 * the binary encoding at `raw`, which stay in the block (string slots point
 * at them); `json`: made from JSON by from-json.ts. False with the message
 * in the error buffer.
 */
export function parseBinaryInto(raw: usize, len: i32, json: bool): bool {
  fromJson = json;
  start = raw;
  pos = raw;
  end = raw + <usize>len;
  if (tagAt() != B_OBJ) return fail(0, 0, utf8("must be a JSON object"));
  if (leadingKind(raw)) {
    // one pass, as hosts write contexts: a plain kind first. Anything else (a second "kind", whose
    // last value decides; an invalid context; a malformed encoding) starts over on the two-pass path
    // below, so its messages never depend on the path
    kindMembers = 0;
    pos = raw;
    if (walkObject(kindIndex(strPtr, strLen), currentRuleset().refs, 1, true, 0, 0) && kindMembers == 1 && pos == end) return true;
    resetSlots();
    pos = raw;
  }
  // the kind first (the last "kind" member, as in JSON), checking the whole encoding on the way
  const object = pos;
  pos++;
  const n = readCount();
  if (n < 0) return false;
  let kPtr: usize = 0;
  let kLen: i32 = -1;
  for (let i = 0; i < n; i++) {
    if (!readBytes()) return false;
    if (isKind(strPtr, strLen)) {
      if (tagAt() != B_STR) return fail(0, 0, utf8("\"kind\" must be a string of letters, digits, '.', '_' or '-'"));
      pos++;
      if (!readBytes()) return false;
      kPtr = strPtr;
      kLen = strLen;
    } else if (!skipValue(1)) {
      return false;
    }
  }
  if (pos != end) return malformed(utf8("unexpected data after the context"));
  if (kLen < 0) return walkSingle(object, KIND_USER_NAME, 4);
  if (isMulti(kPtr, kLen)) return walkMulti(object);
  if (!validKind(kPtr, kLen)) return fail(0, 0, utf8("\"kind\" must be letters, digits, '.', '_' or '-', and not \"kind\""));
  return walkSingle(object, kPtr, kLen);
}

/**
 * Whether the object at `object` starts with a "kind" member whose value is
 * a valid kind name other than "multi" (left in strPtr / strLen). Reports
 * nothing: the two-pass path reports what is wrong.
 */
function leadingKind(object: usize): bool {
  const p = object + 1;
  // member count, name length, "kind", tag, value length
  if (end - p < 4 + 4 + 4 + 1 + 4) return false;
  if (load<u32>(p) == 0 || load<u32>(p, 4) != 4 || load<u32>(p, 8) != 0x646e696b || load<u8>(p + 12) != B_STR) return false;
  const n = load<u32>(p + 13);
  if (<usize>n > end - p - 17) return false;
  strPtr = p + 17;
  strLen = <i32>n;
  return !isMulti(strPtr, strLen) && validKind(strPtr, strLen);
}

function walkSingle(object: usize, kPtr: usize, kLen: i32): bool {
  pos = object;
  return walkObject(kindIndex(kPtr, kLen), currentRuleset().refs, 1, true, 0, 0);
}
