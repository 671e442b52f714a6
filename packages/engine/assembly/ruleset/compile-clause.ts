// Clauses: operator names become opcodes, values are parsed once for their
// operator (regex programs, versions, instants), and references are interned.

import { JsonValue, J_BOOL, J_NUM, J_STR } from "../json/value";
import {
  Clause, Clauses, Ruleset, ATTR_KIND, KIND_USER,
  OP_IN, OP_STARTS_WITH, OP_ENDS_WITH, OP_CONTAINS, OP_MATCHES, OP_LT, OP_LTE, OP_GT, OP_GTE,
  OP_BEFORE, OP_AFTER, OP_SEMVER_EQ, OP_SEMVER_LT, OP_SEMVER_GT, OP_SEGMENT_MATCH,
} from "./model";
import { ByteSet } from "./byte-set";
import { poolCopy, poolList, poolObject, poolRoom } from "./byte-pool";
import { VALUE_BYTES, setValueNum, setValueObject, setValueSegment, setValueString, setValueType, valueAt, valuePtr } from "./clause-values";
import { KeyIndex } from "./key-index";
import { internAttribute, internKind, reportRef } from "./interner";
import { Path, asArray, field, isObject, isString, item, notKind, optBool, problemAt, report, reported, required, validKindName } from "./check";
import { errQuoted, errText } from "../util/error";
import { Text, utf8 } from "../util/text";
import { SemVer, parseSemVer } from "../ops/semver";
import { parseTimestamp } from "../ops/datetime";
import { Regex, compileRegex, writeRegexError } from "../ops/regex";

const OP_NAMES: StaticArray<Text> = [
  utf8(""), utf8("in"), utf8("startsWith"), utf8("endsWith"), utf8("contains"), utf8("matches"), utf8("lessThan"),
  utf8("lessThanOrEqual"), utf8("greaterThan"), utf8("greaterThanOrEqual"), utf8("before"), utf8("after"),
  utf8("semVerEqual"), utf8("semVerLessThan"), utf8("semVerGreaterThan"), utf8("segmentMatch"),
];

/** The opcode of an operator name, compared in place (no string per clause); 0 for none. */
function opcode(name: JsonValue): u8 {
  for (let i = 1; i < OP_NAMES.length; i++) if (name.is(OP_NAMES[i])) return <u8>i;
  return 0;
}

/** Reads `contextKind` (default "user") and interns it; -1 on error. */
export function compileKind(rs: Ruleset, obj: JsonValue, path: Path): i32 {
  const v = obj.get(utf8("contextKind"));
  // the usual case needs no lookup: "user" is kind 0 of every ruleset
  if (v == null) return KIND_USER;
  // nor does "user" written out, as most clauses have it: no check of the name, no path, no lookup
  if (v.is(utf8("user"))) return KIND_USER;
  if (!isString(v, field(path, utf8("contextKind")))) return -1;
  if (!validKindName(v)) {
    problemAt(field(path, utf8("contextKind")));
    errQuoted(v.strPtr, v.strLen);
    errText(utf8(" is not a valid kind (letters, digits, '.', '_', '-'; not \"kind\" or \"multi\")"));
    reported();
    return -1;
  }
  return internKind(rs, v.strPtr, v.strLen);
}

// the same pattern in many rules compiles once per load: patterns to their index in `regexes`
let regexIndex: KeyIndex | null = null; // set by resetRegexCache, before any clause compiles
let regexes: Regex[] = [];

/** The programs compiled so far, for the ruleset whose clause values point to them (clause-values.ts). */
export function keepRegexes(rs: Ruleset): void {
  rs.regexes = StaticArray.fromArray<Regex>(regexes);
}

/** Called at the start of every load (and after it, so the cache holds nothing alive). */
export function resetRegexCache(): void {
  regexIndex = new KeyIndex();
  regexes = [];
}

/**
 * A pattern's program, compiled once per load however many clauses name it;
 * null after reporting a pattern the regex parser refused. A function of its
 * own, so the code every clause value runs through stays small.
 */
function regexOf(v: JsonValue, path: Path): Regex | null {
  const at = regexIndex!.find(v.strPtr, v.strLen);
  if (at >= 0) return regexes[at];
  // one over the size limit is refused by its length, before the parser reads it
  const regex = compileRegex(v.strPtr, v.strLen);
  if (regex == null) {
    problemAt(path);
    errText(utf8("invalid regular expression: "));
    writeRegexError();
    reported();
    return null;
  }
  regexIndex!.add(v.strPtr, v.strLen, regexes.length);
  regexes.push(regex);
  return regex;
}

/** Value `v` for operator `op` into the record at `at` (clause-values.ts); false after reporting a value the operator cannot take. */
function compileValue(rs: Ruleset, op: u8, v: JsonValue, path: Path, segmentKeys: KeyIndex, at: usize): bool {
  setValueType(at, v.kind);
  // a pattern needs no bytes, and one over its size limit must not cost a copy (ops/regex.ts)
  if (v.kind == J_STR && op != OP_MATCHES) setValueString(at, poolCopy(rs, v.strPtr, v.strLen), v.strLen);
  if (v.kind == J_NUM) setValueNum(at, v.num);
  if (v.kind == J_BOOL) setValueNum(at, v.bool ? 1 : 0);
  if (op == OP_IN) {
    if (v.kind == J_STR || v.kind == J_NUM || v.kind == J_BOOL) return true;
    problemAt(path);
    errText(utf8("must be a string, number or boolean for \"in\""));
    notKind(v);
    return false;
  }
  if (op == OP_LT || op == OP_LTE || op == OP_GT || op == OP_GTE) {
    if (v.kind == J_NUM) return true;
    problemAt(path);
    errText(utf8("must be a number for "));
    errText(OP_NAMES[op]);
    notKind(v);
    return false;
  }
  if (op == OP_BEFORE || op == OP_AFTER) {
    if (v.kind == J_NUM) return true;
    if (v.kind == J_STR) {
      const t = parseTimestamp(valuePtr(at), v.strLen);
      setValueNum(at, t);
      if (!isNaN(t)) return true;
    }
    problemAt(path);
    errText(utf8("must be an RFC 3339 timestamp or epoch milliseconds for "));
    errText(OP_NAMES[op]);
    reported();
    return false;
  }
  // the other operators take strings; the text is decoded only for the regex parser and for a message
  if (!isString(v, path)) return false;
  if (op == OP_MATCHES) {
    const regex = regexOf(v, path);
    if (regex == null) return false;
    setValueObject(at, changetype<usize>(regex));
  } else if (op == OP_SEMVER_EQ || op == OP_SEMVER_LT || op == OP_SEMVER_GT) {
    // nothing in a SemVer is managed: it lives in the pool, next to the bytes its pre-release points into
    const sv = poolObject<SemVer>(rs);
    if (!parseSemVer(valuePtr(at), v.strLen, sv)) {
      problemAt(path);
      errQuoted(v.strPtr, v.strLen);
      errText(utf8(" is not a semantic version"));
      reported();
      return false;
    }
    setValueObject(at, changetype<usize>(sv));
  } else if (op == OP_SEGMENT_MATCH) {
    setValueSegment(at, segmentKeys.find(v.strPtr, v.strLen));
  }
  return true;
}

export function compileClause(rs: Ruleset, v: JsonValue, path: Path, segmentKeys: KeyIndex): Clause | null {
  if (!isObject(v, path)) return null;
  const c = poolObject<Clause>(rs);
  const opv = required(v, utf8("op"), path);
  if (opv == null) return null;
  if (!isString(opv, field(path, utf8("op")))) return null;
  c.op = opcode(opv);
  if (c.op == 0) {
    problemAt(field(path, utf8("op")));
    errText(utf8("unknown operator "));
    errQuoted(opv.strPtr, opv.strLen);
    reported();
    return null;
  }
  c.kind = compileKind(rs, v, path);
  if (c.kind < 0) return null;
  const neg = optBool(v, utf8("negate"), path, false);
  if (neg < 0) return null;
  c.negate = neg == 1;
  if (c.op != OP_SEGMENT_MATCH) {
    const av = required(v, utf8("attribute"), path);
    if (av == null) return null;
    if (!isString(av, field(path, utf8("attribute")))) return null;
    c.attr = internAttribute(rs, av.strPtr, av.strLen);
    if (c.attr == -1) {
      reportRef(field(path, utf8("attribute")), av.strPtr, av.strLen);
      return null;
    }
  }
  const valuesPath = field(path, utf8("values"));
  const vv = required(v, utf8("values"), path);
  if (vv == null) return null;
  const items = asArray(vv, valuesPath);
  if (items == null) return null;
  if (items.length == 0) {
    report(valuesPath, utf8("must have at least one value"));
    return null;
  }
  const values = poolRoom(rs, items.length * VALUE_BYTES);
  let strings = 0;
  for (let i = 0; i < items.length; i++) {
    if (!compileValue(rs, c.op, items[i], item(valuesPath, i), segmentKeys, valueAt(values, i))) return null;
    if (items[i].kind != J_STR) continue;
    // contexts record only the kinds a datafile names: `kind in ["org"]` names "org"
    if (c.attr == ATTR_KIND && c.op == OP_IN && validKindName(items[i])) internKind(rs, items[i].strPtr, items[i].strLen);
    strings++;
  }
  c.values = values;
  c.count = items.length;
  if (c.op == OP_IN && strings > 4) c.strings = changetype<usize>(ByteSet.ofList(rs, items));
  return c;
}

export function compileClauses(rs: Ruleset, obj: JsonValue, path: Path, segmentKeys: KeyIndex): Clauses | null {
  const p = field(path, utf8("clauses"));
  const items = asArray(obj.get(utf8("clauses")), p);
  if (items == null) return null;
  const out = poolList<Clause>(rs, items.length);
  for (let i = 0; i < items.length; i++) {
    const c = compileClause(rs, items[i], item(p, i), segmentKeys);
    // the problem is a load warning; the clause never matches and the rest of the rule stands (ABI.md, "Warnings")
    out[i] = c == null ? poolObject<Clause>(rs) : c;
  }
  return out;
}
