import type { AvsbContext, FlagDetail, FlagErrorKind, FlagReason } from '@avsb/core';
import { validatedContext } from '@avsb/core';

// A vs B's reasons and error kinds in OpenTelemetry's feature-flag semantic
// conventions (the `feature_flag.*` attributes of the registry, release
// candidate). The names are written here rather than imported: OpenTelemetry
// keeps them in `@opentelemetry/semantic-conventions/incubating`, which it
// asks libraries to copy, not to depend on.

/** The event a read is recorded as. */
export const EVALUATION_EVENT = 'feature_flag.evaluation';

export const ATTR_KEY = 'feature_flag.key';
export const ATTR_PROVIDER = 'feature_flag.provider.name';
export const ATTR_VARIANT = 'feature_flag.result.variant';
export const ATTR_REASON = 'feature_flag.result.reason';
export const ATTR_VALUE = 'feature_flag.result.value';
export const ATTR_CONTEXT_ID = 'feature_flag.context.id';
export const ATTR_VERSION = 'feature_flag.version';
export const ATTR_SET_ID = 'feature_flag.set.id';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_ERROR_MESSAGE = 'feature_flag.error.message';

/**
 * Error kinds as the conventions' `error.type` values (OpenFeature's error
 * codes in lower case, as `@avsb/openfeature` maps them).
 */
const ERROR_TYPES: Readonly<Record<FlagErrorKind, string>> = {
  FLAG_NOT_FOUND: 'flag_not_found',
  WRONG_TYPE: 'type_mismatch',
  CLIENT_NOT_READY: 'provider_not_ready',
  NO_DATAFILE: 'provider_not_ready',
  CONTEXT_INVALID: 'invalid_context',
  MALFORMED_FLAG: 'parse_error',
  CLIENT_CLOSED: 'provider_fatal',
  ENGINE_FAULT: 'general',
  EVALUATION_BUDGET: 'general',
};

/**
 * `feature_flag.result.reason`, one of the conventions' well-known values:
 *
 * | A vs B reason | reason |
 * |---|---|
 * | `OFF`, `PREREQUISITE_FAILED` | `disabled` |
 * | `TARGET_MATCH`, `RULE_MATCH` | `targeting_match` (`split` when in an experiment) |
 * | `FALLTHROUGH` | `default` (`split` when in an experiment) |
 * | `ERROR` | `error` |
 */
export function resultReason(reason: FlagReason, inExperiment: boolean): string {
  switch (reason.kind) {
    case 'OFF':
    case 'PREREQUISITE_FAILED':
      return 'disabled';
    case 'TARGET_MATCH':
      return 'targeting_match';
    case 'RULE_MATCH':
      return inExperiment ? 'split' : 'targeting_match';
    case 'FALLTHROUGH':
      return inExperiment ? 'split' : 'default';
    default:
      return 'error';
  }
}

/** `error.type` of an `ERROR` detail (`general` for a kind this version does not know). */
export function errorType(detail: FlagDetail<unknown>): string | undefined {
  const reason = detail.reason;
  if (reason.kind !== 'ERROR') return undefined;
  return ERROR_TYPES[reason.errorKind] ?? 'general';
}

/**
 * `feature_flag.context.id`: the key of a `user` context (`u_1`, what
 * OpenFeature calls the targeting key), `kind:key` for another kind
 * (`org:acme`), the canonical key for a multi-kind context
 * (`[["org","acme"],["user","u_1"]]`); `undefined` for an invalid context.
 * Never an attribute: those may be personal data or private attributes.
 */
export function contextId(context: AvsbContext): string | undefined {
  const validated = validatedContext(context);
  if (!validated.valid) return undefined;
  if (validated.kinds.length === 1 && validated.kinds[0] === 'user') return validated.keys.user;
  return validated.canonicalKey;
}

/** `feature_flag.result.value`: strings, numbers and booleans as they are, anything else as JSON text. */
export function resultValue(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
