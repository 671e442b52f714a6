// Clause matching against a context record. Every step charges the
// evaluation's work budget (budget.ts) before it runs, and a step that finds
// the budget spent answers false at once: the evaluation's answer is then
// EVALUATION_BUDGET whatever was matched. Hot path: no allocation.

import {
  Clause, Clauses, Ruleset, Segment, KindKeys, ATTR_KEY, ATTR_KIND,
  OP_IN, OP_STARTS_WITH, OP_ENDS_WITH, OP_CONTAINS, OP_MATCHES, OP_LT, OP_LTE, OP_GT, OP_GTE,
  OP_BEFORE, OP_AFTER, OP_SEMVER_EQ, OP_SEMVER_LT, OP_SEMVER_GT, OP_SEGMENT_MATCH, OP_NEVER,
} from "../ruleset/model";
import { HEADER_WORDS, objectAt } from "../util/static-object";
import { ByteSet } from "../ruleset/byte-set";
import { LEN_BOOL, LEN_NUM, valueAt, valueLen, valueNum, valuePtr, valueRegex, valueSegment, valueSemVer } from "../ruleset/clause-values";
import { SLOT, V_ARR, V_BOOL, V_NONE, V_NUM, V_STR, slotAt, slotLen, slotNum, slotPtr, slotType } from "../context/record";
import { bytesEndWith, bytesEqual, bytesStartWith } from "../util/bytes";
import { bytesContain } from "../ops/substring";
import {
  REGEX_STEP_BUDGET, countRegexExhaustion, regexBudgetSpent, regexBudgetStart, regexMatch, regexStepsUsed,
} from "../ops/regex";
import { SemVer, compareSemVer, parseSemVer } from "../ops/semver";
import { parseTimestamp } from "../ops/datetime";
import {
  ITEM_UNITS, PARSE_UNITS, STEP_UNITS, VALUE_UNITS, budgetEnd, budgetGet, budgetLeft, budgetOut, budgetSet, spend,
} from "./budget";

// The attribute's parsed version: scratch in static data (it holds numbers
// and a pointer into the parsed bytes, nothing the collector follows), so
// neither the start function nor the first comparison builds it. The
// collector still reads the header in front of it (a SemVer global is a
// root): zero words, a plain Object's, with no members to visit, rather
// than whatever static data the layout put there.
const attrVersion = objectAt<SemVer>(memory.data((HEADER_WORDS << 2) + 4 + offsetof<SemVer>(), 8) + 4);
// The attribute bytes attrVersion was parsed from (versionLen -1: none):
// avsb_eval_all's flags compare one context's version
// with several flags' (the bench's appVersion, three times) and parse it
// once. A context's bytes are fixed within one engine call, not across
// calls (a released record's memory takes the next context), so every
// top-level evaluation forgets it first (versionForget).
let versionPtr: usize = 0;
let versionLen: i32 = -1;

/** Forgets the parsed attribute version: called before a top-level call evaluates. */
// @ts-ignore: decorator
@inline
export function versionForget(): void {
  versionLen = -1;
}

// `op` is a u32 here and below, not the clause's u8: a u8 parameter is masked
// (`& 255`) at every use, 15 B of the .wasm in these four functions.
function matchString(op: u32, c: Clause, ptr: usize, len: i32): bool {
  const values = c.values;
  const n = c.count;
  // hashing or parsing the attribute reads it once
  if (op == OP_IN && c.strings != 0) return spend(<i64>len + VALUE_UNITS) && changetype<ByteSet>(c.strings).contains(ptr, len);
  if (op >= OP_SEMVER_EQ) {
    const version = attrVersion;
    // charged on every comparison, parsed or not, so that every answer and budget is the one of a parse per clause
    if (!spend(<i64>len * PARSE_UNITS)) return false;
    if (ptr != versionPtr || len != versionLen) {
      // parseSemVer writes only a version that parses: one that does not leaves the kept one as it was
      // (and is parsed again at its next comparison: rare, and no global for it)
      if (!parseSemVer(ptr, len, version)) return false;
      versionPtr = ptr;
      versionLen = len;
    }
    for (let i = 0; i < n; i++) {
      if (!spend(VALUE_UNITS)) return false;
      const cmp = compareSemVer(version, valueSemVer(valueAt(values, i)));
      if (op == OP_SEMVER_EQ ? cmp == 0 : op == OP_SEMVER_LT ? cmp < 0 : cmp > 0) return true;
    }
    return false;
  }
  if (op == OP_BEFORE || op == OP_AFTER) return spend(<i64>len * PARSE_UNITS) && matchTime(op, values, n, parseTimestamp(ptr, len));
  // the budget in a local: nothing in this loop charges or reads it (the regex VM counts its own steps)
  let left = budgetGet();
  for (let i = 0; i < n; i++) {
    const v = valueAt(values, i);
    const vp = valuePtr(v);
    const vl = valueLen(v);
    left -= VALUE_UNITS + stringCost(op, len, vl);
    if (left < 0) break;
    if (vl < 0) continue; // a number or boolean (clause-values.ts)
    let m = false;
    if (op == OP_IN) m = bytesEqual(ptr, len, vp, vl);
    else if (op == OP_STARTS_WITH) m = bytesStartWith(ptr, len, vp, vl);
    else if (op == OP_ENDS_WITH) m = bytesEndWith(ptr, len, vp, vl);
    else if (op == OP_CONTAINS) m = bytesContain(ptr, len, vp, vl);
    else if (op == OP_MATCHES) m = regexMatch(valueRegex(v), ptr, len);
    if (m) {
      budgetSet(left);
      return true;
    }
  }
  budgetSet(left);
  return false;
}

/**
 * Bytes one string operator reads for one value (an attribute of `len` bytes,
 * a value of `vl`): the byte comparisons it makes at most, or for `matches`
 * the pass over the attribute (its VM steps are charged by the clause). A
 * number or boolean (`vl` negative) costs nothing, as a string longer than
 * the attribute does: compared unsigned, it is one.
 */
// @ts-ignore: decorator
@inline
function stringCost(op: u32, len: i32, vl: i32): i64 {
  if (op == OP_MATCHES) return <i64>len;
  if (<u32>vl > <u32>len) return 0; // decided by the lengths
  if (op == OP_CONTAINS) return 2 * (<i64>len + <i64>vl); // Two-Way: at most 2·(n + m) comparisons
  return op == OP_IN && vl != len ? 0 : <i64>vl;
}

function matchTime(op: u32, values: usize, n: i32, t: f64): bool {
  if (isNaN(t)) return false;
  for (let i = 0; i < n; i++) {
    if (!spend(VALUE_UNITS)) return false;
    const v = valueNum(valueAt(values, i));
    if (op == OP_BEFORE ? t < v : t > v) return true;
  }
  return false;
}

function matchNumber(op: u32, values: usize, n: i32, x: f64, type: u8): bool {
  if (op == OP_BEFORE || op == OP_AFTER) return type == V_NUM && matchTime(op, values, n, x);
  for (let i = 0; i < n; i++) {
    if (!spend(VALUE_UNITS)) return false;
    const v = valueAt(values, i);
    const num = valueNum(v);
    let m = false;
    if (op == OP_IN) m = valueLen(v) == (type == V_NUM ? LEN_NUM : LEN_BOOL) && num == x;
    else if (type != V_NUM) return false;
    else if (op == OP_LT) m = x < num;
    else if (op == OP_LTE) m = x <= num;
    else if (op == OP_GT) m = x > num;
    else if (op == OP_GTE) m = x >= num;
    if (m) return true;
  }
  return false;
}

/** One attribute value (a slot or an array item) against the clause. */
function matchSlot(rec: usize, slot: usize, c: Clause): bool {
  const t = slotType(slot);
  if (t == V_STR) return matchString(c.op, c, slotPtr(rec, slot), slotLen(slot));
  if (t == V_NUM || t == V_BOOL) return matchNumber(c.op, c.values, c.count, slotNum(slot), t);
  return false;
}

function matchKinds(rs: Ruleset, rec: usize, c: Clause): bool {
  const names = rs.kindNames;
  for (let k = 0, n = names.length; k < n; k++) {
    if (!spend(VALUE_UNITS)) return false;
    if (slotType(slotAt(rec, k, ATTR_KEY, rs.attrCount)) != V_STR) continue;
    const name = unchecked(names[k]);
    if (matchString(c.op, c, changetype<usize>(name), name.byteLength)) return true;
  }
  return false;
}

/** Operators that clauseMatches leaves to clauseMatchesInFull, as a bit set. */
const FULL_OPS: u32 = (1 << OP_NEVER) | (1 << OP_MATCHES) | (1 << OP_SEGMENT_MATCH);

/**
 * Whether clause `c` matches, charging `units` first (ITEM_UNITS, plus what a caller batches with it).
 *
 * A clause on one string attribute (the read path's usual clause) takes
 * `units` off the budget unchecked: matchString checks it with its own first
 * charge, before anything can match, so the units charged and every answer
 * are those of clauseMatchesInFull. No clause matches once the budget is out
 * (every match follows a charge that succeeded), so only a negated one reads
 * the budget at the end.
 */
export function clauseMatches(rs: Ruleset, rec: usize, c: Clause, units: i64): bool {
  if (((1 << <u32>c.op) & FULL_OPS) == 0 && c.attr != ATTR_KIND) {
    const slot = slotAt(rec, c.kind, c.attr, rs.attrCount);
    if (slotType(slot) == V_STR) {
      budgetSet(budgetGet() - units);
      const m = matchString(c.op, c, slotPtr(rec, slot), slotLen(slot));
      return c.negate ? !m && !budgetOut() : m;
    }
  }
  return clauseMatchesInFull(rs, rec, c, units);
}

/** clauseMatches for every clause: charges `units`, then matches (segments, kinds, arrays, regex step budgets). */
function clauseMatchesInFull(rs: Ruleset, rec: usize, c: Clause, units: i64): bool {
  let m = false;
  if (!spend(units)) return false;
  const op = c.op;
  if (op == OP_NEVER) return false; // a clause with a load warning: no match, negated or not
  // one step budget per clause: all its patterns, every item of an array (SPEC §10),
  // or less when the evaluation has less left
  if (op == OP_MATCHES) regexBudgetStart(<i32>min<i64>(REGEX_STEP_BUDGET, budgetLeft() / STEP_UNITS));
  if (op == OP_SEGMENT_MATCH) {
    const values = c.values;
    for (let i = 0, n = c.count; i < n && !m; i++) {
      if (!spend(VALUE_UNITS)) return false;
      const s = valueSegment(valueAt(values, i));
      m = s >= 0 && inSegment(rs, rec, unchecked(rs.segments[s]));
    }
  } else if (c.attr == ATTR_KIND) {
    m = matchKinds(rs, rec, c);
  } else {
    const slot = slotAt(rec, c.kind, c.attr, rs.attrCount);
    const t = slotType(slot);
    if (t == V_NONE) return false; // missing: no match, negated or not (SPEC §5.2)
    if (t == V_ARR) {
      const items = slotPtr(rec, slot);
      for (let i = 0, n = slotLen(slot); i < n && !m; i++) {
        if (!spend(VALUE_UNITS)) return false;
        m = matchSlot(rec, items + <usize>i * SLOT, c);
      }
    } else {
      m = matchSlot(rec, slot, c);
    }
  }
  if (op == OP_MATCHES && !regexClauseEnd()) return false;
  if (budgetOut()) return false;
  return c.negate ? !m : m;
}

/**
 * Charges the clause's regex steps. False when its searches ran out: of the
 * clause's own REGEX_STEP_BUDGET (nothing was decided, so the clause does not
 * match, negated or not; counted), or of what the evaluation had left (the
 * evaluation is out of budget).
 */
function regexClauseEnd(): bool {
  const used = regexStepsUsed();
  if (!regexBudgetSpent()) return spend(<i64>used * STEP_UNITS);
  if (used < REGEX_STEP_BUDGET) {
    budgetEnd();
    return false;
  }
  spend(<i64>used * STEP_UNITS);
  countRegexExhaustion();
  return false;
}

/**
 * Whether all clauses of a flag's rule match, charging the rule (ITEM_UNITS)
 * in one spend with its first clause: the same units as charging the rule,
 * then `allMatch`, with nothing observable in between.
 */
export function ruleMatches(rs: Ruleset, rec: usize, clauses: Clauses): bool {
  const n = clauses.length;
  if (n == 0) return spend(ITEM_UNITS);
  if (!clauseMatches(rs, rec, clauses[0], 2 * ITEM_UNITS)) return false;
  for (let i = 1; i < n; i++) {
    if (!clauseMatches(rs, rec, clauses[i], ITEM_UNITS)) return false;
  }
  return true;
}

export function allMatch(rs: Ruleset, rec: usize, clauses: Clauses): bool {
  for (let i = 0, n = clauses.length; i < n; i++) {
    if (!clauseMatches(rs, rec, clauses[i], ITEM_UNITS)) return false;
  }
  return true;
}

/** Whether the context's key of some listed kind is in the list. */
export function keyListed(rs: Ruleset, rec: usize, lists: StaticArray<KindKeys>): bool {
  for (let i = 0, n = lists.length; i < n; i++) {
    const l = unchecked(lists[i]);
    const slot = slotAt(rec, l.kind, ATTR_KEY, rs.attrCount);
    if (slotType(slot) != V_STR) continue;
    if (!spend(ITEM_UNITS + <i64>slotLen(slot))) return false; // hashing the key
    if (l.keys.contains(slotPtr(rec, slot), slotLen(slot))) return true;
  }
  return false;
}

function inSegment(rs: Ruleset, rec: usize, s: Segment): bool {
  if (!spend(ITEM_UNITS)) return false;
  if (keyListed(rs, rec, s.included)) return true;
  if (keyListed(rs, rec, s.excluded)) return false;
  const rules = s.rules;
  for (let i = 0, n = rules.length; i < n; i++) {
    if (!spend(ITEM_UNITS)) return false;
    if (allMatch(rs, rec, unchecked(rules[i]))) return true;
  }
  return false;
}
