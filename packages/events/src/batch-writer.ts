import { batchBody, rememberBody } from './batch-body';
import type { ContextRedactor } from './context-redactor';
import { pushKeysText } from './keys-text';
import type { WholeContextRedactor } from './whole-context-redactor';
import type { QueuedEvent } from './queued-event';
import { toWireEvent } from './queued-event';
import type { EventBatch, SdkInfo, WireEvent } from './wire';

/** How a batch's contexts are redacted: a server's redactor also writes a context sent whole (whole-context-redactor.ts). */
export type BatchRedactor = ContextRedactor & Partial<Pick<WholeContextRedactor, 'appendWhole'>>;

/** A batch sealed by {@link writeBatch}: its wire form, and the events it holds. */
export interface WrittenBatch {
  readonly wire: EventBatch;
  /** Events written (those that could be represented). */
  readonly count: number;
}

/**
 * Writes a batch's JSON body in one pass over its records, byte for byte
 * what `JSON.stringify` of the batch object gives: exposures from their
 * shared texts (the members after the keys per flag and variation) and
 * their keys, context events sent whole member by member (the rest through
 * the redactor), custom events and summaries by `JSON.stringify`. The
 * pieces, mostly strings that already exist, are joined once into one flat
 * buffer: no event object is built or serialised for an exposure. (A text
 * per event, concatenated, was slower than `JSON.stringify`: each cons
 * string is flattened on its own.) Unrepresentable events are left out and
 * counted by `onDropped`. The batch's `events` are parsed back from the
 * body when something reads them (a custom transport, a split): the same
 * bytes.
 */
export function writeBatch(
  records: readonly QueuedEvent[],
  batchId: string,
  sdk: SdkInfo,
  redactor: BatchRedactor,
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
      if (record.kind === 'custom' || record.kind === 'summary') {
        if (count++ > 0) parts.push(',');
        parts.push(JSON.stringify(toWireEvent(record)));
        continue;
      }
      const mark = parts.length;
      if (count > 0) parts.push(',');
      // events of a batch mostly share a few milliseconds: their time is written once
      if (record.time !== lastTime) lastTimeText = numberText((lastTime = record.time));
      if (record.kind === 'exposure') {
        parts.push('{"kind":"exposure","time":', lastTimeText, ',"contextKeys":');
        pushKeysText(parts, record.identity.kinds, record.identity.keys);
        parts.push(record.tail.text);
      } else {
        parts.push('{"kind":"context","time":', lastTimeText, ',"context":');
        if (!appendContext(record.context, redactor, parts)) {
          parts.length = mark;
          onDropped();
          continue;
        }
        parts.push('}');
      }
      count++;
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

/** Appends the JSON of a context event's `context`; `false` when it cannot be represented. */
function appendContext(context: Record<string, unknown>, redactor: BatchRedactor, parts: string[]): boolean {
  if (redactor.appendWhole?.(context, parts) === true) return true;
  let redacted;
  try {
    redacted = redactor.redact(context);
  } catch {
    return false; // the application changed the context into something else since
  }
  if (redacted === undefined) return false;
  parts.push(JSON.stringify(redacted));
  return true;
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
