// The packed result of one evaluation (ABI.md, "Results"):
//   bits 0-11  variation index (NO_VARIATION = none: serve the caller's default)
//   bits 12-14 reason
//   bit  15    in experiment
//   bits 16-31 detail: rule index, prerequisite index or error kind

export const NO_VARIATION: i32 = 0xfff;

export const R_OFF: i32 = 0;
export const R_TARGET_MATCH: i32 = 1;
export const R_RULE_MATCH: i32 = 2;
export const R_PREREQUISITE_FAILED: i32 = 3;
export const R_FALLTHROUGH: i32 = 4;
export const R_ERROR: i32 = 5;

export const E_FLAG_NOT_FOUND: i32 = 1;
export const E_MALFORMED_FLAG: i32 = 2;
export const E_CONTEXT_INVALID: i32 = 3;
export const E_NO_DATAFILE: i32 = 4;
// 5 is ENGINE_FAULT, which hosts report for a trap they recovered from
/** The evaluation ran out of its work budget (eval/budget.ts, SPEC.md §10). */
export const E_EVALUATION_BUDGET: i32 = 6;

// @ts-ignore: decorator
@inline
export function pack(variation: i32, reason: i32, inExperiment: bool, detail: i32): i32 {
  return (variation & 0xfff) | (reason << 12) | ((inExperiment ? 1 : 0) << 15) | (detail << 16);
}

// @ts-ignore: decorator
@inline
export function variationOf(result: i32): i32 {
  return result & 0xfff;
}

// @ts-ignore: decorator
@inline
export function errorResult(kind: i32): i32 {
  return pack(NO_VARIATION, R_ERROR, false, kind);
}
