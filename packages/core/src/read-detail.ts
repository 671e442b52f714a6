import type { PageEngine } from '@avsb/engine';
import type { PageStore } from './page-store';
import type { FlagDetail, FlagReason } from './flag-detail';
import { CLIENT_CLOSED, CLIENT_NOT_READY, CONTEXT_INVALID, ENGINE_FAULT, WRONG_TYPE } from './flag-detail';
import type { FlagMisses } from './flag-misses';
import type { LogOnce } from './logger';
import type { ValueType } from './scoped-client-support';
import { logWrongType } from './scoped-client-support';
import { describeError as message } from '@avsb/common';

// What a flag read answers, written once for a server's scoped client and a
// page's core: they differ in how they get the context's handle and record a
// read, not in what a read answers.

/** What a read needs of the client it reads from (`ScopeHost` for a scoped client; `PageCore` itself). */
export interface ReadHost {
  readonly engine: PageEngine;
  readonly store: PageStore;
  /** Where wrong types and failed reads are logged once. */
  readonly logOnce: LogOnce;
  /** Reads of keys the datafile lacks: their messages, logged once per key. */
  readonly misses: FlagMisses;
}

/** A context handle still to be registered, or none because no datafile is served yet. */
export const UNREGISTERED = 0;
/** No handle: the engine refused the context (logged once; its reads are not recorded). */
export const INVALID = -1;
/** No handle: the client is closed. */
export const CLOSED = -2;

/**
 * What a read of flag `key` answers for the context of `handle` (> 0, or why
 * there is none: {@link UNREGISTERED} for no datafile yet, {@link INVALID},
 * {@link CLOSED}): the engine's detail when it serves a variation of `type`
 * (`null`: any JSON value); else `defaultValue` with the reason: there is no
 * handle, the engine's (`FLAG_NOT_FOUND` with a message naming the nearest
 * key, logged once per key), or `WRONG_TYPE` (logged once). Records nothing:
 * the caller records the `variationIndex`, `reason.kind` and `inExperiment`
 * of what this returns (not once closed).
 */
export function readDetail<T>(host: ReadHost, handle: number, key: string, defaultValue: T, type: ValueType): FlagDetail<T> {
  let reason: FlagReason = handle === INVALID ? CONTEXT_INVALID : handle === CLOSED ? CLIENT_CLOSED : CLIENT_NOT_READY;
  if (handle > 0) {
    const detail = host.engine.evaluate(handle, key);
    reason = detail.reason as FlagReason;
    if (detail.variationIndex !== null) {
      if (type !== null ? typeof detail.value === type : detail.value !== undefined) return detail as FlagDetail<T>;
      logWrongType(host.logOnce, key, type, detail.value);
      reason = WRONG_TYPE;
    } else if (reason.kind === 'ERROR' && reason.errorKind === 'FLAG_NOT_FOUND') {
      return { value: defaultValue, variationIndex: null, reason, inExperiment: false, errorMessage: host.misses.miss(key, host.store) };
    }
  }
  return { value: defaultValue, variationIndex: null, reason, inExperiment: false };
}

/** What a read that threw answers: `defaultValue` with `ENGINE_FAULT`, the failure logged once. */
export function failedRead<T>(logOnce: LogOnce, key: string, error: unknown, defaultValue: T): FlagDetail<T> {
  logOnce.log('error', `read:${message(error)}`, `reading flag "${key}" failed: ${message(error)}; returning the default`);
  return { value: defaultValue, variationIndex: null, reason: ENGINE_FAULT, inExperiment: false };
}
