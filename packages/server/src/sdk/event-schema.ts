import { isObject } from '@avsb/common';
import { EVENT_KINDS as KINDS, MAX_BATCH_ID_LENGTH, MAX_EVENTS_PER_BATCH, MAX_EVENT_NAME_LENGTH } from '@avsb/protocol';
import { AvsbError } from '../errors';
import type { EventInput } from '../storage/records';

/** The protocol's limits (`@avsb/protocol`), re-exported for the server's callers. */
export { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH } from '@avsb/protocol';

const BATCH_ID = `a string of 1–${MAX_BATCH_ID_LENGTH} characters`;

/** A checked batch, ready to store. */
export interface ParsedBatch {
  readonly batchId: string;
  readonly events: EventInput[];
}

/**
 * Checks a `POST /sdk/v1/events` body against the protocol's schema. Errors
 * are 400 `invalid_batch` (the envelope) or `invalid_event` naming the event
 * and field: `events[3].key: is required (a string naming the custom event)`.
 */
export function parseEventBatch(body: unknown): ParsedBatch {
  const batchError = (message: string) => new AvsbError('invalid_batch', message);
  if (!isObject(body)) throw batchError('the body must be an object with batchId and events');
  const { batchId, events, sdk } = body;
  if (batchId === undefined) throw batchError(`batchId: is required (${BATCH_ID})`);
  if (typeof batchId !== 'string' || batchId.length < 1 || batchId.length > MAX_BATCH_ID_LENGTH) {
    throw batchError(`batchId: must be ${BATCH_ID}`);
  }
  if (sdk !== undefined && !isObject(sdk)) throw batchError('sdk: must be an object ({ "name", "version" })');
  if (!Array.isArray(events)) throw batchError('events: is required (an array of events)');
  if (events.length > MAX_EVENTS_PER_BATCH) {
    throw batchError(`events: holds ${events.length} events; a batch holds at most ${MAX_EVENTS_PER_BATCH}`);
  }
  return { batchId, events: events.map((event, i) => parseEvent(event, `events[${i}]`)) };
}

function parseEvent(event: unknown, at: string): EventInput {
  if (!isObject(event)) throw invalid(`${at}: must be an object`);
  const kind = event.kind as string;
  if (kind === undefined) throw invalid(`${at}.kind: is required (one of ${KINDS.map((k) => `"${k}"`).join(', ')})`);
  if (!(KINDS as readonly unknown[]).includes(kind)) {
    throw invalid(`${at}.kind: must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}, not ${JSON.stringify(kind)}`);
  }
  const json = JSON.stringify(event);
  switch (kind) {
    case 'exposure': {
      const time = epochMs(event.time, `${at}.time`);
      const contextKeys = keysOf(event.contextKeys, `${at}.contextKeys`);
      const flag = name(event.flag, `${at}.flag`, 'the flag key');
      const variation = event.variation;
      if (variation === undefined) throw invalid(`${at}.variation: is required (the variation index served, or null)`);
      if (variation !== null && !isIndex(variation)) throw invalid(`${at}.variation: must be an integer ≥ 0 or null`);
      if (event.reason !== undefined && typeof event.reason !== 'string') throw invalid(`${at}.reason: must be a string`);
      if (event.inExperiment !== undefined && typeof event.inExperiment !== 'boolean') {
        throw invalid(`${at}.inExperiment: must be a boolean`);
      }
      if (event.revision !== undefined && event.revision !== null && !isIndex(event.revision)) {
        throw invalid(`${at}.revision: must be an integer ≥ 0`);
      }
      return {
        kind, time, key: flag, variation: variation as number | null, inExperiment: event.inExperiment === true,
        value: null, contextKeys, json,
      };
    }
    case 'custom': {
      const time = epochMs(event.time, `${at}.time`);
      const contextKeys = keysOf(event.contextKeys, `${at}.contextKeys`);
      const key = name(event.key, `${at}.key`, 'a string naming the custom event');
      const value = event.value;
      if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw invalid(`${at}.value: must be a finite number`);
      }
      if (event.properties !== undefined && !isObject(event.properties)) throw invalid(`${at}.properties: must be an object`);
      return { kind, time, key, variation: null, inExperiment: false, value: (value as number | undefined) ?? null, contextKeys, json };
    }
    case 'context': {
      const time = epochMs(event.time, `${at}.time`);
      if (event.context === undefined) throw invalid(`${at}.context: is required (the context object)`);
      if (!isObject(event.context)) throw invalid(`${at}.context: must be an object`);
      return { kind, time, key: null, variation: null, inExperiment: false, value: null, contextKeys: null, json };
    }
    default: {
      epochMs(event.startTime, `${at}.startTime`);
      epochMs(event.endTime, `${at}.endTime`);
      checkSummaryFlags(event.flags, `${at}.flags`);
      return { kind: 'summary', time: null, key: null, variation: null, inExperiment: false, value: null, contextKeys: null, json };
    }
  }
}

function checkSummaryFlags(flags: unknown, at: string): void {
  if (flags === undefined) throw invalid(`${at}: is required (counters by flag key)`);
  if (!isObject(flags)) throw invalid(`${at}: must be an object of counters by flag key`);
  for (const [flag, entry] of Object.entries(flags)) {
    const here = `${at}[${JSON.stringify(flag)}]`;
    if (!isObject(entry) || !Array.isArray(entry.counters)) throw invalid(`${here}.counters: is required (an array)`);
    entry.counters.forEach((counter, j) => {
      if (!isObject(counter)) throw invalid(`${here}.counters[${j}]: must be an object`);
      if (counter.variation !== null && !isIndex(counter.variation)) {
        throw invalid(`${here}.counters[${j}].variation: must be an integer ≥ 0 or null`);
      }
      if (!isIndex(counter.count)) throw invalid(`${here}.counters[${j}].count: must be an integer ≥ 0`);
    });
  }
}

function epochMs(value: unknown, at: string): number {
  if (value === undefined) throw invalid(`${at}: is required (epoch milliseconds)`);
  if (!isIndex(value)) throw invalid(`${at}: must be epoch milliseconds (an integer ≥ 0)`);
  return value;
}

function keysOf(value: unknown, at: string): Record<string, string> {
  if (value === undefined) throw invalid(`${at}: is required (an object mapping context kind to key)`);
  if (!isObject(value)) throw invalid(`${at}: must be an object mapping context kind to key`);
  const entries = Object.entries(value);
  if (entries.length === 0) throw invalid(`${at}: must name at least one context kind`);
  for (const [kind, key] of entries) {
    if (typeof key !== 'string' || key === '') throw invalid(`${at}.${kind}: must be a non-empty string`);
  }
  return value as Record<string, string>;
}

function name(value: unknown, at: string, what: string): string {
  if (value === undefined) throw invalid(`${at}: is required (${what})`);
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_EVENT_NAME_LENGTH) {
    throw invalid(`${at}: must be a string of 1–${MAX_EVENT_NAME_LENGTH} characters (${what})`);
  }
  return value;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}


function invalid(message: string): AvsbError {
  return new AvsbError('invalid_event', message);
}
