// A clause's values as one run of fixed records in the ruleset's pool
// (byte-pool.ts) instead of a managed value object each and a list of them:
// those were ≈ 3,650 of the ≈ 7,500 managed objects a 1,000-flag datafile
// still made after the pool took its strings, each allocated, marked and
// freed per load. Nothing a record holds is managed: a version is parsed
// into the pool too, and a regex program is kept alive by Ruleset.regexes,
// which lives exactly as long as the records that point into it.
//
// A record, VALUE_BYTES long:
//   +0 u32  a string's UTF-8 bytes in the pool (0 for a pattern, which keeps no bytes)
//   +4 i32  that string's length; LEN_NUM for a number, LEN_BOOL for a boolean
//   +8      by operator: f64 the number (booleans 0/1, instants in epoch ms),
//           u32 the SemVer in the pool, u32 the Regex, or i32 the segment index

import { J_BOOL, J_NUM, J_STR } from "../json/value";
import { SemVer } from "../ops/semver";
import { Regex } from "../ops/regex";

// @ts-ignore: decorator
@inline export const VALUE_BYTES: i32 = 16;
// @ts-ignore: decorator
@inline export const LEN_NUM: i32 = -1;
// @ts-ignore: decorator
@inline export const LEN_BOOL: i32 = -2;

/** The record of value `i` of the run at `values`. */
// @ts-ignore: decorator
@inline export function valueAt(values: usize, i: i32): usize {
  return values + <usize>(i * VALUE_BYTES);
}

// @ts-ignore: decorator
@inline export function valuePtr(v: usize): usize {
  return <usize>load<u32>(v);
}

/** A string's length; a number's or boolean's is negative, which every string operator reads as a value longer than nothing it compares. */
// @ts-ignore: decorator
@inline export function valueLen(v: usize): i32 {
  return load<i32>(v, 4);
}

/** J_STR, J_NUM or J_BOOL. */
// @ts-ignore: decorator
@inline export function valueType(v: usize): u8 {
  const len = valueLen(v);
  return len >= 0 ? J_STR : len == LEN_NUM ? J_NUM : J_BOOL;
}

// @ts-ignore: decorator
@inline export function valueNum(v: usize): f64 {
  return load<f64>(v, 8);
}

// @ts-ignore: decorator
@inline export function valueSemVer(v: usize): SemVer {
  return changetype<SemVer>(<usize>load<u32>(v, 8));
}

// @ts-ignore: decorator
@inline export function valueRegex(v: usize): Regex {
  return changetype<Regex>(<usize>load<u32>(v, 8));
}

// @ts-ignore: decorator
@inline export function valueSegment(v: usize): i32 {
  return load<i32>(v, 8);
}

/** Sets the record's type; a string's bytes are set with setValueString. */
// @ts-ignore: decorator
@inline export function setValueType(v: usize, type: u8): void {
  store<i32>(v, type == J_NUM ? LEN_NUM : type == J_BOOL ? LEN_BOOL : 0, 4);
}

// @ts-ignore: decorator
@inline export function setValueString(v: usize, ptr: usize, len: i32): void {
  store<u32>(v, <u32>ptr);
  store<i32>(v, len, 4);
}

// @ts-ignore: decorator
@inline export function setValueNum(v: usize, num: f64): void {
  store<f64>(v, num, 8);
}

/** Points the record at an object the ruleset keeps alive (a SemVer in its pool, a Regex in Ruleset.regexes). */
// @ts-ignore: decorator
@inline export function setValueObject(v: usize, at: usize): void {
  store<u32>(v, <u32>at, 8);
}

// @ts-ignore: decorator
@inline export function setValueSegment(v: usize, segment: i32): void {
  store<i32>(v, segment, 8);
}
