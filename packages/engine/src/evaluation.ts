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
 * host rebuilt it from the last good datafile.
 */
export type EngineErrorKind =
  | 'FLAG_NOT_FOUND'
  | 'MALFORMED_FLAG'
  | 'CONTEXT_INVALID'
  | 'NO_DATAFILE'
  | 'ENGINE_FAULT';

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

/** Bit layout of a packed result (ABI.md, "Results"). */
export const NO_VARIATION = 0xfff;

/** The variation index of a packed result, or -1 when none is served. */
export function packedVariation(packed: number): number {
  const v = packed & 0xfff;
  return v === NO_VARIATION ? -1 : v;
}

/** The reason code (0 OFF … 5 ERROR) of a packed result. */
export function packedReason(packed: number): number {
  return (packed >>> 12) & 7;
}

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
];

/** Packed result the host reports after recovering from a trap. */
export const ENGINE_FAULT_RESULT = NO_VARIATION | (5 << 12) | (5 << 16);
