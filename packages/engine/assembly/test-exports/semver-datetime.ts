// Test-only exports for ops/semver.ts and ops/datetime.ts, over plain
// integers. Not part of the engine ABI. Compile from packages/engine with:
//   npx asc assembly/test-exports/semver-datetime.ts --target test -o build/semver-datetime.test.wasm

import { SemVer, parseSemVer, compareSemVer } from "../ops/semver";
import { parseTimestamp } from "../ops/datetime";

let scratchPtr: usize = 0;
let scratchCap: i32 = 0;

// Allocated once; parsing reuses them.
const semA = new SemVer();
const semB = new SemVer();

/** A buffer of at least `len` bytes where the host writes UTF-8 input. Grows as needed; the address may change. */
export function test_sd_scratch(len: i32): usize {
  if (len > scratchCap) {
    let cap = scratchCap > 0 ? scratchCap : 64;
    while (cap < len) cap <<= 1;
    scratchPtr = scratchPtr == 0 ? heap.alloc(<usize>cap) : heap.realloc(scratchPtr, <usize>cap);
    scratchCap = cap;
  }
  return scratchPtr;
}

/** 1 if valid SemVer, else 0. */
export function test_semver_valid(ptr: usize, len: i32): i32 {
  return parseSemVer(ptr, len, semA) ? 1 : 0;
}

/** -1/0/1 for a vs b; 2 when a is invalid, 3 when b is invalid. */
export function test_semver_compare(aPtr: usize, aLen: i32, bPtr: usize, bLen: i32): i32 {
  if (!parseSemVer(aPtr, aLen, semA)) return 2;
  if (!parseSemVer(bPtr, bLen, semB)) return 3;
  return compareSemVer(semA, semB);
}

/** Parsed components of the last successful test_semver_valid / first operand. */
export function test_semver_major(): f64 { return semA.major; }
export function test_semver_minor(): f64 { return semA.minor; }
export function test_semver_patch(): f64 { return semA.patch; }
export function test_semver_pre_ptr(): usize { return semA.prePtr; }
export function test_semver_pre_len(): i32 { return semA.preLen; }

/** Epoch milliseconds, or NaN. */
export function test_parse_timestamp(ptr: usize, len: i32): f64 {
  return parseTimestamp(ptr, len);
}
