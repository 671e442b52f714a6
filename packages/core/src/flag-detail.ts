import type { EngineErrorKind, EvaluationReason } from '@avsb/engine';

/**
 * Why a read returned its value. The engine's reasons (SPEC.md §9) plus
 * three the SDK adds: `WRONG_TYPE` (the variation's value is not of the type
 * asked for; the default is returned), `CLIENT_NOT_READY` (no datafile yet)
 * and `CLIENT_CLOSED` (the scoped client, or the client that made it, was
 * closed: the default is returned and nothing is recorded).
 */
export type FlagErrorKind = EngineErrorKind | 'WRONG_TYPE' | 'CLIENT_NOT_READY' | 'CLIENT_CLOSED';

export type FlagReason =
  | Exclude<EvaluationReason, { readonly kind: 'ERROR' }>
  | { readonly kind: 'ERROR'; readonly errorKind: FlagErrorKind };

export type FlagReasonKind = FlagReason['kind'];

/** What the `…Details` reads return. */
export interface FlagDetail<T> {
  /** The value served, or the caller's default when no variation was served. */
  readonly value: T;
  /** The index of the variation served, or `null` when the default was returned. */
  readonly variationIndex: number | null;
  readonly reason: FlagReason;
  /** Whether this read counts for an experiment. */
  readonly inExperiment: boolean;
  /**
   * What went wrong, for people (as OpenFeature's `errorMessage`); present
   * with `ERROR`/`FLAG_NOT_FOUND`, where it names the nearest existing flag
   * key: `flag "chekout-v2" is not in the datafile (revision 3, 12 flags);
   * did you mean "checkout-v2"?`. Do not parse it; `reason` is the contract.
   */
  readonly errorMessage?: string;
}

/** A JSON value, as flag variations are (defined in @avsb/common). */
export type { JsonValue } from '@avsb/common';

function errorReason(errorKind: FlagErrorKind): FlagReason {
  return Object.freeze({ kind: 'ERROR', errorKind } as const);
}

// pure: a bundle keeps only the reasons its code reads (a page's reads never name FLAG_NOT_FOUND, the engine's own is served)
export const WRONG_TYPE = /* @__PURE__ */ errorReason('WRONG_TYPE');
export const CLIENT_NOT_READY = /* @__PURE__ */ errorReason('CLIENT_NOT_READY');
export const CLIENT_CLOSED = /* @__PURE__ */ errorReason('CLIENT_CLOSED');
export const CONTEXT_INVALID = /* @__PURE__ */ errorReason('CONTEXT_INVALID');
export const FLAG_NOT_FOUND = /* @__PURE__ */ errorReason('FLAG_NOT_FOUND');
export const ENGINE_FAULT = /* @__PURE__ */ errorReason('ENGINE_FAULT');
