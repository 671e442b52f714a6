// Test-only exports for src/regex.test.ts: strings cross as UTF-8 bytes.
import {
  Regex, compileRegex, countRegexExhaustion, regexBudgetExhaustions, regexBudgetSpent, regexBudgetStart,
  regexMatch, writeRegexError,
} from "../ops/regex";
import { errReset, errorLen, errorPtr } from "../util/error";

const handles = new Array<Regex>();
let scratch: ArrayBuffer = new ArrayBuffer(0);

/** A buffer of at least `len` bytes for the host to write into (reused when big enough). */
export function test_regex_scratch(len: i32): usize {
  if (scratch.byteLength < len) scratch = new ArrayBuffer(len);
  return changetype<usize>(scratch);
}

/** Compiles the UTF-8 pattern at ptr/len: a handle >= 0, or -1 (see test_regex_error_*). */
export function test_regex_compile(ptr: usize, len: i32): i32 {
  const re = compileRegex(ptr, len);
  if (re === null) {
    errReset();
    writeRegexError();
    return -1;
  }
  handles.push(re);
  return handles.length - 1;
}

export function test_regex_error_len(): i32 {
  return errorLen();
}

export function test_regex_error_ptr(): usize {
  return errorPtr();
}

/** One match with a fresh step budget, as one clause gets: 1, 0, or -1 when the budget ran out. */
export function test_regex_match(handle: i32, ptr: usize, len: i32): i32 {
  regexBudgetStart();
  if (regexMatch(handles[handle], ptr, len)) return 1;
  if (!regexBudgetSpent()) return 0;
  countRegexExhaustion(); // as a clause does
  return -1;
}

/** Runs the match `times` times (for the allocation check without host overhead). */
export function test_regex_match_repeat(handle: i32, ptr: usize, len: i32, times: i32): i32 {
  const re = handles[handle];
  let hits: i32 = 0;
  for (let i = 0; i < times; i++) {
    regexBudgetStart();
    if (regexMatch(re, ptr, len)) hits++;
  }
  return hits;
}

/** Instructions in the compiled program (for size-limit tests). */
export function test_regex_program_size(handle: i32): i32 {
  return handles[handle].n;
}

/** Searches that ran out of steps so far (the engine's diagnostics counter). */
export function test_regex_budget_exhaustions(): i32 {
  return <i32>regexBudgetExhaustions();
}
