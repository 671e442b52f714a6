import type { QueuedEvent } from './queued-event';
import type { EventBatch } from './wire';

/**
 * A batch waiting to be sent. It takes events until its first attempt
 * seals it: then it has its id and wire form, and neither ever changes, so
 * every retry sends exactly the same batch.
 */
export interface OutboxBatch {
  /** The events while unsealed; `null` once sealed. */
  records: QueuedEvent[] | null;
  /** The batch as sent; `null` until sealed. */
  wire: EventBatch | null;
  /** Events in the batch. */
  count: number;
  /** Attempts that ended in a server error (not in unavailability). */
  errorAttempts: number;
}

/** Batches in the order they go out, and the number of events they hold. */
export class Outbox {
  private _batches: OutboxBatch[] = [];
  private _events = 0;

  constructor(private readonly _batchSize: number) {}

  /** Events in all batches. */
  get events(): number {
    return this._events;
  }

  get batches(): number {
    return this._batches.length;
  }

  /** The batch to send next. */
  head(): OutboxBatch | undefined {
    return this._batches[0];
  }

  /** The batches not sealed yet, in order. */
  unsealed(): OutboxBatch[] {
    return this._batches.filter((batch) => batch.records !== null);
  }

  /**
   * Adds events, filling the last unsealed batch first, then new batches of
   * at most `batchSize`. Takes `records` over: an array that starts a new
   * batch becomes that batch (the pipeline hands over its queue and starts
   * another), cut at `batchSize` when it is longer, instead of being copied
   * into a new one event by event.
   */
  add(records: QueuedEvent[]): void {
    const added = records.length;
    // each member used as often as before: the build names the package's `_` members by how often they are used, and
    // one more use here reordered the page pipeline's names (+1 B gzipped on a page)
    const size = this._batchSize;
    let last = this._batches[this._batches.length - 1];
    for (let i = 0; i < records.length; ) {
      if (last === undefined || last.records === null || last.count >= size) {
        const adopt = i === 0;
        const rest = adopt && records.length > size ? records.splice(size) : [];
        last = adopt ? { records, wire: null, count: records.length, errorAttempts: 0 } : { records: [], wire: null, count: 0, errorAttempts: 0 };
        this._batches.push(last);
        if (adopt) {
          records = rest;
          continue;
        }
      }
      const take = Math.min(this._batchSize - last.count, records.length - i);
      for (let j = 0; j < take; j++) last.records!.push(records[i + j]!);
      last.count += take;
      i += take;
    }
    this._events += added;
  }

  /** Seals a batch with its wire form, which holds `count` events (those that could be represented). */
  seal(batch: OutboxBatch, wire: EventBatch, count: number): void {
    this._events -= batch.count - count;
    batch.count = count;
    batch.records = null;
    batch.wire = wire;
  }

  remove(batch: OutboxBatch): void {
    const at = this._batches.indexOf(batch);
    if (at < 0) return;
    this._batches.splice(at, 1);
    this._events -= batch.count;
  }

  /** Puts `by` in the place of `batch` (the same events: the count is unchanged). */
  replace(batch: OutboxBatch, by: OutboxBatch[]): void {
    this._batches.splice(this._batches.indexOf(batch), 1, ...by);
  }

  /** Empties the outbox; what it held. */
  clear(): { events: number; batches: number } {
    const held = { events: this._events, batches: this._batches.length };
    this._batches = [];
    this._events = 0;
    return held;
  }
}
