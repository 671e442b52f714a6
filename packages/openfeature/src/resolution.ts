import type { FlagDetail, FlagErrorKind, FlagReason } from '@avsb/core';
import type { ErrorCode, FlagMetadata, ResolutionDetails } from '@openfeature/core';

/**
 * A read's details as both SDKs give them: `FlagDetail` of `@avsb/core`, or the
 * browser client's, whose reasons add `BOOTSTRAP` (a value a server computed,
 * served until the datafile is loaded). Shared by the server and web providers.
 */
export interface AnyFlagDetail<T> extends Omit<FlagDetail<T>, 'reason'> {
  readonly reason: FlagReason | { readonly kind: 'BOOTSTRAP' };
}

/**
 * A vs B's error kinds (engine SPEC.md §9, plus the SDK's) as OpenFeature
 * error codes. The A vs B kind itself is in the flag metadata (`errorKind`).
 */
const ERROR_CODES: Readonly<Record<FlagErrorKind, `${ErrorCode}`>> = {
  FLAG_NOT_FOUND: 'FLAG_NOT_FOUND',
  WRONG_TYPE: 'TYPE_MISMATCH',
  CLIENT_NOT_READY: 'PROVIDER_NOT_READY',
  NO_DATAFILE: 'PROVIDER_NOT_READY',
  CONTEXT_INVALID: 'INVALID_CONTEXT',
  MALFORMED_FLAG: 'PARSE_ERROR',
  // the server was closed: it never serves again
  CLIENT_CLOSED: 'PROVIDER_FATAL',
  ENGINE_FAULT: 'GENERAL',
  EVALUATION_BUDGET: 'GENERAL',
};

/** What people read when A vs B gave no message of its own (`FLAG_NOT_FOUND` has one naming the nearest key). */
const ERROR_MESSAGES: Readonly<Record<FlagErrorKind, string>> = {
  FLAG_NOT_FOUND: 'the flag is not in the datafile',
  WRONG_TYPE: 'the variation served is not of the type read',
  CLIENT_NOT_READY: 'no datafile yet: the A vs B server is not ready',
  NO_DATAFILE: 'no datafile yet: the A vs B server is not ready',
  CONTEXT_INVALID: 'the context is not a valid A vs B context',
  MALFORMED_FLAG: 'the flag is malformed in the datafile (see the datafile warnings in the A vs B log)',
  CLIENT_CLOSED: 'the A vs B server is closed',
  ENGINE_FAULT: 'the rules engine failed and was rebuilt; the default was served',
  EVALUATION_BUDGET: 'the evaluation needed more work than one evaluation may do (engine SPEC.md §10)',
};

/**
 * One A vs B read as OpenFeature's resolution details:
 *
 * | A vs B reason | OpenFeature reason |
 * |---|---|
 * | `OFF`, `PREREQUISITE_FAILED` | `DISABLED` |
 * | `TARGET_MATCH`, `RULE_MATCH` | `TARGETING_MATCH` (`SPLIT` when in an experiment) |
 * | `FALLTHROUGH` | `DEFAULT` (`SPLIT` when in an experiment) |
 * | `BOOTSTRAP` (browser: a server-computed value before the datafile) | `CACHED` |
 * | `ERROR` | `ERROR`, with the error code of `ERROR_CODES` |
 *
 * The variant is the index of the variation served, as text (datafile
 * variations are bare values without names); none when the default was
 * returned. The flag metadata carries A vs B's own reason and its details.
 */
export function toResolution<T>(detail: AnyFlagDetail<T>, revision: number | null): ResolutionDetails<T> {
  const reason = detail.reason;
  const flagMetadata = metadataOf(reason, detail.inExperiment, revision);
  if (reason.kind === 'ERROR') {
    return {
      value: detail.value,
      reason: 'ERROR',
      errorCode: ERROR_CODES[reason.errorKind] as ErrorCode,
      errorMessage: detail.errorMessage ?? ERROR_MESSAGES[reason.errorKind],
      flagMetadata,
    };
  }
  const resolution: ResolutionDetails<T> = { value: detail.value, reason: reasonOf(reason, detail.inExperiment), flagMetadata };
  if (detail.variationIndex !== null) resolution.variant = String(detail.variationIndex);
  return resolution;
}

/**
 * An object read (`resolveObjectEvaluation`): A vs B's JSON reads accept any
 * value, OpenFeature's object reads want an object or array, so a served
 * scalar becomes `TYPE_MISMATCH` with the caller's default.
 */
export function toObjectResolution<T>(flagKey: string, defaultValue: T, resolution: ResolutionDetails<T>): ResolutionDetails<T> {
  const value: unknown = resolution.value;
  // only a value A vs B served (a variation, or a bootstrap value): the caller's own default is never refused
  const served = resolution.variant !== undefined || resolution.reason === 'CACHED';
  if (resolution.errorCode !== undefined || !served || (typeof value === 'object' && value !== null)) return resolution;
  return errorResolution(defaultValue, 'TYPE_MISMATCH', `flag "${flagKey}" serves a ${value === null ? 'null' : typeof value}, not an object or array`, resolution.flagMetadata);
}

/** A failed resolution that never reached A vs B (a context that cannot be one, a value of the wrong shape). */
export function errorResolution<T>(value: T, errorCode: `${ErrorCode}`, errorMessage: string, flagMetadata: FlagMetadata = {}): ResolutionDetails<T> {
  return { value, reason: 'ERROR', errorCode: errorCode as ErrorCode, errorMessage, flagMetadata };
}

function reasonOf(reason: Exclude<AnyFlagDetail<unknown>['reason'], { kind: 'ERROR' }>, inExperiment: boolean): string {
  switch (reason.kind) {
    case 'BOOTSTRAP':
      return 'CACHED';
    case 'OFF':
    case 'PREREQUISITE_FAILED':
      return 'DISABLED';
    case 'TARGET_MATCH':
      return 'TARGETING_MATCH';
    case 'RULE_MATCH':
      return inExperiment ? 'SPLIT' : 'TARGETING_MATCH';
    case 'FALLTHROUGH':
      return inExperiment ? 'SPLIT' : 'DEFAULT';
  }
}

function metadataOf(reason: AnyFlagDetail<unknown>['reason'], inExperiment: boolean, revision: number | null): FlagMetadata {
  const metadata: FlagMetadata = { avsbReason: reason.kind, inExperiment };
  if (revision !== null) metadata.revision = revision;
  switch (reason.kind) {
    case 'RULE_MATCH':
      metadata.ruleIndex = reason.ruleIndex;
      if (reason.ruleId !== null) metadata.ruleId = reason.ruleId;
      break;
    case 'PREREQUISITE_FAILED':
      metadata.prerequisiteIndex = reason.prerequisiteIndex;
      metadata.prerequisiteKey = reason.prerequisiteKey;
      break;
    case 'ERROR':
      metadata.errorKind = reason.errorKind;
      break;
  }
  return metadata;
}
