import { batchBody, rememberBody } from './batch-body';
import type { ContextRedactor } from './context-redactor';
import { pushKeysText } from './keys-text';
import type { QueuedEvent } from './queued-event';
import { toWireEvent } from './queued-event';
import type { EventBatch, SdkInfo, WireEvent } from './wire';

/** A batch sealed by {@link writeBatch}: its wire form, and the events it holds. */
export interface WrittenBatch {
  readonly wire: EventBatch;
  /** Events written (those that could be represented). */
  readonly count: number;
}

/**
 * Writes a batch's JSON body in one pass over its records, byte for byte
 * what `JSON.stringify` of the batch object gives: exposures from their
 * shared texts (their keys' JSON per context, the rest per flag and
 * variation), every other event by `JSON.stringify` of its wire form. The
 * pieces are flat strings joined once into one buffer (a text per event,
 * concatenated, was slower than `JSON.stringify`: each cons string is
 * flattened on its own). Unrepresentable events are left out and counted
 * in `dropped`. The batch's `events` are parsed back from the body when
 * something reads them (a custom transport, a split): the same bytes.
 */
export function writeBatch(
  records: readonly QueuedEvent[],
  batchId: string,
  sdk: SdkInfo,
  redactor: ContextRedactor,
  onDropped: () => void,
): WrittenBatch {
  // one array for every batch (a batch's thousands of pieces would be garbage each time); taken while in use, in case
  // something this calls (a context's getter) leads to another batch being written
  const parts = spare ?? [];
  spare = null;
  parts.push('{"batchId":', JSON.stringify(batchId), ',"sdk":', JSON.stringify(sdk), ',"events":[');
  let count = 0;
  let lastTime = NaN;
  let lastTimeText = '';
  try {
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (record.kind === 'exposure' || record.kind === 'context') {
        const context = record.kind === 'context' ? contextText(record.context, redactor) : null;
        if (context === undefined) {
          onDropped();
          continue;
        }
        // events of a batch mostly share a few milliseconds: their time is written once
        if (record.time !== lastTime) lastTimeText = numberText((lastTime = record.time));
        // as few pieces as can be: the separator goes with the head, a single kind's key with the tail
        if (record.kind === 'exposure') {
          parts.push(count++ > 0 ? ',{"kind":"exposure","time":' : '{"kind":"exposure","time":', lastTimeText);
          const keys = pushKeysText(parts, record.kinds, record.keys);
          parts.push(keys === 'plain' ? record.tail.afterPlainKey : record.tail.text);
        } else parts.push(count++ > 0 ? ',{"kind":"context","time":' : '{"kind":"context","time":', lastTimeText, ',"context":', context!, '}');
        continue;
      }
      if (count++ > 0) parts.push(',');
      parts.push(JSON.stringify(toWireEvent(record)));
    }
    parts.push(']}');
    const body = parts.join('');
    return { wire: parsedLazily(batchId, sdk, body), count };
  } finally {
    parts.length = 0;
    spare = parts;
  }
}

let spare: string[] | null = null;

/** The JSON of a context event's `context`, or `undefined` when it cannot be represented. */
function contextText(context: Record<string, unknown>, redactor: ContextRedactor): string | undefined {
  let redacted;
  try {
    redacted = redactor.redact(context);
  } catch {
    return undefined; // the application changed the context into something else since
  }
  return redacted === undefined ? undefined : JSON.stringify(redacted);
}

/** A number as `JSON.stringify` writes it (`null` for a non-finite one). */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** A batch whose `events` are parsed from its body when first read; `batchBody` gives the body as written. */
function parsedLazily(batchId: string, sdk: SdkInfo, body: string): EventBatch {
  const batch = { batchId, sdk } as { batchId: string; sdk: SdkInfo; events: readonly WireEvent[] };
  // an own enumerable accessor, so that `JSON.stringify(batch)` and spreading it see `events` as a member; one getter
  // for every batch: a closure per batch in an object literal gave each batch its own hidden class, which kept the
  // batch and its body alive until a full collection (4× the bytes promoted to the old generation)
  Object.defineProperty(batch, 'events', EVENTS);
  rememberBody(batch, body);
  return batch;
}

const parsedEvents = new WeakMap<object, readonly WireEvent[]>();

const EVENTS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: EventBatch): readonly WireEvent[] {
    let events = parsedEvents.get(this);
    if (events === undefined) {
      events = (JSON.parse(batchBody(this)) as { events: WireEvent[] }).events;
      parsedEvents.set(this, events);
    }
    return events;
  },
};
