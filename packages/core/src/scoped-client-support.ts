import type { PageEngine } from '@avsb/engine';
import { packedVariation } from '@avsb/engine';
import type { AvsbContext, ValidatedContext } from './context';
import type { PageStore } from './page-store';
import type { CustomRecord } from './event-recorder';
import type { JsonValue } from './flag-detail';
import type { LogOnce } from './logger';

// The parts of ScopedClient off its read path: what allFlags collects, what
// track records and the messages it logs once.

export interface TrackOptions {
  /** A number to aggregate (revenue, duration…). */
  value?: number;
  /** Any JSON-serialisable details. */
  properties?: Record<string, unknown>;
}

export interface AllFlagsOptions {
  /** Only flags marked `clientSide` (safe to hand to a browser). Default `false`. */
  clientSideOnly?: boolean;
}

export type ValueType = 'boolean' | 'string' | 'number' | null;


/** An empty result of `allFlags`: keys come from data, so no prototype can be set by a flag keyed `__proto__`. */
export function emptyFlags(): Record<string, JsonValue> {
  return Object.create(null) as Record<string, JsonValue>;
}

/**
 * Fills `out` with the value of every flag serving a variation, from the `packed` results of
 * `engine.evaluateAllPacked` for its context.
 */
export function collectFlags(
  out: Record<string, JsonValue>,
  store: PageStore,
  engine: PageEngine,
  packed: Int32Array,
  options: AllFlagsOptions | undefined,
): void {
  const datafile = store.datafile;
  if (datafile === null) return;
  const onlyClient = options?.clientSideOnly === true;
  // the engine answers for the flags it holds: none if a rebuild after a trap lost its datafile
  const n = Math.min(packed.length, datafile.flags.length);
  for (let i = 0; i < n; i++) {
    const flag = datafile.flags[i]!;
    if (onlyClient && flag.clientSide !== true) continue;
    const variation = packedVariation(packed[i]!);
    if (variation < 0) continue;
    out[flag.key] = engine.variationValue(i, variation) as JsonValue;
  }
}

/**
 * The packed results of `collectFlagsReusing`, one array from call to call (a new one per call cost more than the copy
 * into it): nothing between the call that fills it and the loop that reads it runs user code or another collection.
 * It grows to the largest datafile's flag count and stays. A page, which calls `allFlags` seldom, leaves it out.
 */
let packedScratch: Int32Array | undefined;

/** `collectFlags` into the one kept array of packed results: a server's `allFlags`, one per request. */
export function collectFlagsReusing(
  out: Record<string, JsonValue>,
  store: PageStore,
  engine: PageEngine,
  handle: number,
  options: AllFlagsOptions | undefined,
): void {
  const n = store.datafile?.flags.length ?? 0;
  let into = packedScratch;
  if (into === undefined || into.length < n) packedScratch = into = new Int32Array(n);
  // -1 packs no variation: past the flags the engine holds (none if a rebuild after a trap lost its datafile) an
  // earlier call's results, or a new array's zeros (variation 0), would otherwise be read as this one's
  into.fill(-1);
  collectFlags(out, store, engine, engine.evaluateAllPacked(handle, into), options);
}

/** The custom event of `track(eventKey, options)`, or `undefined` (logged once) when it cannot be recorded. */
export function trackRecord(
  logOnce: LogOnce,
  context: AvsbContext,
  identity: ValidatedContext | undefined,
  eventKey: string,
  options: TrackOptions | undefined,
): CustomRecord | undefined {
  if (typeof eventKey !== 'string' || eventKey === '') {
    logOnce.log('warn', 'track:key', 'track() needs a non-empty event key; the event was dropped');
    return undefined;
  }
  const value = options?.value;
  const properties = options?.properties;
  const record: { key: string; context: AvsbContext; identity?: ValidatedContext; value?: number; properties?: Record<string, unknown> } = {
    key: eventKey,
    context,
    identity,
  };
  if (value !== undefined) {
    if (typeof value === 'number' && Number.isFinite(value)) record.value = value;
    else logOnce.log('warn', 'track:value', `track("${eventKey}"): value must be a finite number; it was left out`);
  }
  if (properties !== undefined && properties !== null) record.properties = properties;
  return record;
}

export function logWrongType(logOnce: LogOnce, key: string, type: ValueType, value: unknown): void {
  const served = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  logOnce.log('warn', `type:${key}:${type}`, `flag "${key}" served a ${served} where a ${type} was asked for; returning the default (ERROR/WRONG_TYPE)`);
}

/** Logs, once for each, a use of a scoped client after its own `close()` or after its client's. */
export function logClosedUse(logOnce: LogOnce, clientClosed: boolean): void {
  if (clientClosed) {
    logOnce.log(
      'warn',
      'closed:client',
      'a flag read or track() on an A vs B client after close(): defaults are served (reason ERROR/CLIENT_CLOSED) and nothing is recorded or sent (logged once)',
    );
  } else {
    logOnce.log(
      'warn',
      'closed:scoped',
      'a flag read or track() on a scoped client after its close() (after the end of its request?): defaults are served (reason ERROR/CLIENT_CLOSED) and nothing is recorded (logged once)',
    );
  }
}
