// Flag evaluation (SPEC.md §9): off → prerequisites → targets → rules →
// fallthrough, within the work budget of one evaluation (budget.ts): out of
// it, the answer is ERROR / EVALUATION_BUDGET. Hot path: no allocation.

import { Flag, Rollout, Ruleset, Serve, ATTR_KEY, ATTR_KIND } from "../ruleset/model";
import { V_NUM, V_STR, slotAt, slotLen, slotNum, slotPtr, slotType } from "../context/record";
import { bucket } from "../util/hash";
import { ruleMatches } from "./match";
import { FLAG_UNITS, ITEM_UNITS, VALUE_UNITS, budgetOut, spend } from "./budget";
import {
  R_FALLTHROUGH, R_OFF, R_PREREQUISITE_FAILED, R_RULE_MATCH, R_TARGET_MATCH,
  E_EVALUATION_BUDGET, E_MALFORMED_FLAG, errorResult, pack, variationOf,
} from "./result";

// Integer bucketing values are hashed as their decimal text.
const digits: usize = memory.data(24);

function formatInteger(x: f64): i32 {
  let v: u64 = <u64>Math.abs(x);
  let p = digits + 24;
  do {
    store<u8>(--p, <u8>(0x30 + v % 10));
    v /= 10;
  } while (v != 0);
  if (x < 0) store<u8>(--p, 0x2d);
  // the length from where the text starts: no counter beside the pointer
  return <i32>(digits + 24 - p);
}

function pick(r: Rollout, b: i32): i32 {
  let p = r.ranges;
  // the last range serves whatever the ones before it do not
  const last = p + (<usize>(r.rangeCount - 1) << 3);
  for (; p < last; p += 8) if (b < load<i32>(p)) return load<i32>(p, 4);
  return load<i32>(last, 4);
}

function serve(rs: Ruleset, rec: usize, s: Serve, reason: i32, detail: i32): i32 {
  const r = s.rollout;
  if (r == null) return pack(s.variation, reason, false, detail);
  let ptr: usize = 0;
  let len: i32 = -1;
  // `bucketBy: "kind"` reads the list of the context's kinds (SPEC §3), which is no bucketing value; it has no slot
  if (r.attr != ATTR_KIND) {
    const slot = slotAt(rec, r.kind, r.attr, rs.attrCount);
    const t = slotType(slot);
    if (t == V_STR) {
      ptr = slotPtr(rec, slot);
      len = slotLen(slot);
    } else if (t == V_NUM) {
      const x = slotNum(slot);
      if (x == Math.floor(x) && Math.abs(x) <= 9007199254740991) {
        len = formatInteger(x);
        ptr = digits + 24 - <usize>len;
      }
    }
  }
  return serveBucketed(r, ptr, len, reason, detail);
}

/** Serves a rollout by the bucketing value at `ptr` (`len` < 0: none). */
function serveBucketed(r: Rollout, ptr: usize, len: i32, reason: i32, detail: i32): i32 {
  if (len < 0) {
    // no usable bucketing value: both buckets are 0 and it never counts
    if (r.experiment && r.trafficAllocation == 0) return pack(r.untrackedVariation, reason, false, detail);
    return pack(pick(r, 0), reason, false, detail);
  }
  // one hash, two for an experiment
  const hashed = <i64>r.saltLen + <i64>len;
  if (!spend(r.experiment ? 2 * hashed : hashed)) return errorResult(E_EVALUATION_BUDGET);
  const b = bucket(r.saltPtr, r.saltLen, ptr, len);
  if (!r.experiment) return pack(pick(r, b), reason, false, detail);
  const traffic = bucket(r.trafficSaltPtr, r.trafficSaltLen, ptr, len);
  if (traffic < r.trafficAllocation) return pack(pick(r, b), reason, true, detail);
  return pack(r.untrackedVariation, reason, false, detail);
}

/** Stamp of the current evaluation in Ruleset.memoStamp; 0 is never current. */
let stamp: u32 = 0;

/**
 * Starts the prerequisite memo of an evaluation: no prerequisite result is
 * known yet. Called by the evaluated flag itself, and only when it names
 * prerequisites: an evaluation that never reaches one leaves the memo alone.
 */
function evaluationStart(rs: Ruleset): void {
  if (++stamp == 0) { // wrapped after 2^32 evaluations: forget every stamp (no allocation)
    const stamps = rs.memoStamp;
    memory.fill(changetype<usize>(stamps), 0, <usize>stamps.length << 2);
    stamp = 1;
  }
}

/**
 * The result of prerequisite flag `p`, evaluated once per evaluation: a
 * graph that names a flag many times (64 levels that each name the level
 * below twice are 2^64 paths) costs one visit per flag, plus a look-up per
 * repeated name.
 */
function prerequisiteResult(rs: Ruleset, rec: usize, p: i32): i32 {
  if (unchecked(rs.memoStamp[p]) == stamp) {
    spend(VALUE_UNITS);
    return unchecked(rs.memo[p]);
  }
  const result = evaluateFlag(rs, rec, p, false);
  unchecked(rs.memo[p] = result);
  unchecked(rs.memoStamp[p] = stamp);
  return result;
}

function offResult(f: Flag, reason: i32, detail: i32): i32 {
  // no off variation (-1) packs as NO_VARIATION: pack keeps the low 12 bits
  return pack(f.offVariation, reason, false, detail);
}

/**
 * Evaluates flag `index` for the context at `rec`, charging the current
 * budget (the caller starts it and turns a spent one into its answer).
 * `root`: the flag the evaluation was asked for (not a prerequisite), right
 * after budgetStart; it starts the prerequisite memo when it has
 * prerequisites.
 */
export function evaluateFlag(rs: Ruleset, rec: usize, index: i32, root: bool): i32 {
  // the root's FLAG_UNITS come with its fresh budget (budgetStart)
  if (!root && !spend(FLAG_UNITS)) return errorResult(E_EVALUATION_BUDGET);
  const f = unchecked(rs.flags[index]);
  if (f.malformed) return errorResult(E_MALFORMED_FLAG);
  if (!f.on) return offResult(f, R_OFF, 0);
  const prereqs = f.prerequisiteFlags;
  const n = prereqs.length;
  if (root && n != 0) evaluationStart(rs);
  for (let i = 0; i < n; i++) {
    const p = unchecked(prereqs[i]);
    if (p < 0 || !unchecked(rs.flags[p]).on) return offResult(f, R_PREREQUISITE_FAILED, i);
    const v = variationOf(prerequisiteResult(rs, rec, p));
    if (budgetOut()) return errorResult(E_EVALUATION_BUDGET);
    if (v != unchecked(f.prerequisiteVariations[i])) return offResult(f, R_PREREQUISITE_FAILED, i);
  }
  const targets = f.targets;
  for (let i = 0, n = targets.length; i < n; i++) {
    const t = unchecked(targets[i]);
    const slot = slotAt(rec, t.kind, ATTR_KEY, rs.attrCount);
    if (slotType(slot) != V_STR) continue;
    if (!spend(ITEM_UNITS + <i64>slotLen(slot))) return errorResult(E_EVALUATION_BUDGET); // hashing the key
    if (t.keys.contains(slotPtr(rec, slot), slotLen(slot))) return pack(t.variation, R_TARGET_MATCH, false, 0);
  }
  const rules = f.rules;
  for (let i = 0, n = rules.length; i < n; i++) {
    const r = unchecked(rules[i]);
    // charges the rule (ITEM_UNITS) with its first clause; false when out of budget
    if (ruleMatches(rs, rec, r.clauses)) return serve(rs, rec, r.serve, R_RULE_MATCH, i);
    if (budgetOut()) return errorResult(E_EVALUATION_BUDGET);
  }
  return serve(rs, rec, f.fallthrough, R_FALLTHROUGH, 0);
}
