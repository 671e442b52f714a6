// Typed access to datafile members that records each problem with its JSON
// path: `flags[3].rules[0].clauses[1].op: unknown operator "greather"`. Every
// problem becomes a load warning (util/warnings.ts); the last one is also kept
// as the message of a rejected load, because a rejection returns right after
// the problem that caused it.

import { JsonValue, J_ARR, J_BOOL, J_NUM, J_OBJ, J_STR, kindName } from "../json/value";
import { addWarning } from "../util/warnings";

export let problem: string = "";

export function clearProblem(): void {
  problem = "";
}

export function report(path: string, msg: string): void {
  problem = path + ": " + msg;
  addWarning(path, msg);
}

export function member(obj: JsonValue, key: string): JsonValue | null {
  return obj.get(key);
}

export function field(path: string, key: string): string {
  return path.length == 0 ? key : path + "." + key;
}

export function item(path: string, i: i32): string {
  return path + "[" + i.toString() + "]";
}

function typeError(path: string, want: string, v: JsonValue): void {
  report(path, "must be " + want + ", not " + kindName(v.kind));
}

export function isObject(v: JsonValue, path: string): bool {
  if (v.kind == J_OBJ) return true;
  typeError(path, "an object", v);
  return false;
}

/** A required member of an object; reports when missing. */
export function required(obj: JsonValue, key: string, path: string): JsonValue | null {
  const v = obj.get(key);
  if (v == null) report(field(path, key), "is required");
  return v;
}

export function asArray(v: JsonValue | null, path: string): JsonValue[] | null {
  if (v == null) return [];
  if (v.kind == J_ARR) return v.items;
  typeError(path, "an array", v);
  return null;
}

export function asString(v: JsonValue, path: string): string | null {
  if (v.kind == J_STR) return v.str;
  typeError(path, "a string", v);
  return null;
}

/** An optional string member with a default. */
export function optString(obj: JsonValue, key: string, path: string, dflt: string): string | null {
  const v = obj.get(key);
  if (v == null) return dflt;
  return asString(v, field(path, key));
}

export function optBool(obj: JsonValue, key: string, path: string, dflt: bool): i32 {
  const v = obj.get(key);
  if (v == null) return dflt ? 1 : 0;
  if (v.kind == J_BOOL) return v.bool ? 1 : 0;
  typeError(field(path, key), "a boolean", v);
  return -1;
}

/** An integer in [min, max]; returns min - 1 after reporting. */
export function asInt(v: JsonValue, path: string, min: i32, max: i32): i32 {
  if (v.kind != J_NUM) {
    typeError(path, "an integer", v);
    return min - 1;
  }
  const n = v.num;
  if (n != Math.floor(n) || n < <f64>min || n > <f64>max) {
    // an integer-valued f64 prints without dtoa, which would add kilobytes to the binary
    const shown = n == Math.floor(n) && Math.abs(n) < 1e15 ? (<i64>n).toString() : "a fraction";
    report(path, "must be an integer from " + min.toString() + " to " + max.toString() + ", not " + shown);
    return min - 1;
  }
  return <i32>n;
}

/** Kind names: [A-Za-z0-9._-]+, not "kind" or "multi". */
export function validKindName(s: string): bool {
  if (s.length == 0 || s == "kind" || s == "multi") return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
      c == 0x2e || c == 0x5f || c == 0x2d;
    if (!ok) return false;
  }
  return true;
}
