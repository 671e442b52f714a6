// The compiled ruleset: what a datafile becomes after validation. Operators
// are integer opcodes and strings are UTF-8 buffers, so evaluation compares
// bytes and numbers and never allocates.

import { ByteSet } from "./byte-set";
import { EMPTY_OBJECT } from "../util/static-object";
import { Regex } from "../ops/regex";

export const OP_IN: u8 = 1;
export const OP_STARTS_WITH: u8 = 2;
export const OP_ENDS_WITH: u8 = 3;
export const OP_CONTAINS: u8 = 4;
export const OP_MATCHES: u8 = 5;
export const OP_LT: u8 = 6;
export const OP_LTE: u8 = 7;
export const OP_GT: u8 = 8;
export const OP_GTE: u8 = 9;
export const OP_BEFORE: u8 = 10;
export const OP_AFTER: u8 = 11;
export const OP_SEMVER_EQ: u8 = 12;
export const OP_SEMVER_LT: u8 = 13;
export const OP_SEMVER_GT: u8 = 14;
export const OP_SEGMENT_MATCH: u8 = 15;
/** A clause with a problem (an invalid value, an unknown operator…): it never matches, negated or not. */
export const OP_NEVER: u8 = 0;

/** Attribute id of the context key; ids are per ruleset. */
export const ATTR_KEY: i32 = 0;
/** Pseudo attribute: the kind names of the context. */
export const ATTR_KIND: i32 = -2;
/** Kind index of "user", the default kind. */
export const KIND_USER: i32 = 0;

// Defaults of the fields below that loads replace: one shared instance each,
// not a new one per object (garbage in every flag, target and clause). A
// `[]` field initializer allocates an array per object; these are never
// written to (they are empty), so every object may share them. All but the
// empty key set are static data (util/static-object.ts): a global built with
// `new` is built by the start function that every instance runs (cold start).
const NO_BYTES = changetype<ArrayBuffer>(EMPTY_OBJECT);
/** An empty PoolList (a count of zero) of anything: no rules, targets or prerequisites; shared and never written. */
export const NO_LIST: usize = memory.data<i32>([0]);
/** No kind keys (a segment that includes or excludes no one), shared. */
export const NO_KIND_KEYS = changetype<StaticArray<KindKeys>>(EMPTY_OBJECT);
const NO_CLAUSE_LISTS = changetype<StaticArray<Clauses>>(EMPTY_OBJECT);
/** The empty key set (byte-set.ts's layout: mask 7, no strings, then eight empty slots), shared. */
const NO_KEYS = changetype<ByteSet>(memory.data<i32>([7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));

/**
 * A clause lives in the ruleset's pool (byte-pool.ts, poolObject), not on the
 * managed heap: 2,000 of a 1,000-flag datafile's objects fewer to allocate,
 * mark and free per load. Its zero bytes are its defaults (kind "user", no
 * values, OP_NEVER), which is what fresh pool room holds.
 */
// @ts-ignore: decorator
@unmanaged
export class Clause {
  kind: i32 = KIND_USER;
  attr: i32 = 0;
  op: u8 = 0;
  negate: bool = false;
  /** `count` value records in the ruleset's pool (clause-values.ts). */
  values: usize = 0;
  count: i32 = 0;
  /** For `in` with string values: all of them, hashed; a ByteSet in the ruleset's pool, or 0. */
  strings: usize = 0;
}

/**
 * A run in the ruleset's pool (byte-pool.ts, poolList): a count, then the
 * address of each item. A rule's clauses and a flag's rules are such runs
 * instead of a managed array each: ≈ 1,700 and ≈ 600 of a 1,000-flag
 * datafile's objects fewer to allocate, mark and free per load.
 */
// @ts-ignore: decorator
@unmanaged
export class PoolList<T> {
  length: i32 = 0;

  // inlined: the evaluator reads a rule's clauses and a flag's rules on every evaluation
  // @ts-ignore: decorator
  @inline @operator("[]")
  private at(i: i32): T {
    return changetype<T>(load<usize>(changetype<usize>(this) + 4 + (<usize>i << alignof<usize>())));
  }

  // @ts-ignore: decorator
  @inline @operator("[]=")
  private set(i: i32, c: T): void {
    store<usize>(changetype<usize>(this) + 4 + (<usize>i << alignof<usize>()), changetype<usize>(c));
  }
}

export type Clauses = PoolList<Clause>;
export type Rules = PoolList<Rule>;

/**
 * A rule, a serve and a rollout live in the ruleset's pool, as clauses do
 * (poolObject): ≈ 1,250 of a 1,000-flag datafile's managed objects fewer
 * per load. Nothing on the managed heap points into them but the ruleset's
 * own objects, and they point to nothing managed. Zero bytes are a field's
 * default but for a rollout's `trafficAllocation` and `untrackedVariation`
 * (byte-pool.ts, poolRollout) and a serve's `variation`, which its maker sets.
 */
// @ts-ignore: decorator
@unmanaged
export class Rollout {
  experiment: bool;
  kind: i32;
  attr: i32;
  /** The salt's UTF-8 bytes and the traffic allocation's, in the ruleset's pool (byte-pool.ts). */
  saltPtr: usize;
  saltLen: i32;
  trafficSaltPtr: usize;
  trafficSaltLen: i32;
  /** `rangeCount` pairs of i32 in the ruleset's pool: a variation's exclusive upper bucket bound, then the variation. */
  ranges: usize;
  rangeCount: i32;
  trafficAllocation: i32;
  untrackedVariation: i32;
}

// @ts-ignore: decorator
@unmanaged
export class Serve {
  /** -1: none (a malformed flag's). */
  variation: i32;
  rollout: Rollout | null;
}

/** A flag's serve before a load sets it (variation -1, no rollout), in static data, shared. */
export const NO_SERVE = changetype<Serve>(memory.data<i32>([-1, 0]));

// @ts-ignore: decorator
@unmanaged
export class Rule {
  clauses: Clauses;
  serve: Serve;
}

/**
 * A target and a flag live in the ruleset's pool too (byte-pool.ts,
 * poolFlag): ≈ 1,200 of a 1,000-flag datafile's managed objects fewer per
 * load. A target's key set is in the pool too (byte-set.ts), as a clause's.
 */
// @ts-ignore: decorator
@unmanaged
export class Target {
  kind: i32;
  keys: ByteSet;
  variation: i32;
}

/** Zero bytes are its defaults but for `offVariation` and the lists (byte-pool.ts, poolFlag). */
// @ts-ignore: decorator
@unmanaged
export class Flag {
  /** A structural problem at load (ABI.md, "Warnings"): evaluates to ERROR/MALFORMED_FLAG. */
  malformed: bool;
  on: bool;
  /** -1: none. */
  offVariation: i32;
  variationCount: i32;
  /** Flag index of each prerequisite, -1 when unknown. */
  prerequisiteFlags: PoolList<i32>;
  prerequisiteVariations: PoolList<i32>;
  targets: PoolList<Target>;
  rules: Rules;
  fallthrough: Serve;
}

export class KindKeys {
  kind: i32 = KIND_USER;
  keys: ByteSet = NO_KEYS;
}

export class Segment {
  /** A structural problem at load: every clause that names this segment never matches. */
  malformed: bool = false;
  included: StaticArray<KindKeys> = NO_KIND_KEYS;
  excluded: StaticArray<KindKeys> = NO_KIND_KEYS;
  rules: StaticArray<Clauses> = NO_CLAUSE_LISTS;
}

/** A node of the attribute-reference tree the context parser walks. */
export class RefNode {
  name: ArrayBuffer = NO_BYTES;
  hash: u32 = 0;
  attr: i32 = -1;
  children: RefNode[] = [];
  /** `children` by name hash, made by the first registration that reads them (context/parse.ts). */
  table: StaticArray<RefNode | null> = changetype<StaticArray<RefNode | null>>(EMPTY_OBJECT);
}

export class Ruleset {
  generation: u32 = 0;
  flags: StaticArray<Flag> = [];
  segments: StaticArray<Segment> = [];
  /** UTF-8 name of each kind index; index 0 is "user". */
  kindNames: ArrayBuffer[] = [];
  /** The kinds as the children of a node, each numbered by `attr`, so that a context's kinds are found as its attributes are (context/parse.ts). */
  kinds: RefNode = new RefNode();
  attrCount: i32 = 1;
  refs: RefNode = new RefNode();
  /**
   * Each flag's result within the current evaluation, valid where its stamp
   * is the evaluation's (eval/evaluate.ts): a prerequisite named many times
   * is evaluated once. Allocated at load, so evaluation allocates nothing.
   */
  memo: StaticArray<i32> = [];
  memoStamp: StaticArray<u32> = [];
  /** The chunks of byte-pool.ts, and where the last one's room starts and ends. */
  pool: ArrayBuffer[] = [];
  poolNext: usize = 0;
  poolEnd: usize = 0;
  /** The regex programs its clause values point to (clause-values.ts), each once. */
  regexes: StaticArray<Regex> = changetype<StaticArray<Regex>>(EMPTY_OBJECT);
}

/** Adds the kind named `name` (its hash `hash`), numbered next. */
export function addKind(rs: Ruleset, name: ArrayBuffer, hash: u32): void {
  const k = new RefNode();
  k.name = name;
  k.hash = hash;
  k.attr = rs.kindNames.length;
  rs.kinds.children.push(k);
  rs.kindNames.push(name);
}
