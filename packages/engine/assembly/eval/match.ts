// Clause matching against a context record. Hot path: no allocation.

import {
  Clause, ClauseValue, Ruleset, Segment, KindKeys, ATTR_KEY, ATTR_KIND,
  OP_IN, OP_STARTS_WITH, OP_ENDS_WITH, OP_CONTAINS, OP_MATCHES, OP_LT, OP_LTE, OP_GT, OP_GTE,
  OP_BEFORE, OP_AFTER, OP_SEMVER_EQ, OP_SEMVER_LT, OP_SEMVER_GT, OP_SEGMENT_MATCH, OP_NEVER,
} from "../ruleset/model";
import { J_BOOL, J_NUM, J_STR } from "../json/value";
import { SLOT, V_ARR, V_BOOL, V_NONE, V_NUM, V_STR, slotAt, slotLen, slotNum, slotPtr, slotType } from "../context/record";
import { bytesEndWith, bytesEqual, bytesStartWith } from "../util/bytes";
import { bytesContain } from "../ops/substring";
import { regexBudgetSpent, regexBudgetStart, regexMatch } from "../ops/regex";
import { SemVer, compareSemVer, parseSemVer } from "../ops/semver";
import { parseTimestamp } from "../ops/datetime";

const attrVersion = new SemVer();

function matchString(op: u8, c: Clause, ptr: usize, len: i32): bool {
  const values = c.values;
  if (op == OP_IN && c.strings != null) return c.strings!.contains(ptr, len);
  if (op >= OP_SEMVER_EQ) {
    if (!parseSemVer(ptr, len, attrVersion)) return false;
    for (let i = 0, n = values.length; i < n; i++) {
      const cmp = compareSemVer(attrVersion, unchecked(values[i]).semver!);
      if (op == OP_SEMVER_EQ ? cmp == 0 : op == OP_SEMVER_LT ? cmp < 0 : cmp > 0) return true;
    }
    return false;
  }
  if (op == OP_BEFORE || op == OP_AFTER) return matchTime(op, values, parseTimestamp(ptr, len));
  for (let i = 0, n = values.length; i < n; i++) {
    const v = unchecked(values[i]);
    if (v.type != J_STR) continue;
    const vp = changetype<usize>(v.bytes);
    const vl = v.bytes.byteLength;
    let m = false;
    if (op == OP_IN) m = bytesEqual(ptr, len, vp, vl);
    else if (op == OP_STARTS_WITH) m = bytesStartWith(ptr, len, vp, vl);
    else if (op == OP_ENDS_WITH) m = bytesEndWith(ptr, len, vp, vl);
    else if (op == OP_CONTAINS) m = bytesContain(ptr, len, vp, vl);
    else if (op == OP_MATCHES) m = regexMatch(v.regex!, ptr, len);
    if (m) return true;
  }
  return false;
}

function matchTime(op: u8, values: StaticArray<ClauseValue>, t: f64): bool {
  if (isNaN(t)) return false;
  for (let i = 0, n = values.length; i < n; i++) {
    const v = unchecked(values[i]).num;
    if (op == OP_BEFORE ? t < v : t > v) return true;
  }
  return false;
}

function matchNumber(op: u8, values: StaticArray<ClauseValue>, x: f64, type: u8): bool {
  if (op == OP_BEFORE || op == OP_AFTER) return type == V_NUM && matchTime(op, values, x);
  for (let i = 0, n = values.length; i < n; i++) {
    const v = unchecked(values[i]);
    let m = false;
    if (op == OP_IN) m = (type == V_NUM ? v.type == J_NUM : v.type == J_BOOL) && v.num == x;
    else if (type != V_NUM) return false;
    else if (op == OP_LT) m = x < v.num;
    else if (op == OP_LTE) m = x <= v.num;
    else if (op == OP_GT) m = x > v.num;
    else if (op == OP_GTE) m = x >= v.num;
    if (m) return true;
  }
  return false;
}

/** One attribute value (a slot or an array item) against the clause. */
function matchSlot(rec: usize, slot: usize, c: Clause): bool {
  const t = slotType(slot);
  if (t == V_STR) return matchString(c.op, c, slotPtr(rec, slot), slotLen(slot));
  if (t == V_NUM || t == V_BOOL) return matchNumber(c.op, c.values, slotNum(slot), t);
  return false;
}

function matchKinds(rs: Ruleset, rec: usize, c: Clause): bool {
  const names = rs.kindNames;
  for (let k = 0, n = names.length; k < n; k++) {
    if (slotType(slotAt(rec, k, ATTR_KEY, rs.attrCount)) != V_STR) continue;
    const name = unchecked(names[k]);
    if (matchString(c.op, c, changetype<usize>(name), name.byteLength)) return true;
  }
  return false;
}

export function clauseMatches(rs: Ruleset, rec: usize, c: Clause): bool {
  let m = false;
  if (c.op == OP_NEVER) return false; // a clause with a load warning: no match, negated or not
  // one step budget per clause: all its patterns, every item of an array (SPEC §10)
  if (c.op == OP_MATCHES) regexBudgetStart();
  if (c.op == OP_SEGMENT_MATCH) {
    const values = c.values;
    for (let i = 0, n = values.length; i < n && !m; i++) {
      const s = unchecked(values[i]).segment;
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
      for (let i = 0, n = slotLen(slot); i < n && !m; i++) m = matchSlot(rec, items + <usize>i * SLOT, c);
    } else {
      m = matchSlot(rec, slot, c);
    }
  }
  // out of steps: nothing was decided, so no match, negated or not
  if (c.op == OP_MATCHES && regexBudgetSpent()) return false;
  return c.negate ? !m : m;
}

export function allMatch(rs: Ruleset, rec: usize, clauses: StaticArray<Clause>): bool {
  for (let i = 0, n = clauses.length; i < n; i++) {
    if (!clauseMatches(rs, rec, unchecked(clauses[i]))) return false;
  }
  return true;
}

/** Whether the context's key of some listed kind is in the list. */
export function keyListed(rs: Ruleset, rec: usize, lists: StaticArray<KindKeys>): bool {
  for (let i = 0, n = lists.length; i < n; i++) {
    const l = unchecked(lists[i]);
    const slot = slotAt(rec, l.kind, ATTR_KEY, rs.attrCount);
    if (slotType(slot) == V_STR && l.keys.contains(slotPtr(rec, slot), slotLen(slot))) return true;
  }
  return false;
}

function inSegment(rs: Ruleset, rec: usize, s: Segment): bool {
  if (keyListed(rs, rec, s.included)) return true;
  if (keyListed(rs, rec, s.excluded)) return false;
  const rules = s.rules;
  for (let i = 0, n = rules.length; i < n; i++) {
    if (allMatch(rs, rec, unchecked(rules[i]))) return true;
  }
  return false;
}
