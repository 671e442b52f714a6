// Writes a loaded ruleset as a compiled datafile (format.ts), for an
// evaluator that never sees the datafile's JSON. Cold path: runs once per
// datafile on a server, so it favours being obviously in step with
// reader.ts over speed.

import {
  Clause, Clauses, Flag, KindKeys, RefNode, Rollout, Ruleset, Segment, Serve,
  OP_BEFORE, OP_AFTER, OP_MATCHES, OP_SEGMENT_MATCH,
} from "../ruleset/model";
import { ByteSet } from "../ruleset/byte-set";
import { valueAt, valueLen, valueNum, valuePtr, valueRegex, valueSegment, valueType } from "../ruleset/clause-values";
import { MAX_CHAIN } from "../ruleset/graph";
import { Regex } from "../ops/regex";
import { J_NUM, J_STR } from "../json/value";
import {
  C_NEGATE, C_STRING_SET, FORMAT_VERSION, F_MALFORMED, F_ON, MAGIC, R_EXPERIMENT, T_BOOL, T_NUM, T_STR,
} from "./format";

let out: usize = 0;
let cap: usize = 0;
let len: usize = 0;

function room(n: usize): usize {
  if (len + n > cap) {
    let c = cap == 0 ? <usize>65536 : cap;
    while (c < len + n) c <<= 1;
    const next = heap.alloc(c);
    if (out != 0) {
      memory.copy(next, out, len);
      heap.free(out);
    }
    out = next;
    cap = c;
  }
  const at = out + len;
  len += n;
  return at;
}

function byte(v: u8): void {
  store<u8>(room(1), v);
}

function uvar(v: u32): void {
  do {
    const b = <u8>(v & 0x7f);
    v >>= 7;
    byte(v != 0 ? b | 0x80 : b);
  } while (v != 0);
}

/** Signed: indices that may be -1 (none) or negative pseudo ids (ATTR_KIND). */
function svar(v: i32): void {
  uvar(<u32>((v << 1) ^ (v >> 31)));
}

function f64le(v: f64): void {
  store<f64>(room(8), v);
}

function bytes(ptr: usize, n: i32): void {
  uvar(<u32>n);
  memory.copy(room(<usize>n), ptr, <usize>n);
}

function buffer(b: ArrayBuffer): void {
  bytes(changetype<usize>(b), b.byteLength);
}

/** The set's strings as it was given them, duplicates included (the reader builds the same set from them). */
function byteSet(s: ByteSet): void {
  const n = s.size;
  uvar(<u32>n);
  for (let i = 0; i < n; i++) bytes(s.stringPtr(i), s.stringLen(i));
}

// Regexes are shared between clauses (one per distinct pattern): written once, named by index.
let regexList: Regex[] = [];

function regexId(re: Regex): i32 {
  const i = regexList.indexOf(re);
  if (i >= 0) return i;
  regexList.push(re);
  return regexList.length - 1;
}

function collectRegexes(clauses: Clauses): void {
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i];
    if (c.op != OP_MATCHES) continue;
    for (let j = 0; j < c.count; j++) regexId(valueRegex(valueAt(c.values, j)));
  }
}

function regex(re: Regex): void {
  uvar(<u32>re.n);
  for (let i = 0; i < re.n * 3; i++) svar(re.code[i]);
  uvar(<u32>(re.ranges.length >> 1));
  for (let i = 0; i < re.ranges.length; i++) svar(re.ranges[i]);
}

function value(op: u8, v: usize): void {
  const type = valueType(v);
  byte(type == J_STR ? T_STR : type == J_NUM ? T_NUM : T_BOOL);
  if (op == OP_SEGMENT_MATCH) svar(valueSegment(v));
  else if (op == OP_MATCHES) uvar(<u32>regexId(valueRegex(v))); // a pattern's bytes are not kept (compile-clause.ts)
  else if (type == J_STR && op != OP_BEFORE && op != OP_AFTER) bytes(valuePtr(v), valueLen(v)); // versions are parsed again by the reader
  else f64le(valueNum(v));
}

function clause(c: Clause): void {
  byte(c.op);
  byte((c.negate ? C_NEGATE : 0) | (c.strings != 0 ? C_STRING_SET : 0));
  uvar(<u32>c.kind);
  svar(c.attr);
  uvar(<u32>c.count);
  for (let i = 0; i < c.count; i++) value(c.op, valueAt(c.values, i));
}

function clauses(list: Clauses): void {
  uvar(<u32>list.length);
  for (let i = 0; i < list.length; i++) clause(list[i]);
}

function rollout(r: Rollout): void {
  byte(r.experiment ? R_EXPERIMENT : 0);
  uvar(<u32>r.kind);
  svar(r.attr);
  bytes(r.saltPtr, r.saltLen);
  bytes(r.trafficSaltPtr, r.trafficSaltLen);
  uvar(<u32>r.rangeCount);
  for (let i = 0; i < r.rangeCount; i++) {
    uvar(<u32>load<i32>(r.ranges + (<usize>i << 3), 4));
    uvar(<u32>load<i32>(r.ranges + (<usize>i << 3)));
  }
  uvar(<u32>r.trafficAllocation);
  svar(r.untrackedVariation);
}

function serve(s: Serve): void {
  const r = s.rollout;
  if (r == null) {
    svar(s.variation); // -1 (none) only in a malformed flag, which is not written
    return;
  }
  svar(-2);
  rollout(r);
}

function kindKeys(list: StaticArray<KindKeys>): void {
  uvar(<u32>list.length);
  for (let i = 0; i < list.length; i++) {
    uvar(<u32>list[i].kind);
    byteSet(list[i].keys);
  }
}

// Levels: 1 + the highest level of what a flag's prerequisites (a segment's
// nested segments) name, so every edge goes down and the reader checks the
// graph acyclic and shallow edge by edge, without a walk of its own. graph.ts
// has cut cycles and chains over MAX_CHAIN: levels stay within it. -1: not
// known yet; a cycle left here would show as a level the reader refuses.
let flagLevels: StaticArray<i32> = [];
let segmentLevels: StaticArray<i32> = [];

function flagLevel(rs: Ruleset, i: i32): i32 {
  if (flagLevels[i] >= 0) return flagLevels[i];
  const f = rs.flags[i];
  if (f.malformed) return (flagLevels[i] = 0); // evaluation stops there
  flagLevels[i] = MAX_CHAIN + 1;
  let below = 0;
  for (let j = 0; j < f.prerequisiteFlags.length; j++) {
    const p = f.prerequisiteFlags[j];
    if (p >= 0) below = max(below, flagLevel(rs, p));
  }
  return (flagLevels[i] = 1 + below);
}

function segmentLevel(rs: Ruleset, i: i32): i32 {
  if (segmentLevels[i] >= 0) return segmentLevels[i];
  segmentLevels[i] = MAX_CHAIN + 1;
  const rules = rs.segments[i].rules;
  let below = 0;
  for (let r = 0; r < rules.length; r++) {
    for (let c = 0; c < rules[r].length; c++) {
      const clause = rules[r][c];
      if (clause.op != OP_SEGMENT_MATCH) continue;
      for (let v = 0; v < clause.count; v++) {
        const s = valueSegment(valueAt(clause.values, v));
        if (s >= 0) below = max(below, segmentLevel(rs, s));
      }
    }
  }
  return (segmentLevels[i] = 1 + below);
}

function segment(s: Segment, level: i32): void {
  // a malformed segment is written whole: evaluation reads it like any other (graph.ts cut the clauses naming it)
  byte(s.malformed ? F_MALFORMED : 0);
  uvar(<u32>level);
  kindKeys(s.included);
  kindKeys(s.excluded);
  uvar(<u32>s.rules.length);
  for (let i = 0; i < s.rules.length; i++) clauses(s.rules[i]);
}

function flag(f: Flag, level: i32): void {
  byte((f.malformed ? F_MALFORMED : 0) | (f.on ? F_ON : 0));
  if (f.malformed) return; // evaluates to MALFORMED_FLAG whatever else it holds
  uvar(<u32>level);
  uvar(<u32>f.variationCount);
  svar(f.offVariation);
  uvar(<u32>f.prerequisiteFlags.length);
  for (let i = 0; i < f.prerequisiteFlags.length; i++) {
    svar(f.prerequisiteFlags[i]);
    svar(f.prerequisiteVariations[i]);
  }
  uvar(<u32>f.targets.length);
  for (let i = 0; i < f.targets.length; i++) {
    const t = f.targets[i];
    uvar(<u32>t.kind);
    uvar(<u32>t.variation);
    byteSet(t.keys);
  }
  uvar(<u32>f.rules.length);
  for (let i = 0; i < f.rules.length; i++) {
    clauses(f.rules[i].clauses);
    serve(f.rules[i].serve);
  }
  serve(f.fallthrough);
}

/** The attribute-reference tree in preorder: each node's parent (an earlier node), name and attribute id. */
function refs(root: RefNode): void {
  const nodes: RefNode[] = [root];
  const parents: i32[] = [-1];
  for (let i = 0; i < nodes.length; i++) {
    const ch = nodes[i].children;
    for (let j = 0; j < ch.length; j++) {
      nodes.push(ch[j]);
      parents.push(i);
    }
  }
  uvar(<u32>nodes.length - 1);
  for (let i = 1; i < nodes.length; i++) {
    uvar(<u32>parents[i]);
    buffer(nodes[i].name);
    svar(nodes[i].attr);
  }
}

/** Writes `rs`; returns the address of the bytes (valid until the next call), their length in `writtenLength()`. */
export function writeCompiled(rs: Ruleset): usize {
  len = 0;
  regexList = [];
  for (let i = 0; i < rs.flags.length; i++) {
    const f = rs.flags[i];
    if (f.malformed) continue;
    for (let j = 0; j < f.rules.length; j++) collectRegexes(f.rules[j].clauses);
  }
  for (let i = 0; i < rs.segments.length; i++) {
    const s = rs.segments[i];
    if (s.malformed) continue;
    for (let j = 0; j < s.rules.length; j++) collectRegexes(s.rules[j]);
  }
  store<u32>(room(4), MAGIC);
  byte(FORMAT_VERSION);
  uvar(<u32>rs.kindNames.length);
  for (let i = 0; i < rs.kindNames.length; i++) buffer(rs.kindNames[i]);
  uvar(<u32>rs.attrCount);
  refs(rs.refs);
  uvar(<u32>regexList.length);
  for (let i = 0; i < regexList.length; i++) regex(regexList[i]);
  uvar(<u32>rs.segments.length);
  uvar(<u32>rs.flags.length);
  segmentLevels = new StaticArray<i32>(rs.segments.length);
  segmentLevels.fill(-1);
  for (let i = 0; i < rs.segments.length; i++) segment(rs.segments[i], segmentLevel(rs, i));
  flagLevels = new StaticArray<i32>(rs.flags.length);
  flagLevels.fill(-1);
  for (let i = 0; i < rs.flags.length; i++) flag(rs.flags[i], flagLevel(rs, i));
  regexList = [];
  segmentLevels = [];
  flagLevels = [];
  return out;
}

export function writtenLength(): i32 {
  return <i32>len;
}
