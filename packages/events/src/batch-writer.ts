import { rememberBody } from './batch-body';
import type { ContextRedactor } from './context-redactor';
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
  const parts: string[] = ['{"batchId":', JSON.stringify(batchId), ',"sdk":', JSON.stringify(sdk), ',"events":['];
  let count = 0;
  let lastTime = NaN;
  let lastTimeText = '';
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.kind === 'exposure') {
      if (count > 0) parts.push(',');
      // events of a batch mostly share a few milliseconds: their text is written once
      if (record.time !== lastTime) lastTimeText = numberText((lastTime = record.time));
      parts.push('{"kind":"exposure","time":', lastTimeText, ',"contextKeys":', record.keys, record.tail.text);
      count++;
      continue;
    }
    const event = toWireEvent(record, redactor);
    if (event === undefined) {
      onDropped();
      continue;
    }
    if (count > 0) parts.push(',');
    parts.push(JSON.stringify(event));
    count++;
  }
  parts.push(']}');
  const body = parts.join('');
  return { wire: parsedLazily(batchId, sdk, body), count };
}

/** A number as `JSON.stringify` writes it (`null` for a non-finite one). */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** A batch whose `events` are parsed from its body when first read; `batchBody` gives the body as written. */
function parsedLazily(batchId: string, sdk: SdkInfo, body: string): EventBatch {
  let events: WireEvent[] | undefined;
  const batch: EventBatch = {
    batchId,
    sdk,
    // an own enumerable accessor: `JSON.stringify(batch)` and spreading it see `events` as a member
    get events(): WireEvent[] {
      return (events ??= (JSON.parse(body) as { events: WireEvent[] }).events);
    },
  };
  rememberBody(batch, body);
  return batch;
}
