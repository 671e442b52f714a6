// Datafile JSON → Ruleset. What cannot be a datafile at all (wrong top-level
// shape, unsupported schemaVersion, flags or segments without unique keys) is
// refused with the problem's JSON path. Anything wrong inside a flag or a
// segment is a load warning (ABI.md, "Warnings"): a broken clause never
// matches, a broken flag is malformed, a broken segment matches no clause.

import { JsonValue, releaseTree } from "../json/value";
import { Clauses, Flag, KindKeys, Rule, Ruleset, Segment, Target, KIND_USER, NO_KIND_KEYS } from "./model";
import { ByteSet } from "./byte-set";
import { KeyIndex } from "./key-index";
import { newRuleset, releaseNames } from "./interner";
import { Path, ROOT, asArray, asBool, asInt, errPath, field, isObject, isString, item, pathsFree, pathsReset, pathsUntracked, passSpent, problemAt, problemSeen, report, reported, required } from "./check";
import { compileClauses, compileKind, keepRegexes, resetRegexCache } from "./compile-clause";
import { compileKeys, compileServe, keysOf } from "./compile-serve";
import { checkPrerequisiteGraph, checkSegmentGraph, cutMalformedSegments } from "./graph";
import { addFlagSpan, startFlagSpans } from "./flag-spans";
import { poolFlag, poolList, poolObject } from "./byte-pool";
import { errByte, errInt, errQuoted, errText } from "../util/error";
import { Text, utf8 } from "../util/text";

/** `included`/`excluded` user keys plus `…Contexts` lists of other kinds. */
function compileMembership(rs: Ruleset, seg: JsonValue, userKey: Text, ctxKey: Text, path: Path): StaticArray<KindKeys> | null {
  const users = compileKeys(seg, userKey, path);
  if (users == null) return null;
  const cp = field(path, ctxKey);
  const ctxs = asArray(seg.get(ctxKey), cp);
  if (ctxs == null) return null;
  if (users.length == 0 && ctxs.length == 0) return NO_KIND_KEYS;
  const out: KindKeys[] = [];
  if (users.length > 0) {
    const kk = new KindKeys();
    kk.kind = KIND_USER;
    kk.keys = ByteSet.ofList(rs, users);
    out.push(kk);
  }
  for (let i = 0; i < ctxs.length; i++) {
    const ip = item(cp, i);
    if (!isObject(ctxs[i], ip)) return null;
    const kk = new KindKeys();
    kk.kind = compileKind(rs, ctxs[i], ip);
    if (kk.kind < 0) return null;
    // one lookup of "values": required's, not a second in compileKeys
    const vals = required(ctxs[i], utf8("values"), ip);
    if (vals == null) return null;
    const keys = keysOf(vals, field(ip, utf8("values")));
    if (keys == null) return null;
    kk.keys = ByteSet.ofList(rs, keys);
    out.push(kk);
  }
  return StaticArray.fromArray(out);
}

function compileSegment(rs: Ruleset, v: JsonValue, path: Path, segmentKeys: KeyIndex): Segment | null {
  const s = new Segment();
  const inc = compileMembership(rs, v, utf8("included"), utf8("includedContexts"), path);
  if (inc == null) return null;
  const exc = compileMembership(rs, v, utf8("excluded"), utf8("excludedContexts"), path);
  if (exc == null) return null;
  s.included = inc;
  s.excluded = exc;
  const rp = field(path, utf8("rules"));
  const rules = asArray(v.get(utf8("rules")), rp);
  if (rules == null) return null;
  if (rules.length > 0) s.rules = new StaticArray<Clauses>(rules.length);
  for (let i = 0; i < rules.length; i++) {
    const ip = item(rp, i);
    if (!isObject(rules[i], ip)) return null;
    const cs = compileClauses(rs, rules[i], ip, segmentKeys);
    if (cs == null) return null;
    s.rules[i] = cs;
  }
  return s;
}

// A flag's members, found in one pass over its object: a get per name
// walked its members again for each of ten names, three of them usually
// missing. By length first (tables, smaller than a switch), so one name
// compare per member; the last duplicate wins, as in get. The tables are
// static data made inside the functions: at the top level every build that
// parses this file would carry them (the evaluator too).
const M_KEY = 0;
const M_ON = 1;
const M_VARIATIONS = 2;
const M_OFF_VARIATION = 3;
const M_TARGETS = 4;
const M_RULES = 5;
const M_FALLTHROUGH = 6;
const M_PREREQUISITES = 7;
const M_SALT = 8;
const M_CLIENT_SIDE = 9;

/** Fills `out` (a pointer per M_ index, 0 for a missing member) from the flag object `v`. */
function readFlagMembers(v: JsonValue, out: usize): void {
  // the names in M_ order, each a Text (its length byte, then its bytes)
  const names = memory.data<u8>([3, 107, 101, 121, 2, 111, 110, 10, 118, 97, 114, 105, 97, 116, 105, 111, 110, 115, 12, 111, 102, 102, 86, 97, 114, 105, 97, 116, 105, 111, 110, 7, 116, 97, 114, 103, 101, 116, 115, 5, 114, 117, 108, 101, 115, 11, 102, 97, 108, 108, 116, 104, 114, 111, 117, 103, 104, 13, 112, 114, 101, 114, 101, 113, 117, 105, 115, 105, 116, 101, 115, 4, 115, 97, 108, 116, 10, 99, 108, 105, 101, 110, 116, 83, 105, 100, 101]);
  // by a name's length (0-13): its M_ index + 1, 0 for none (10: variations; clientSide is told by its first byte)
  const byLength = memory.data<u8>([0, 0, 2, 1, 9, 6, 0, 5, 0, 0, 3, 7, 4, 8]);
  // by M_ index: where its name is in names
  const nameAt = memory.data<u8>([0, 4, 7, 18, 31, 39, 45, 57, 71, 76]);
  memory.fill(out, 0, 10 << alignof<usize>());
  for (let i = 0; i < v.length; i++) {
    const m = v[i];
    const len = m.keyLen;
    if (<u32>len > 13) continue;
    let k = <i32>load<u8>(byLength + len) - 1;
    if (k < 0) continue;
    if (len == 10 && load<u8>(m.keyPtr) != 0x76) k = M_CLIENT_SIDE;
    if (m.named(names + load<u8>(nameAt + k))) store<usize>(out + (<usize>k << alignof<usize>()), changetype<usize>(m));
  }
}

// @ts-ignore: decorator
@inline
function flagMember(members: usize, k: i32): JsonValue | null {
  return changetype<JsonValue | null>(load<usize>(members + (<usize>k << alignof<usize>())));
}

/** `required` for a member readFlagMembers found. */
function present(m: JsonValue | null, key: Text, path: Path): JsonValue | null {
  if (m == null) report(field(path, key), utf8("is required"));
  return m;
}

/** `flagKeys`: every flag's index by key (its `key` a string, checked by collectKeys). */
function compileFlag(rs: Ruleset, v: JsonValue, path: Path, segmentKeys: KeyIndex, flagKeys: KeyIndex): Flag | null {
  const members = memory.data(10 << alignof<usize>());
  readFlagMembers(v, members);
  const key = flagMember(members, M_KEY)!;
  const f = poolFlag(rs);
  const on = present(flagMember(members, M_ON), utf8("on"), path);
  if (on == null) return null;
  // the member found, not a second lookup (a 1,000-flag load made ≈ 27,000)
  const onb = asBool(on, path, utf8("on"));
  if (onb < 0) return null;
  f.on = onb == 1;
  const vp = field(path, utf8("variations"));
  const vv = present(flagMember(members, M_VARIATIONS), utf8("variations"), path);
  if (vv == null) return null;
  const vars = asArray(vv, vp);
  if (vars == null) return null;
  if (vars.length == 0 || vars.length > 4094) {
    problemAt(vp);
    errText(utf8("must have from 1 to 4094 variations, not "));
    errInt(vars.length);
    reported();
    return null;
  }
  f.variationCount = vars.length;
  const off = flagMember(members, M_OFF_VARIATION);
  if (off != null && off.kind != 0) {
    f.offVariation = asInt(off, field(path, utf8("offVariation")), 0, f.variationCount - 1);
    if (f.offVariation < 0) return null;
  }
  const own = flagMember(members, M_SALT);
  if (own != null && !isString(own, field(path, utf8("salt")))) return null;
  const salt = own != null ? own : key;
  const cs = flagMember(members, M_CLIENT_SIDE);
  if (cs != null && asBool(cs, path, utf8("clientSide")) < 0) return null;
  // what compileFlag reads below: the compiles of prerequisites, targets and rules read other objects
  const prereqList = flagMember(members, M_PREREQUISITES);
  const targetList = flagMember(members, M_TARGETS);
  const ruleList = flagMember(members, M_RULES);
  const fallthrough = flagMember(members, M_FALLTHROUGH);

  const pp = field(path, utf8("prerequisites"));
  const prereqs = asArray(prereqList, pp);
  if (prereqs == null) return null;
  // most flags have none: they keep the shared empty lists
  if (prereqs.length > 0) {
    f.prerequisiteFlags = poolList<i32>(rs, prereqs.length);
    f.prerequisiteVariations = poolList<i32>(rs, prereqs.length);
  }
  for (let i = 0; i < prereqs.length; i++) {
    const ip = item(pp, i);
    if (!isObject(prereqs[i], ip)) return null;
    const kv = required(prereqs[i], utf8("key"), ip);
    const varv = required(prereqs[i], utf8("variation"), ip);
    if (kv == null || varv == null) return null;
    if (!isString(kv, field(ip, utf8("key")))) return null;
    const n = asInt(varv, field(ip, utf8("variation")), 0, 4093);
    if (n < 0) return null;
    // every flag's key is indexed before any flag compiles: -1 for a key no flag has
    f.prerequisiteFlags[i] = flagKeys.find(kv.strPtr, kv.strLen);
    f.prerequisiteVariations[i] = n;
  }

  const tp = field(path, utf8("targets"));
  const targets = asArray(targetList, tp);
  if (targets == null) return null;
  if (targets.length > 0) f.targets = poolList<Target>(rs, targets.length);
  for (let i = 0; i < targets.length; i++) {
    const ip = item(tp, i);
    if (!isObject(targets[i], ip)) return null;
    const t = poolObject<Target>(rs);
    t.kind = compileKind(rs, targets[i], ip);
    if (t.kind < 0) return null;
    const vals = required(targets[i], utf8("values"), ip);
    if (vals == null) return null;
    const keys = keysOf(vals, field(ip, utf8("values")));
    if (keys == null) return null;
    t.keys = ByteSet.ofList(rs, keys);
    const tv = required(targets[i], utf8("variation"), ip);
    if (tv == null) return null;
    t.variation = asInt(tv, field(ip, utf8("variation")), 0, f.variationCount - 1);
    if (t.variation < 0) return null;
    f.targets[i] = t;
  }

  const rp = field(path, utf8("rules"));
  const rules = asArray(ruleList, rp);
  if (rules == null) return null;
  if (rules.length > 65535) {
    report(rp, utf8("must have at most 65535 rules"));
    return null;
  }
  if (rules.length > 0) f.rules = poolList<Rule>(rs, rules.length);
  for (let i = 0; i < rules.length; i++) {
    const ip = item(rp, i);
    if (!isObject(rules[i], ip)) return null;
    const id = rules[i].get(utf8("id"));
    if (id != null && !isString(id, field(ip, utf8("id")))) return null;
    const r = poolObject<Rule>(rs);
    const cs = compileClauses(rs, rules[i], ip, segmentKeys);
    if (cs == null) return null;
    r.clauses = cs;
    const sv = required(rules[i], utf8("serve"), ip);
    if (sv == null) return null;
    const serve = compileServe(rs, sv, field(ip, utf8("serve")), f.variationCount, salt);
    if (serve == null) return null;
    r.serve = serve;
    f.rules[i] = r;
  }
  const fv = present(fallthrough, utf8("fallthrough"), path);
  if (fv == null) return null;
  const ft = compileServe(rs, fv, field(path, utf8("fallthrough")), f.variationCount, salt);
  if (ft == null) return null;
  f.fallthrough = ft;
  return f;
}

/** Reads the `key` of every entry of a list, checking uniqueness; for `flags`, records where each lies (flag-spans.ts). */
function collectKeys(list: JsonValue, path: Path, flags: bool): KeyIndex | null {
  // sized for the list: growing rehashed every key so far at each doubling
  const keys = new KeyIndex(list.length);
  for (let i = 0; i < list.length; i++) {
    const ip = item(path, i);
    if (!isObject(list[i], ip)) return null;
    const kv = required(list[i], utf8("key"), ip);
    if (kv == null) return null;
    if (!isString(kv, field(ip, utf8("key")))) return null;
    if (kv.strLen == 0 || kv.strLen > 256) {
      report(field(ip, utf8("key")), utf8("must be 1 to 256 bytes long"));
      return null;
    }
    const at = keys.find(kv.strPtr, kv.strLen);
    if (at >= 0) {
      problemAt(field(ip, utf8("key")));
      errText(utf8("duplicate key "));
      errQuoted(kv.strPtr, kv.strLen);
      errText(utf8(" (also at "));
      errPath(item(path, at));
      errByte(0x29); // )
      reported();
      return null;
    }
    keys.add(kv.strPtr, kv.strLen, i);
    if (flags) addFlagSpan(i, list[i], kv);
  }
  return keys;
}

function malformedSegment(): Segment {
  const s = new Segment();
  s.malformed = true;
  return s;
}

/** Compiles a parsed datafile; null with the problem in the error buffer when it is refused, warnings recorded otherwise. */
export function compileDatafile(doc: JsonValue): Ruleset | null {
  resetRegexCache();
  pathsUntracked();
  let rs = compileRoot(doc);
  if (problemSeen()) {
    // the same tree compiles to the same outcome, this time with the paths its messages name (check.ts);
    // the regex cache stays: a pattern compiles as it did
    releaseNames();
    pathsReset();
    rs = compileRoot(doc);
  }
  releaseTree(); // the ruleset keeps nothing of the tree
  if (rs != null) keepRegexes(rs);
  resetRegexCache();
  releaseNames();
  pathsFree();
  return rs;
}

function compileRoot(doc: JsonValue): Ruleset | null {
  if (!isObject(doc, field(ROOT, utf8("datafile")))) return null;
  const ver = required(doc, utf8("schemaVersion"), ROOT);
  if (ver == null) return null;
  if (ver.kind != 2 || ver.num != 1) {
    report(field(ROOT, utf8("schemaVersion")), utf8("must be 1 (this engine reads datafile format v1)"));
    return null;
  }
  const rev = doc.get(utf8("revision"));
  const revision = rev != null ? asInt(rev, field(ROOT, utf8("revision")), 0, i32.MAX_VALUE) : -1;
  if (rev != null && revision < 0) return null;
  const rs = newRuleset();

  const segsPath = field(ROOT, utf8("segments"));
  const segs = asArray(doc.get(utf8("segments")), segsPath);
  if (segs == null) return null;
  const segmentKeys = collectKeys(segs, segsPath, false);
  if (segmentKeys == null) return null;
  rs.segments = new StaticArray<Segment>(segs.length);
  for (let i = 0; i < segs.length; i++) {
    const s = compileSegment(rs, segs[i], item(segsPath, i), segmentKeys);
    if (passSpent()) return null;
    rs.segments[i] = s != null ? s : malformedSegment();
  }
  for (let i = 0; i < segs.length; i++) {
    const rules = rs.segments[i].rules;
    for (let r = 0; r < rules.length; r++) cutMalformedSegments(rs, rules[r], utf8("segments"), i, r, segs);
  }
  checkSegmentGraph(rs, segs);

  const fv = required(doc, utf8("flags"), ROOT);
  if (fv == null) return null;
  const flagsPath = field(ROOT, utf8("flags"));
  const flags = asArray(fv, flagsPath);
  if (flags == null) return null;
  startFlagSpans(flags.length, revision);
  const flagKeys = collectKeys(flags, flagsPath, true);
  if (flagKeys == null) return null;
  rs.flags = new StaticArray<Flag>(flags.length);
  for (let i = 0; i < flags.length; i++) {
    const ip = item(flagsPath, i);
    const f = compileFlag(rs, flags[i], ip, segmentKeys, flagKeys);
    // the first problem ends the pass without paths: the one with them compiles the datafile
    if (passSpent()) return null;
    if (f == null) {
      // malformed: it answers ERROR/MALFORMED_FLAG and has no prerequisites to follow
      const m = poolFlag(rs);
      m.malformed = true;
      rs.flags[i] = m;
      continue;
    }
    rs.flags[i] = f;
    for (let r = 0; r < f.rules.length; r++) cutMalformedSegments(rs, f.rules[r].clauses, utf8("flags"), i, r, segs);
  }
  checkPrerequisiteGraph(rs, flags);
  return rs;
}
