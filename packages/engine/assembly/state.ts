// What the engine keeps between calls: the input buffer and the loaded
// ruleset. Apart from abi.ts so that an entry without the JSON datafile load
// (evaluator.ts, which reads a compiled datafile instead) shares them.

import { Ruleset } from "./ruleset/model";

/** The datafile size limit: 64 MiB of UTF-8. */
const MAX_INPUT: i32 = 64 << 20;

export let input: usize = 0;
let inputCap: i32 = 0;
/** Bytes the host asked for in its last avsb_input: a later call may not read beyond them. */
export let inputLen: i32 = 0;

export let ruleset: Ruleset | null = null;
let generation: u32 = 0;
/** avsb_eval_all's packed results: room for `resultsCap` flags. */
export let results: usize = 0;
let resultsCap: i32 = 0;

/**
 * The input buffer's first size: the room a host's context encoder asks for
 * (ContextEncoder, 64 KiB), so that a load of a small datafile followed by
 * the first binary context allocates once, and a cold start neither frees
 * nor copies (nor compiles the allocator's free path) before its first evaluation.
 */
const FIRST_INPUT: i32 = 1 << 16;

/** A buffer of at least `len` bytes for the next load or context; 0 if too large. */
export function inputBuffer(len: i32): usize {
  inputLen = 0;
  if (len < 0 || len > MAX_INPUT) return 0;
  if (len > inputCap) {
    let cap = inputCap == 0 ? FIRST_INPUT : inputCap;
    while (cap < len) cap <<= 1;
    if (input != 0) heap.free(input);
    input = heap.alloc(<usize>cap);
    inputCap = cap;
  }
  inputLen = len;
  return input;
}

/** Makes `rs` the ruleset evaluations read, with a new generation and room for its memo and results. */
export function installRuleset(rs: Ruleset): void {
  rs.generation = ++generation;
  const n = rs.flags.length;
  rs.memo = new StaticArray<i32>(n);
  // an i32 array's layout and allocation, as the memo's: one constructor compiled at the first load, not two
  rs.memoStamp = changetype<StaticArray<u32>>(new StaticArray<i32>(n));
  if (n > resultsCap) {
    if (results != 0) heap.free(results);
    results = heap.alloc(<usize>n * 4);
    resultsCap = n;
  }
  ruleset = rs;
}
