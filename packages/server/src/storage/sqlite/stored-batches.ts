import type { EnvironmentId, EventInput } from '../records';
import type { UnitEvent } from './experiment-units';

/**
 * Events held for the fold at most, about 10 MiB: a fold that falls this far
 * behind reads the rest back from the events table, as after a restart.
 */
export const MAX_HELD_EVENTS = 100_000;

/** A committed batch: its events took the ids `firstId` … `firstId + events.length - 1`. */
export interface StoredBatch {
  readonly environmentId: EnvironmentId;
  readonly firstId: number;
  readonly events: readonly UnitEvent[];
}

/**
 * The batches this connection stored and the fold has not reached yet, in id
 * order, so that the fold takes their columns from here instead of reading
 * every row back and parsing its context keys (about half of a fold's cost).
 * Only a copy of what was stored is held; the events table stays the record:
 * the fold reads it wherever the batches held here do not follow on from its
 * mark (ids another process took, batches not held, a restart).
 */
export class StoredBatches {
  private _batches: StoredBatch[] = [];
  private _held = 0;

  /** Holds a batch just committed with ids `firstId` … `lastId`, unless that would hold too many. */
  add(environmentId: EnvironmentId, firstId: number, lastId: number, events: readonly EventInput[]): void {
    // one transaction on one connection takes consecutive ids; anything else is left to the table
    if (lastId - firstId + 1 !== events.length || this._held + events.length > MAX_HELD_EVENTS) return;
    const tail = this._batches.at(-1);
    if (tail !== undefined && tail.firstId + tail.events.length > firstId) return;
    // the columns the fold reads, copied: the caller's objects are theirs to change
    const held = events.map(
      (e): UnitEvent => ({
        kind: e.kind,
        time: e.time,
        key: e.key,
        variation: e.variation,
        inExperiment: e.inExperiment,
        value: e.value === 0 ? 0 : e.value, // as the REAL column gives it back: -0 reads as 0
        contextKeys: e.contextKeys === null ? null : { ...e.contextKeys },
      }),
    );
    this._batches.push({ environmentId, firstId, events: held });
    this._held += held.length;
  }

  /**
   * The batch holding event `mark + 1`, after dropping every batch that ends
   * at or before `mark`; null when the next event is not held here.
   */
  next(mark: number): StoredBatch | null {
    for (let batch = this._batches[0]; batch !== undefined; batch = this._batches[0]) {
      if (batch.firstId + batch.events.length - 1 > mark) return batch.firstId <= mark + 1 ? batch : null;
      this._batches.shift(); // at most MAX_HELD_EVENTS / batch size entries
      this._held -= batch.events.length;
    }
    return null;
  }

  /** Forgets every batch (the fold reads the table from its mark). */
  clear(): void {
    this._batches = [];
    this._held = 0;
  }

  /** Events held now. */
  get held(): number {
    return this._held;
  }
}
