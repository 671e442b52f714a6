// The bytes a ruleset keeps (clause values' strings, rollouts' salts and
// bucket ranges) in chunks that the ruleset owns, rather than a managed
// object each: they were ≈ 3,500 of a 1,000-flag datafile's ≈ 11,000, and
// making, marking and freeing managed objects was a fifth of its load. The
// chunks live exactly as long as the ruleset (Ruleset.pool holds them), and
// so do the pointers into them, which only the ruleset's own objects hold.

import { Ruleset } from "./model";

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

/** `len` bytes at `src` copied into `rs`'s pool: their address there. */
export function poolCopy(rs: Ruleset, src: usize, len: i32): usize {
  const p = poolRoom(rs, len);
  memory.copy(p, src, <usize>len);
  return p;
}
