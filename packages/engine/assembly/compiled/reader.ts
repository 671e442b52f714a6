// Reads a compiled datafile (format.ts) into a ruleset, for the evaluator.
// The bytes come from outside: every count is bounded by the bytes left,
// every index (kind, attribute, variation, flag, segment, regex, jump
// target) is checked against what it indexes, versions are parsed again,
// and the prerequisite and segment graphs must be acyclic and no deeper than
// the full engine leaves them (levels, below), so evaluation, which reads without bounds
// checks, never reads outside what was built here and never traps. A file
// that fails any check is refused whole: a compiler writes none such.

import {
  Clause, Clauses, Flag, KindKeys, RefNode, Rollout, Rule, Ruleset, Segment, Serve, Target, addKind,
  ATTR_KIND, OP_BEFORE, OP_AFTER, OP_IN, OP_STARTS_WITH, OP_MATCHES, OP_SEGMENT_MATCH, OP_SEMVER_EQ, OP_SEMVER_GT,
} from "../ruleset/model";
import { ByteSet } from "../ruleset/byte-set";
import { poolCopy, poolFlag, poolList, poolObject, poolPairs, poolRollout, poolRoom } from "../ruleset/byte-pool";
import {
  VALUE_BYTES, setValueNum, setValueObject, setValueSegment, setValueString, setValueType, valueAt, valueLen, valuePtr, valueSegment,
} from "../ruleset/clause-values";
import { MAX_SLOTS } from "../context/record";
import { MAX_CHAIN } from "../ruleset/graph";
import { Regex, OP_ASSERT, OP_CLASS, OP_MATCH, OP_SPLIT } from "../ops/regex/program";
import { computeFirstBytes } from "../ops/regex/prefilter";
import { MAX_PROGRAM } from "../ops/regex/parser";
import { MAX_PATTERN_BYTES } from "../ops/regex";
import { SemVer, parseSemVer } from "../ops/semver";
import { J_BOOL, J_NUM, J_STR } from "../json/value";
import { keyHash } from "../util/hash";
import { errInt, errText } from "../util/error";
import { utf8 } from "../util/text";
import {
  C_NEGATE, C_STRING_SET, FORMAT_VERSION, F_MALFORMED, F_ON, MAGIC, R_EXPERIMENT, T_BOOL, T_NUM, T_STR,
} from "./format";

/** The largest code point: regex characters and class bounds lie in [0, MAX_CODE_POINT]. */
const MAX_CODE_POINT: i32 = 0x10ffff;
/**
 * Class ranges a program may hold: more than any pattern of MAX_PATTERN_BYTES
 * gives (a range per byte, doubled by case folding and negation). With
 * MAX_PROGRAM, it keeps a regex's memory what a JSON load's can be.
 */
const MAX_RANGE_PAIRS: i32 = 4 * MAX_PATTERN_BYTES;
/** A variation index must fit the packed result's 12 bits below NO_VARIATION. */
const MAX_VARIATIONS: u32 = 0xfff;

let pos: usize = 0;
let end: usize = 0;
/** Where the first failed check was, as a byte offset (the message names it). */
let failedAt: i32 = -1;
let start: usize = 0;

let kindCount: i32 = 0;
let attrCount: i32 = 0;
let regexes: StaticArray<Regex> = [];
let segmentCount: i32 = 0;
let flagCount: i32 = 0;

function fail(): void {
  if (failedAt < 0) failedAt = <i32>(pos - start);
  pos = end; // every later read sees no bytes and returns 0
}

function byte(): u8 {
  if (pos >= end) {
    fail();
    return 0;
  }
  return load<u8>(pos++);
}

function uvar(): u32 {
  let v: u32 = 0;
  for (let shift: u32 = 0; shift < 35; shift += 7) {
    const b = byte();
    v |= <u32>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  fail();
  return 0;
}

function svar(): i32 {
  const v = uvar();
  return <i32>(v >>> 1) ^ -<i32>(v & 1);
}

/** A count of things that take at least one byte each: never more than the bytes left. */
function count(): i32 {
  const n = uvar();
  if (<usize>n > end - pos) {
    fail();
    return 0;
  }
  return <i32>n;
}

/** An index in [lo, hi). */
function index(v: i32, lo: i32, hi: i32): i32 {
  if (v < lo || v >= hi) fail();
  return v < lo || v >= hi ? lo : v;
}

function f64le(): f64 {
  if (end - pos < 8) {
    fail();
    return 0;
  }
  const v = load<f64>(pos);
  pos += 8;
  return v;
}

/** The address of `n` bytes in the input (a length was read first); 0 bytes when they are not all there. */
let spanLen: i32 = 0;
function span(): usize {
  const n = count();
  const at = pos;
  pos += <usize>n;
  spanLen = n;
  return at;
}

// the ruleset being read, for pooled()
let into: Ruleset | null = null;

/** Bytes of the input (a length first) copied into the pool of the ruleset being read (ruleset/byte-pool.ts): their address; their length is spanLen. */
function pooled(): usize {
  const at = span();
  return poolCopy(into!, at, spanLen);
}

function buffer(): ArrayBuffer {
  const at = span();
  const b = new ArrayBuffer(spanLen);
  memory.copy(changetype<usize>(b), at, <usize>spanLen);
  return b;
}

function kind(): i32 {
  return index(<i32>uvar(), 0, kindCount);
}

/** An attribute id, or ATTR_KIND (the context's kinds). */
function attr(): i32 {
  const a = svar();
  return a == ATTR_KIND ? a : index(a, 0, attrCount);
}

function byteSet(): ByteSet {
  const n = count();
  // usize is u32 here: an i32 array's allocation, so the first load compiles one StaticArray constructor, not three
  const ranges = changetype<StaticArray<usize>>(new StaticArray<i32>(n << 1));
  for (let i = 0; i < n; i++) {
    ranges[2 * i] = span();
    ranges[2 * i + 1] = <usize>spanLen;
  }
  return ByteSet.ofRanges(into!, ranges);
}

function codePoint(): i32 {
  const c = svar();
  if (c < 0 || c > MAX_CODE_POINT) fail();
  return c;
}

/**
 * A regex program, checked as the VM and the prefilter read it: at most
 * MAX_PROGRAM instructions (the parser's limit) and known ops,
 * jump targets inside the program, a next instruction after each that falls
 * through, classes inside the range table, code points in range.
 */
function regex(): Regex {
  let n = count();
  if (n == 0 || n > MAX_PROGRAM) {
    fail();
    n = 0;
  }
  const code = new Array<i32>(n * 3);
  for (let pc = 0; pc < n; pc++) {
    const op = svar();
    let x = svar();
    const y = svar();
    if (op < OP_MATCH || op > OP_SPLIT) fail();
    if (op == OP_SPLIT) {
      index(x, 0, n);
      index(y, 0, n);
    } else if (op != OP_MATCH && pc + 1 >= n) fail();
    if (op == OP_CLASS ? x < 0 || y < 0 : op < OP_CLASS && (x < 0 || x > MAX_CODE_POINT)) fail();
    code[pc * 3] = op;
    code[pc * 3 + 1] = x;
    code[pc * 3 + 2] = y;
  }
  let pairs = count();
  if (pairs > MAX_RANGE_PAIRS) {
    fail();
    pairs = 0;
  }
  const ranges = new Array<i32>(pairs << 1);
  for (let i = 0; i < pairs << 1; i++) ranges[i] = codePoint();
  for (let pc = 0; pc < n; pc++) {
    if (code[pc * 3] == OP_CLASS && <i64>code[pc * 3 + 1] + 2 * <i64>code[pc * 3 + 2] > <i64>(pairs << 1)) fail();
  }
  if (failedAt >= 0) return new Regex([OP_MATCH, 0, 0], []);
  const re = new Regex(code, ranges);
  computeFirstBytes(re);
  return re;
}

/** A value for operator `op` into the record at `at` (ruleset/clause-values.ts). */
function value(op: u8, at: usize): void {
  const tag = byte();
  if (tag < T_STR || tag > T_BOOL) fail();
  // the operators that read only strings: a record of another type is no value of theirs (the compiler writes none)
  if (tag != T_STR && (op >= OP_STARTS_WITH && op <= OP_MATCHES || op >= OP_SEMVER_EQ && op <= OP_SEMVER_GT)) fail();
  setValueType(at, tag == T_STR ? J_STR : tag == T_NUM ? J_NUM : J_BOOL);
  if (op == OP_SEGMENT_MATCH) setValueSegment(at, index(svar(), -1, segmentCount));
  else if (op == OP_MATCHES) {
    const r = uvar();
    if (r < <u32>regexes.length) setValueObject(at, changetype<usize>(regexes[r]));
    else fail();
  }
  else if (tag == T_STR && op != OP_BEFORE && op != OP_AFTER) {
    const p = pooled();
    setValueString(at, p, spanLen);
    if (op >= OP_SEMVER_EQ && op <= OP_SEMVER_GT) {
      const sv = poolObject<SemVer>(into!); // nothing in it is managed (compile-clause.ts)
      if (!parseSemVer(p, spanLen, sv)) fail();
      setValueObject(at, changetype<usize>(sv));
    }
  } else setValueNum(at, f64le());
}

function clause(): Clause {
  const c = poolObject<Clause>(into!);
  const op = byte();
  if (op > OP_SEGMENT_MATCH) fail();
  c.op = op;
  const bits = byte();
  c.negate = (bits & C_NEGATE) != 0;
  c.kind = kind();
  c.attr = attr();
  const n = count();
  const values = poolRoom(into!, n * VALUE_BYTES);
  let strings = 0;
  for (let i = 0; i < n; i++) {
    value(op, valueAt(values, i));
    if (valueLen(valueAt(values, i)) >= 0) strings++;
  }
  c.values = values;
  c.count = n;
  if ((bits & C_STRING_SET) != 0 && op == OP_IN) {
    const ranges = changetype<StaticArray<usize>>(new StaticArray<i32>(strings << 1)); // as byteSet's
    for (let i = 0, k = 0; i < n; i++) {
      const v = valueAt(values, i);
      if (valueLen(v) < 0) continue;
      ranges[k++] = valuePtr(v);
      ranges[k++] = <usize>valueLen(v);
    }
    c.strings = changetype<usize>(ByteSet.ofRanges(into!, ranges));
  }
  return c;
}

function clauses(): Clauses {
  const n = count();
  const out = poolList<Clause>(into!, n);
  for (let i = 0; i < n; i++) out[i] = clause();
  return out;
}

function kindKeys(): StaticArray<KindKeys> {
  const n = count();
  const out = new StaticArray<KindKeys>(n);
  for (let i = 0; i < n; i++) {
    const k = new KindKeys();
    k.kind = kind();
    k.keys = byteSet();
    out[i] = k;
  }
  return out;
}

function segment(i: i32): Segment {
  const s = new Segment();
  s.malformed = (byte() & F_MALFORMED) != 0;
  segmentLevels[i] = level();
  s.included = kindKeys();
  s.excluded = kindKeys();
  const n = count();
  const rules = new StaticArray<Clauses>(n);
  for (let i = 0; i < n; i++) rules[i] = clauses();
  s.rules = rules;
  return s;
}

function variation(vc: i32): i32 {
  return index(<i32>uvar(), 0, vc);
}

function rollout(vc: i32): Rollout {
  const r = poolRollout(into!);
  r.experiment = (byte() & R_EXPERIMENT) != 0;
  r.kind = kind();
  r.attr = attr();
  r.saltPtr = pooled();
  r.saltLen = spanLen;
  r.trafficSaltPtr = pooled();
  r.trafficSaltLen = spanLen;
  const n = count();
  if (n == 0) fail(); // pick() reads the last variation
  const ranges = poolPairs(into!, max(n, 1));
  for (let i = 0; i < n; i++) {
    store<i32>(ranges + (<usize>i << 3), variation(vc), 4);
    store<i32>(ranges + (<usize>i << 3), <i32>uvar());
  }
  r.ranges = ranges;
  r.rangeCount = max(n, 1);
  r.trafficAllocation = <i32>uvar();
  r.untrackedVariation = index(svar(), -1, vc);
  return r;
}

function serve(vc: i32): Serve {
  const s = poolObject<Serve>(into!);
  const v = svar();
  if (v == -2) {
    s.variation = -1;
    s.rollout = rollout(vc);
  } else s.variation = index(v, 0, vc);
  return s;
}

function flag(i: i32): Flag {
  const f = poolFlag(into!);
  const bits = byte();
  f.malformed = (bits & F_MALFORMED) != 0;
  f.on = (bits & F_ON) != 0;
  if (f.malformed) return f;
  flagLevels[i] = level();
  const vc = <i32>uvar();
  if (<u32>vc > MAX_VARIATIONS) fail();
  f.variationCount = vc;
  f.offVariation = index(svar(), -1, vc);
  const np = count();
  f.prerequisiteFlags = poolList<i32>(into!, np);
  f.prerequisiteVariations = poolList<i32>(into!, np);
  for (let i = 0; i < np; i++) {
    f.prerequisiteFlags[i] = index(svar(), -1, flagCount);
    f.prerequisiteVariations[i] = svar();
  }
  const nt = count();
  f.targets = poolList<Target>(into!, nt);
  for (let i = 0; i < nt; i++) {
    const t = poolObject<Target>(into!);
    t.kind = kind();
    t.variation = variation(vc);
    t.keys = byteSet();
    f.targets[i] = t;
  }
  const nr = count();
  f.rules = poolList<Rule>(into!, nr);
  for (let i = 0; i < nr; i++) {
    const r = poolObject<Rule>(into!);
    r.clauses = clauses();
    r.serve = serve(vc);
    f.rules[i] = r;
  }
  f.fallthrough = serve(vc);
  return f;
}

/** The attribute-reference tree, written in preorder as (parent, name, attribute id). */
function refs(root: RefNode): void {
  const n = count();
  const nodes = new StaticArray<RefNode>(n + 1);
  nodes[0] = root;
  for (let i = 1; i <= n; i++) {
    const parent = nodes[index(<i32>uvar(), 0, i)];
    const node = new RefNode();
    node.name = buffer();
    node.hash = keyHash(changetype<usize>(node.name), node.name.byteLength);
    node.attr = index(svar(), -1, attrCount);
    parent.children.push(node);
    nodes[i] = node;
  }
}

/**
 * Each flag's and segment's level (writer.ts): every prerequisite, every
 * nested segment, is on a lower level, and none is above MAX_CHAIN, so the
 * graphs evaluation recurses along are acyclic and at most MAX_CHAIN deep.
 * A malformed flag is on level 0: evaluation stops at it.
 */
let flagLevels: StaticArray<i32> = [];
let segmentLevels: StaticArray<i32> = [];

function level(): i32 {
  const l = <i32>uvar();
  if (l < 1 || l > MAX_CHAIN) fail();
  return l;
}

function checkLevels(rs: Ruleset): void {
  for (let i = 0; i < rs.segments.length; i++) {
    const rules = rs.segments[i].rules;
    for (let r = 0; r < rules.length; r++) {
      for (let c = 0; c < rules[r].length; c++) {
        const clause = rules[r][c];
        if (clause.op != OP_SEGMENT_MATCH) continue;
        for (let v = 0; v < clause.count; v++) {
          const s = valueSegment(valueAt(clause.values, v));
          if (s >= 0 && segmentLevels[s] >= segmentLevels[i]) fail();
        }
      }
    }
  }
  for (let i = 0; i < rs.flags.length; i++) {
    const prereqs = rs.flags[i].prerequisiteFlags;
    for (let j = 0; j < prereqs.length; j++) {
      if (prereqs[j] >= 0 && flagLevels[prereqs[j]] >= flagLevels[i]) fail();
    }
  }
}

/**
 * Reads `len` bytes of a compiled datafile at `ptr`: its ruleset, or null
 * with the problem in the error buffer when they are not one this evaluator
 * reads.
 */
export function readCompiled(ptr: usize, len: i32): Ruleset | null {
  const rs = new Ruleset();
  start = pos = ptr;
  end = ptr + <usize>len;
  failedAt = -1;
  if (len < 5 || load<u32>(ptr) != MAGIC) {
    errText(utf8("datafile: not a compiled datafile"));
    return null;
  }
  pos += 4;
  if (byte() != FORMAT_VERSION) {
    errText(utf8("datafile: compiled for another format version than "));
    errInt(FORMAT_VERSION);
    return null;
  }
  into = rs;
  // at least one (evaluation's default kind is 0), and with the attributes
  // below no more slots for each context than a JSON load allows (SPEC.md §10)
  kindCount = index(count(), 1, MAX_SLOTS + 1);
  for (let i = 0; i < kindCount; i++) {
    const name = buffer();
    addKind(rs, name, keyHash(changetype<usize>(name), name.byteLength));
  }
  attrCount = index(<i32>uvar(), 1, MAX_SLOTS / kindCount + 1);
  rs.attrCount = attrCount;
  refs(rs.refs);
  const nre = count();
  regexes = new StaticArray<Regex>(nre);
  for (let i = 0; i < nre; i++) regexes[i] = regex();
  // both counts first: clauses name segments, prerequisites name flags
  segmentCount = count();
  flagCount = count();
  segmentLevels = new StaticArray<i32>(segmentCount);
  flagLevels = new StaticArray<i32>(flagCount);
  const segments = new StaticArray<Segment>(segmentCount);
  for (let i = 0; i < segmentCount; i++) segments[i] = segment(i);
  rs.segments = segments;
  const flags = new StaticArray<Flag>(flagCount);
  for (let i = 0; i < flagCount; i++) flags[i] = flag(i);
  rs.flags = flags;
  if (pos != end) fail(); // trailing bytes
  if (failedAt < 0) checkLevels(rs);
  rs.regexes = regexes;
  regexes = [];
  into = null;
  segmentLevels = [];
  flagLevels = [];
  if (failedAt < 0) return rs;
  errText(utf8("datafile: invalid compiled datafile at byte "));
  errInt(failedAt);
  return null;
}
