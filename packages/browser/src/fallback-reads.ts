import type { FlagDetail, FlagReason, JsonValue } from '@avsb/core/page';
import { CLIENT_CLOSED, CLIENT_NOT_READY, WRONG_TYPE, isObject } from '@avsb/core/page';

/** Why a read returned what it did: the engine's and the SDK's reasons, plus `BOOTSTRAP` (a value the server computed, served until the datafile is loaded). */
export type BrowserFlagReason = FlagReason | { readonly kind: 'BOOTSTRAP' };

/** What the `…Details` reads of the browser client return: `FlagDetail` of `@avsb/core`, with `BOOTSTRAP` among the reasons. */
export interface BrowserFlagDetail<T> extends Omit<FlagDetail<T>, 'reason'> {
  readonly reason: BrowserFlagReason;
}

/**
 * The values a server computed for one context and put in the page, by flag key: `allFlags(context,
 * { clientSideOnly: true })` of `@avsb/node`, or `clientProps().bootstrap` of `@avsb/next`. What `bootstrap` takes;
 * a page that reads them from a global declares it with this type (README, "Bootstrap: no flicker").
 */
export type BootstrapValues = Record<string, JsonValue>;

/** The type a typed read asks for (`null`: any JSON value). */
export type ValueType = 'boolean' | 'string' | 'number' | null;

const BOOTSTRAP: BrowserFlagReason = Object.freeze({ kind: 'BOOTSTRAP' });

/**
 * A read answered without the engine (it is loading, or the datafile has not
 * arrived): the bootstrap value when there is one of the type asked for,
 * else the caller's default. Nothing is recorded: no variation was evaluated.
 */
export function fallbackDetail<T>(bootstrap: BootstrapValues | null, closed: boolean, key: string, defaultValue: T, type: ValueType): BrowserFlagDetail<T> {
  // `in`, not hasOwnProperty: copyBootstrap's object has no prototype
  const reason = closed
    ? CLIENT_CLOSED
    : bootstrap === null || typeof key !== 'string' || !(key in bootstrap)
      ? CLIENT_NOT_READY
      : type !== null && typeof bootstrap[key] !== type
        ? WRONG_TYPE
        : BOOTSTRAP;
  return { value: reason === BOOTSTRAP ? (bootstrap![key] as T) : defaultValue, variationIndex: null, reason, inExperiment: false };
}

/** Bootstrap values as given by a server: only own members, in an object without a prototype. */
export function copyBootstrap(bootstrap: unknown): BootstrapValues | null {
  if (!isObject(bootstrap)) return null;
  // into an object without a prototype, by [[Set]]: a member named __proto__ stays a member
  return Object.assign(Object.create(null) as BootstrapValues, bootstrap);
}
