// The work budget of one evaluation (SPEC.md §10, "Cost of one evaluation").
// Every `avsb_eval` (and every flag of `avsb_eval_all`) starts with
// EVAL_BUDGET work units; the flag, its prerequisites, the segments its rules
// name and every operator charge what they do before (or, for the regex VM,
// as) they do it. An evaluation that runs out stops where it is and answers
// ERROR / EVALUATION_BUDGET, whatever it had found so far, so the answer only
// depends on the datafile and the context: every host agrees.
//
// A unit is about one byte scanned; the weights below make one unit cost
// roughly the same time whatever charged it (measured in tools/bench,
// src/worst-case.ts). HOT PATH: two module globals, no allocation.

/**
 * Work units one evaluation may spend: about 4 ms on the bench machine in
 * the most expensive case (SPEC.md §10 states the measurements). Normal
 * flags spend a few hundred.
 */
export const EVAL_BUDGET: i64 = 4 << 20;

/** A flag visited (the flag itself or a prerequisite). */
export const FLAG_UNITS: i64 = 128;
/**
 * A rule, a clause, a segment or a target list visited. In a datafile of
 * millions of them each is a few cache misses (rule → clauses → clause →
 * values), measured at up to 150 ns on the loaded bench machine: far more
 * than a byte compared.
 */
export const ITEM_UNITS: i64 = 64;
/** A clause value compared, or an item of an array attribute. */
export const VALUE_UNITS: i64 = 32;
/** One byte of an attribute parsed as a semantic version or a timestamp. */
export const PARSE_UNITS: i64 = 4;
/** One regex VM step (ops/regex/vm.ts): an instruction at one position. */
export const STEP_UNITS: i64 = 8;

let left: i64 = EVAL_BUDGET;
let exhausted: u32 = 0;

/**
 * A fresh budget for the next evaluation, with the visit of the evaluated
 * flag (FLAG_UNITS, which a fresh budget always has) already charged:
 * evaluateFlag charges only prerequisites.
 */
// @ts-ignore: decorator
@inline
export function budgetStart(): void {
  left = EVAL_BUDGET - FLAG_UNITS;
}

/** Charges `units`; false when the evaluation has run out (now or before). */
// @ts-ignore: decorator
@inline
export function spend(units: i64): bool {
  const l = left - units;
  left = l;
  return l >= 0;
}

/**
 * The budget as it stands, for a loop that keeps it in a local (wasm globals
 * are loads and stores) and writes it back with budgetSet before anything
 * else charges or reads it. Below 0: out.
 */
// @ts-ignore: decorator
@inline
export function budgetGet(): i64 {
  return left;
}

/** Writes back a budget taken with budgetGet. */
// @ts-ignore: decorator
@inline
export function budgetSet(l: i64): void {
  left = l;
}

/** Whether the evaluation has run out. */
// @ts-ignore: decorator
@inline
export function budgetOut(): bool {
  return left < 0;
}

/** Units still available (0 once out). */
export function budgetLeft(): i64 {
  return left < 0 ? 0 : left;
}

/** Ends the evaluation as out of budget, whatever is left. */
export function budgetEnd(): void {
  left = -1;
}

/** Counts one evaluation that ran out (wraps at 2^32). */
export function countExhausted(): void {
  exhausted++;
}

/** Evaluations that ran out of budget since the module started (wraps at 2^32). */
export function budgetExhaustions(): u32 {
  return exhausted;
}
