// Serving: a fixed variation or a (possibly experimental) rollout.

import { JsonValue, J_STR } from "../json/value";
import { Rollout, Ruleset, Serve } from "./model";
import { Path, asArray, asInt, field, isObject, isString, item, problemAt, report, reported, required } from "./check";
import { compileKind } from "./compile-clause";
import { internAttribute, reportRef } from "./interner";
import { poolObject, poolPairs, poolRollout, poolRoom } from "./byte-pool";
import { errInt, errQuoted, errText } from "../util/error";
import { Text, textLen, textPtr, utf8 } from "../util/text";
import { copyShort } from "../util/bytes";

const TOTAL: i32 = 100000;

/**
 * `salt` and `salt ":traffic"` (the salt of a rollout's traffic allocation,
 * SPEC.md §9) as UTF-8: one run of bytes in the ruleset's pool, the first
 * the second's start.
 */
function keepSalts(rs: Ruleset, r: Rollout, salt: JsonValue): void {
  const suffix = utf8(":traffic");
  const n = textLen(suffix);
  const p = poolRoom(rs, salt.strLen + n);
  copyShort(p, salt.strPtr, <usize>salt.strLen);
  copyShort(p + <usize>salt.strLen, textPtr(suffix), <usize>n);
  r.saltPtr = r.trafficSaltPtr = p;
  r.saltLen = salt.strLen;
  r.trafficSaltLen = salt.strLen + n;
}

/** `flagSalt`: the flag's `salt`, or its key (a string value of the tree). */
function compileRollout(rs: Ruleset, v: JsonValue, path: Path, variationCount: i32, flagSalt: JsonValue): Rollout | null {
  if (!isObject(v, path)) return null;
  const r = poolRollout(rs);
  // compared in place: no string for the usual "rollout"
  const kind = v.get(utf8("kind"));
  if (kind != null) {
    if (!isString(kind, field(path, utf8("kind")))) return null;
    r.experiment = kind.is(utf8("experiment"));
    if (!r.experiment && !kind.is(utf8("rollout"))) {
      problemAt(field(path, utf8("kind")));
      errText(utf8("must be \"rollout\" or \"experiment\", not "));
      errQuoted(kind.strPtr, kind.strLen);
      reported();
      return null;
    }
  }
  r.kind = compileKind(rs, v, path);
  if (r.kind < 0) return null;
  // bucketBy and salt are used as their UTF-8 bytes: nothing is decoded unless a message quotes it
  const by = v.get(utf8("bucketBy"));
  if (by != null && !isString(by, field(path, utf8("bucketBy")))) return null;
  const byPtr = by != null ? by.strPtr : textPtr(utf8("key"));
  const byLen = by != null ? by.strLen : 3;
  r.attr = internAttribute(rs, byPtr, byLen);
  if (r.attr == -1) {
    reportRef(field(path, utf8("bucketBy")), byPtr, byLen);
    return null;
  }
  const own = v.get(utf8("salt"));
  if (own != null && !isString(own, field(path, utf8("salt")))) return null;
  const salt = own != null ? own : flagSalt;
  keepSalts(rs, r, salt);
  const vp = field(path, utf8("variations"));
  const vv = required(v, utf8("variations"), path);
  if (vv == null) return null;
  const items = asArray(vv, vp);
  if (items == null) return null;
  if (items.length == 0) {
    report(vp, utf8("must have at least one variation"));
    return null;
  }
  const ranges = poolPairs(rs, items.length);
  r.ranges = ranges;
  r.rangeCount = items.length;
  let sum: i32 = 0;
  for (let i = 0; i < items.length; i++) {
    const ip = item(vp, i);
    const it = items[i];
    if (!isObject(it, ip)) return null;
    const varv = required(it, utf8("variation"), ip);
    const wv = required(it, utf8("weight"), ip);
    if (varv == null || wv == null) return null;
    const index = asInt(varv, field(ip, utf8("variation")), 0, variationCount - 1);
    if (index < 0) return null;
    const weight = asInt(wv, field(ip, utf8("weight")), 0, TOTAL);
    if (weight < 0) return null;
    sum += weight;
    store<i32>(ranges + (<usize>i << 3), sum);
    store<i32>(ranges + (<usize>i << 3), index, 4);
  }
  if (sum != TOTAL) {
    problemAt(vp);
    errText(utf8("weights must add up to 100000, not "));
    errInt(sum);
    reported();
    return null;
  }
  const ta = v.get(utf8("trafficAllocation"));
  const uv = v.get(utf8("untrackedVariation"));
  if (!r.experiment) {
    if (ta != null) report(field(path, utf8("trafficAllocation")), utf8("is only for rollouts of kind \"experiment\""));
    if (uv != null) report(field(path, utf8("untrackedVariation")), utf8("is only for rollouts of kind \"experiment\""));
    return ta == null && uv == null ? r : null;
  }
  if (ta != null) {
    r.trafficAllocation = asInt(ta, field(path, utf8("trafficAllocation")), 0, TOTAL);
    if (r.trafficAllocation < 0) return null;
  }
  if (uv != null) {
    r.untrackedVariation = asInt(uv, field(path, utf8("untrackedVariation")), 0, variationCount - 1);
    if (r.untrackedVariation < 0) return null;
  } else if (r.trafficAllocation < TOTAL) {
    report(field(path, utf8("untrackedVariation")), utf8("is required when trafficAllocation is below 100000"));
    return null;
  }
  return r;
}

export function compileServe(rs: Ruleset, v: JsonValue, path: Path, variationCount: i32, flagSalt: JsonValue): Serve | null {
  if (!isObject(v, path)) return null;
  const fixed = v.get(utf8("variation"));
  const rollout = v.get(utf8("rollout"));
  if ((fixed == null) == (rollout == null)) {
    report(path, utf8("must have exactly one of \"variation\" or \"rollout\""));
    return null;
  }
  if (fixed != null) {
    const n = asInt(fixed, field(path, utf8("variation")), 0, variationCount - 1);
    return n < 0 ? null : fixedServe(rs, n);
  }
  const r = compileRollout(rs, rollout!, field(path, utf8("rollout")), variationCount, flagSalt);
  if (r == null) return null;
  const s = poolObject<Serve>(rs);
  s.variation = -1;
  s.rollout = r;
  return s;
}

// Serving a fixed variation is the same serve wherever it appears (serves
// are never changed once compiled): one per variation index up to
// FIXED_SHARED in static data, for every ruleset, instead of one per rule
// and flag; a higher index gets one in the ruleset's pool.
const FIXED_SHARED: i32 = 64;
const fixedServes = memory.data(FIXED_SHARED * offsetof<Serve>());

function fixedServe(rs: Ruleset, variation: i32): Serve {
  // each entry's variation is written when it is served (the same value every time): no table to build first
  const s = variation < FIXED_SHARED ? changetype<Serve>(fixedServes + <usize>(variation * offsetof<Serve>())) : poolObject<Serve>(rs);
  s.variation = variation;
  return s;
}

/**
 * `obj[key]`: an array of strings (context keys), checked; a ByteSet copies
 * them from the tree. Null after reporting an item that is not a string.
 */
export function compileKeys(obj: JsonValue, key: Text, path: Path): JsonValue | null {
  return keysOf(obj.get(key), field(path, key));
}

/** compileKeys of a member already looked up (`required`'s): `v` at `vp`, null for a missing one (empty). */
export function keysOf(v: JsonValue | null, vp: Path): JsonValue | null {
  const items = asArray(v, vp);
  if (items == null) return null;
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    // the path of a value is built only for a problem: a target may list thousands of keys
    if (v.kind != J_STR && !isString(v, item(vp, i))) return null;
  }
  return items;
}
