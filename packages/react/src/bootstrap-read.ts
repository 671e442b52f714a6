import type { BrowserFlagDetail, BrowserFlagReason, JsonValue } from '@avsb/browser';

/** The type a hook reads (`json`: any JSON value). */
export type FlagType = 'boolean' | 'string' | 'number' | 'json';

const BOOTSTRAP: BrowserFlagReason = Object.freeze({ kind: 'BOOTSTRAP' });
const NOT_READY: BrowserFlagReason = Object.freeze({ kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' });
const WRONG_TYPE: BrowserFlagReason = Object.freeze({ kind: 'ERROR', errorKind: 'WRONG_TYPE' });

/**
 * A read from bootstrap values alone (on the server, while hydrating, and
 * before the provider's client exists): the same answers `@avsb/browser`'s
 * client gives before its engine loads, so the server's HTML, the hydrating
 * render and the client's first read agree.
 */
export function bootstrapDetail<T>(values: Record<string, JsonValue> | null, key: string, defaultValue: T, type: FlagType): BrowserFlagDetail<T> {
  if (values === null || typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(values, key)) {
    return { value: defaultValue, variationIndex: null, reason: NOT_READY, inExperiment: false };
  }
  const value = values[key] as JsonValue;
  if (type !== 'json' && typeof value !== type) return { value: defaultValue, variationIndex: null, reason: WRONG_TYPE, inExperiment: false };
  return { value: value as T, variationIndex: null, reason: BOOTSTRAP, inExperiment: false };
}

/** Bootstrap values as given: own members only, in an object without a prototype (a flag named `__proto__` stays a flag). */
export function copyValues(values: unknown): Record<string, JsonValue> | null {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return null;
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const key of Object.keys(values)) out[key] = (values as Record<string, JsonValue>)[key] as JsonValue;
  return out;
}
