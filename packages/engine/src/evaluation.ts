/** Why an evaluation produced its value. Reason names are defined in SPEC.md §9. */
export type EvaluationReason =
  | { readonly kind: 'OFF' }
  | { readonly kind: 'TARGET_MATCH' }
  | { readonly kind: 'RULE_MATCH'; readonly ruleIndex: number; readonly ruleId: string | null }
  | { readonly kind: 'PREREQUISITE_FAILED'; readonly prerequisiteIndex: number; readonly prerequisiteKey: string }
  | { readonly kind: 'FALLTHROUGH' }
  | { readonly kind: 'ERROR'; readonly errorKind: EngineErrorKind };

export type EvaluationReasonKind = EvaluationReason['kind'];

/**
 * Errors the engine reports. `ENGINE_FAULT` means the engine trapped; the
 * host rebuilt it from the last good datafile. `EVALUATION_BUDGET` means the
 * evaluation needed more work than one evaluation may do (SPEC.md §10).
 */
export type EngineErrorKind =
  | 'FLAG_NOT_FOUND'
  | 'MALFORMED_FLAG'
  | 'CONTEXT_INVALID'
  | 'NO_DATAFILE'
  | 'ENGINE_FAULT'
  | 'EVALUATION_BUDGET';

/** The result of evaluating one flag for one context. */
export interface EvaluationDetail<T = unknown> {
  /** The variation's value, or `null` when none is served (then callers use their default). */
  readonly value: T | null;
  /** Index into the flag's `variations`, or `null` when none is served. */
  readonly variationIndex: number | null;
  readonly reason: EvaluationReason;
  /** Whether this evaluation counts for an experiment. */
  readonly inExperiment: boolean;
}

// A packed result (ABI.md, "Results") is an i32: bits 0–11 the variation index
// (0xfff: none), 12–14 the reason code, 15 the experiment bit, 16–31 the rule
// index, prerequisite index or error code. These helpers are the only code
// outside the engine that reads those bits: hosts (core, the SDKs) call them
// rather than shifting and masking themselves. They are tiny so that V8
// inlines them on the read path.

/** The variation bits of a packed result that mean "no variation served". */
export const NO_VARIATION = 0xfff;

/** The variation index of a packed result, or -1 when none is served. */
export function packedVariation(packed: number): number {
  const v = packed & NO_VARIATION;
  return v === NO_VARIATION ? -1 : v;
}

/** The reason code (0 OFF … 5 ERROR) of a packed result. */
export function packedReason(packed: number): number {
  return (packed >>> 12) & 7;
}

/** Reason names by reason code (SPEC.md §9). */
const REASON_KINDS: readonly EvaluationReasonKind[] = ['OFF', 'TARGET_MATCH', 'RULE_MATCH', 'PREREQUISITE_FAILED', 'FALLTHROUGH', 'ERROR'];

/**
 * The reason's name (`'OFF'` … `'ERROR'`) of a packed result, without
 * building a reason object: what an exposure record needs on the read path.
 */
export function packedReasonKind(packed: number): EvaluationReasonKind {
  return REASON_KINDS[(packed >>> 12) & 7] ?? 'ERROR';
}

/** Whether a packed result counts for an experiment. */
export function packedInExperiment(packed: number): boolean {
  return ((packed >>> 15) & 1) === 1;
}

/** Rule index, prerequisite index or error code of a packed result. */
export function packedDetail(packed: number): number {
  return packed >>> 16;
}

export const ERROR_KINDS: readonly EngineErrorKind[] = [
  'ENGINE_FAULT',
  'FLAG_NOT_FOUND',
  'MALFORMED_FLAG',
  'CONTEXT_INVALID',
  'NO_DATAFILE',
  'ENGINE_FAULT',
  'EVALUATION_BUDGET',
];

/** Packed result the host reports after recovering from a trap. */
export const ENGINE_FAULT_RESULT = NO_VARIATION | (5 << 12) | (5 << 16);

/** ERROR / FLAG_NOT_FOUND: what the host answers for a key the datafile lacks, without asking the engine. */
export const FLAG_NOT_FOUND_RESULT = NO_VARIATION | (5 << 12) | (1 << 16);
