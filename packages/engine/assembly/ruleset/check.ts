// Typed access to datafile members that records each problem with its JSON
// path: `flags[3].rules[0].clauses[1].op: unknown operator "greather"`. Every
// problem becomes a load warning (util/warnings.ts). A message is written
// once, as UTF-8 into the error buffer (util/error.ts), and copied from there
// into the warnings; the error buffer keeps the last one as the message of a
// rejected load, because a rejection returns right after the problem that
// caused it.

import { JsonValue, J_ARR, J_BOOL, J_NUM, J_OBJ, J_STR, NO_ITEMS, kindName } from "../json/value";
import { addWarning } from "../util/warnings";
import { errByte, errInt, errReset, errText, errorLen, errorPtr } from "../util/error";
import { Text, utf8 } from "../util/text";

// JSON paths are built only for a problem: while compiling, a path is a node
// of a per-load table (parent, array index or member name), 12 bytes written
// per step instead of a string per JSON value (a fifth of the time of a
// 1,000-flag load went into path strings). Member names are static texts
// (util/text.ts), so the table may point at them. Even that table was ≈ 7 %
// of a clean load, which names no path: a load first compiles without it
// (every path ROOT), noting only that a problem came up, and stops after the
// flag or segment that had it; a datafile with a problem is compiled once
// more with the table, and that pass writes the messages and warnings
// (ruleset/compile.ts).

/** A JSON path under construction (ROOT is the empty path). */
export type Path = i32;
export const ROOT: Path = 0;
const NODE: usize = 12; // i32 parent, i32 index (-1: a member), usize name

let nodes: usize = 0;
let nodeCap: i32 = 0;
let nodeCount: i32 = 0;
/** Whether paths are recorded: false in a load's first pass. */
let tracking = false;
let problems = false;

/** Starts a pass that records no path and no warning, only whether a problem came up (problemSeen). */
export function pathsUntracked(): void {
  tracking = false;
  problems = false;
}

/** Whether the untracked pass met a problem: then the load must be compiled again, with paths. */
export function problemSeen(): bool {
  return problems;
}

/** Whether the pass under way is an untracked one that met a problem: it may stop, its ruleset is not kept. */
export function passSpent(): bool {
  return problems && !tracking;
}

/** Starts the path table of a load's pass that writes its problems. */
export function pathsReset(): void {
  tracking = true;
  nodeCount = 0;
  addNode(-1, -1, 0);
}

/** Frees the path table once a load is compiled. */
export function pathsFree(): void {
  if (nodes != 0) heap.free(nodes);
  nodes = 0;
  nodeCap = 0;
  nodeCount = 0;
}

function addNode(parent: Path, index: i32, name: usize): Path {
  if (nodeCount == nodeCap) {
    nodeCap = nodeCap == 0 ? 1024 : nodeCap << 1;
    nodes = nodes == 0 ? heap.alloc(<usize>nodeCap * NODE) : heap.realloc(nodes, <usize>nodeCap * NODE);
  }
  const at = nodes + <usize>nodeCount * NODE;
  store<i32>(at, parent);
  store<i32>(at, index, 4);
  store<usize>(at, name, 8);
  return nodeCount++;
}

export function field(path: Path, key: Text): Path {
  return tracking ? addNode(path, -1, key) : ROOT;
}

export function item(path: Path, i: i32): Path {
  return tracking ? addNode(path, i, 0) : ROOT;
}

/** Appends the text of a path to the error buffer: `flags[3].rules[0].op`. */
export function errPath(path: Path): void {
  if (path <= ROOT) return;
  const at = nodes + <usize>path * NODE;
  const parent = load<i32>(at);
  errPath(parent);
  const index = load<i32>(at, 4);
  if (index >= 0) {
    errByte(0x5b); // [
    errInt(index);
    errByte(0x5d); // ]
  } else {
    if (parent > ROOT) errByte(0x2e); // .
    errText(load<usize>(at, 8));
  }
}

let pathEnd: i32 = 0;

/** Starts the message of a problem at `path`; append its text with util/error.ts, then call reported(). */
export function problemAt(path: Path): void {
  problems = true;
  errReset();
  errPath(path);
  pathEnd = errorLen();
  errText(utf8(": "));
}

/** Records the message started by problemAt as a load warning. */
export function reported(): void {
  if (tracking) addWarning(errorPtr(), pathEnd, errorLen());
}

export function report(path: Path, msg: Text): void {
  problemAt(path);
  errText(msg);
  reported();
}

export function member(obj: JsonValue, key: Text): JsonValue | null {
  return obj.get(key);
}

function typeError(path: Path, want: Text, v: JsonValue): void {
  problemAt(path);
  errText(utf8("must be "));
  errText(want);
  notKind(v);
}

/** Ends a message with `, not <the kind of v>`. */
export function notKind(v: JsonValue): void {
  errText(utf8(", not "));
  errText(kindName(v.kind));
  reported();
}

export function isObject(v: JsonValue, path: Path): bool {
  if (v.kind == J_OBJ) return true;
  typeError(path, utf8("an object"), v);
  return false;
}

/** A required member of an object; reports when missing. */
export function required(obj: JsonValue, key: Text, path: Path): JsonValue | null {
  const v = obj.get(key);
  if (v == null) report(field(path, key), utf8("is required"));
  return v;
}

/** An array (its elements: `length`, `[i]`); a missing one reads as empty. */
export function asArray(v: JsonValue | null, path: Path): JsonValue | null {
  if (v == null) return NO_ITEMS;
  if (v.kind == J_ARR) return v;
  typeError(path, utf8("an array"), v);
  return null;
}

/** Whether `v` is a string (reported when not), without decoding it. */
export function isString(v: JsonValue, path: Path): bool {
  if (v.kind == J_STR) return true;
  typeError(path, utf8("a string"), v);
  return false;
}

export function optBool(obj: JsonValue, key: Text, path: Path, dflt: bool): i32 {
  const v = obj.get(key);
  if (v == null) return dflt ? 1 : 0;
  return asBool(v, path, key);
}

/** 1 or 0 for `v`, the member `key` of the object at `path`; -1 after reporting that it is not a boolean. */
export function asBool(v: JsonValue, path: Path, key: Text): i32 {
  if (v.kind == J_BOOL) return v.bool ? 1 : 0;
  typeError(field(path, key), utf8("a boolean"), v);
  return -1;
}

/** An integer in [min, max]; returns min - 1 after reporting. */
export function asInt(v: JsonValue, path: Path, min: i32, max: i32): i32 {
  if (v.kind != J_NUM) {
    typeError(path, utf8("an integer"), v);
    return min - 1;
  }
  const n = v.num;
  if (n != Math.floor(n) || n < <f64>min || n > <f64>max) {
    // an integer-valued f64 prints without dtoa, which would add kilobytes to the binary
    problemAt(path);
    errText(utf8("must be an integer from "));
    errInt(min);
    errText(utf8(" to "));
    errInt(max);
    errText(utf8(", not "));
    if (n == Math.floor(n) && Math.abs(n) < 1e15) errInt(<i64>n);
    else errText(utf8("a fraction"));
    reported();
    return min - 1;
  }
  return <i32>n;
}

/** Kind names: [A-Za-z0-9._-]+, not "kind" or "multi". `s` is a string value, read as its UTF-8 bytes (any byte over 0x7f fails). */
export function validKindName(s: JsonValue): bool {
  if (s.strLen == 0 || s.is(utf8("kind")) || s.is(utf8("multi"))) return false;
  for (let i = 0; i < s.strLen; i++) {
    const c = load<u8>(s.strPtr + <usize>i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
      c == 0x2e || c == 0x5f || c == 0x2d;
    if (!ok) return false;
  }
  return true;
}
