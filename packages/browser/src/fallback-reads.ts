import type { FlagDetail, FlagReason, JsonValue } from '@avsb/core/page';
import { CLIENT_CLOSED, CLIENT_NOT_READY, WRONG_TYPE } from '@avsb/core/page';

/** Why a read returned what it did: the engine's and the SDK's reasons, plus `BOOTSTRAP` (a value the server computed, served until the datafile is loaded). */
export type BrowserFlagReason = FlagReason | { readonly kind: 'BOOTSTRAP' };

/** What the `…Details` reads of the browser client return: `FlagDetail` of `@avsb/core`, with `BOOTSTRAP` among the reasons. */
export interface BrowserFlagDetail<T> extends Omit<FlagDetail<T>, 'reason'> {
  readonly reason: BrowserFlagReason;
}

/** The type a typed read asks for (`null`: any JSON value). */
export type ValueType = 'boolean' | 'string' | 'number' | null;

const BOOTSTRAP: BrowserFlagReason = Object.freeze({ kind: 'BOOTSTRAP' });

/**
 * A read answered without the engine (it is loading, or the datafile has not
 * arrived): the bootstrap value when there is one of the type asked for,
 * else the caller's default. Nothing is recorded: no variation was evaluated.
 */
export function fallbackDetail<T>(bootstrap: Record<string, JsonValue> | null, closed: boolean, key: string, defaultValue: T, type: ValueType): BrowserFlagDetail<T> {
  if (closed) return { value: defaultValue, variationIndex: null, reason: CLIENT_CLOSED, inExperiment: false };
  if (bootstrap === null || typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(bootstrap, key)) {
    return { value: defaultValue, variationIndex: null, reason: CLIENT_NOT_READY, inExperiment: false };
  }
  const value = bootstrap[key] as JsonValue;
  if (type !== null && typeof value !== type) return { value: defaultValue, variationIndex: null, reason: WRONG_TYPE, inExperiment: false };
  return { value: value as T, variationIndex: null, reason: BOOTSTRAP, inExperiment: false };
}

/** Bootstrap values as given by a server: only own members, in an object without a prototype. */
export function copyBootstrap(bootstrap: unknown): Record<string, JsonValue> | null {
  if (typeof bootstrap !== 'object' || bootstrap === null || Array.isArray(bootstrap)) return null;
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const key of Object.keys(bootstrap)) out[key] = (bootstrap as Record<string, JsonValue>)[key] as JsonValue;
  return out;
}
