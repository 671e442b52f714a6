// The bytes a ruleset keeps (clause values' strings and records, versions,
// clauses, rules, serves, rollouts and their salts and bucket ranges) in chunks that the ruleset
// owns, rather than a managed object each: ≈ 9,000 objects fewer per load of
// a 1,000-flag datafile, where making, marking and freeing managed objects
// was a fifth of the load. The chunks live exactly as long as the ruleset
// (Ruleset.pool holds them), and so do the pointers into them, which only
// the ruleset's own objects hold. Nothing in the pool points to a managed
// object that the ruleset does not also hold (Ruleset.regexes):
// the collector never looks inside a chunk.

import { Flag, NO_LIST, NO_SERVE, PoolList, Rollout, Rule, Ruleset, Target } from "./model";

/** A chunk's size; a longer string gets a chunk of its own size. */
const CHUNK: i32 = 16 << 10;

/** Room for `len` bytes that live as long as `rs`: their address (never written by the pool again). */
export function poolRoom(rs: Ruleset, len: i32): usize {
  let p = rs.poolNext;
  if (p + <usize>len > rs.poolEnd) {
    const chunk = new ArrayBuffer(max(CHUNK, len));
    rs.pool.push(chunk);
    p = changetype<usize>(chunk);
    rs.poolEnd = p + <usize>chunk.byteLength;
  }
  rs.poolNext = p + <usize>len;
  return p;
}

/** Room for `n` i32 pairs (zeroed): their address, wherever the last string ended (WebAssembly's loads need no alignment; aligning cost 13 bytes gzipped). */
export function poolPairs(rs: Ruleset, n: i32): usize {
  return poolRoom(rs, n << 3);
}

/** A zeroed `T` in `rs`'s pool, for an @unmanaged class whose zero bytes are its defaults (its initializers do not run). */
export function poolObject<T>(rs: Ruleset): T {
  return changetype<T>(poolRoom(rs, offsetof<T>()));
}

/** A run of `n` pointers (clauses, rules) in `rs`'s pool, each yet to be set. */
export function poolList<T>(rs: Ruleset, n: i32): PoolList<T> {
  const list = changetype<PoolList<T>>(poolRoom(rs, 4 + (n << alignof<usize>())));
  list.length = n;
  return list;
}

/** A flag in `rs`'s pool with its defaults: no off variation, no prerequisites, targets or rules, no fallthrough. */
export function poolFlag(rs: Ruleset): Flag {
  const f = poolObject<Flag>(rs);
  f.offVariation = -1;
  f.prerequisiteFlags = changetype<PoolList<i32>>(NO_LIST);
  f.prerequisiteVariations = changetype<PoolList<i32>>(NO_LIST);
  f.targets = changetype<PoolList<Target>>(NO_LIST);
  f.rules = changetype<PoolList<Rule>>(NO_LIST);
  f.fallthrough = NO_SERVE;
  return f;
}

/** A rollout in `rs`'s pool with its defaults: every traffic bucketed, no untracked variation. */
export function poolRollout(rs: Ruleset): Rollout {
  const r = poolObject<Rollout>(rs);
  r.trafficAllocation = 100000;
  r.untrackedVariation = -1;
  return r;
}

/** `len` bytes at `src` copied into `rs`'s pool: their address there. */
export function poolCopy(rs: Ruleset, src: usize, len: i32): usize {
  const p = poolRoom(rs, len);
  memory.copy(p, src, <usize>len);
  return p;
}
