import type { ExperimentUnit } from './records';

const CROSSED = 1;
const CONVERTED = 2;
const HAS_VALUE = 4;
/** 2^21: a unit's index fits below it in a packed sort key, its first id (< 2^32) above it, within 2^53. */
const INDEX_SPAN = 2 ** 21;

/**
 * The units of an experiment in columns (typed arrays), iterated in the
 * order of their first stored exposure, the order results sum them in
 * (the store reads them in unit-key order, by range scans).
 *
 * Columns rather than an object per unit: a results request over 200,000
 * units reads for a second with turns of the event loop in between, and that
 * many objects, living through it, would be promoted to the old generation
 * and cost the whole server a long garbage collection afterwards. The
 * objects the iterator yields die young.
 */
export class ExperimentUnitList implements Iterable<ExperimentUnit> {
  private _firstIds = new Float64Array(1024);
  private _variations = new Float64Array(1024);
  private _valueSums = new Float64Array(1024);
  private _flags = new Uint8Array(1024);
  private _order: Uint32Array | null = null;
  private _length = 0;

  /** Units in the list. */
  get length(): number {
    return this._length;
  }

  /** Appends a unit. */
  push(unit: ExperimentUnit): void {
    const flags = (unit.crossed ? CROSSED : 0) | (unit.converted ? CONVERTED : 0) | (unit.hasValue ? HAS_VALUE : 0);
    this._append(unit.firstId, unit.variation, unit.valueSum, flags);
  }

  /** Appends a unit from its columns, `valueSum` null without a value: no object per unit on the way in. */
  pushColumns(firstId: number, variation: number, crossed: boolean, converted: boolean, valueSum: number | null): void {
    const flags = (crossed ? CROSSED : 0) | (converted ? CONVERTED : 0) | (valueSum !== null ? HAS_VALUE : 0);
    this._append(firstId, variation, valueSum ?? 0, flags);
  }

  private _append(firstId: number, variation: number, valueSum: number, flags: number): void {
    if (this._length === this._firstIds.length) this._grow();
    const i = this._length++;
    this._firstIds[i] = firstId;
    this._variations[i] = variation;
    this._valueSums[i] = valueSum;
    this._flags[i] = flags;
    this._order = null;
  }

  *[Symbol.iterator](): Iterator<ExperimentUnit> {
    for (const slice of this.slices(1024)) yield* slice;
  }

  /** The units in order, `size` at a time (so that a caller can give the event loop a turn between slices). */
  *slices(size: number): Generator<ExperimentUnit[]> {
    const order = this._sorted();
    for (let start = 0; start < this._length; start += size) {
      const slice: ExperimentUnit[] = [];
      for (let k = start; k < Math.min(this._length, start + size); k++) {
        const i = order[k]!;
        const flags = this._flags[i]!;
        slice.push({
          firstId: this._firstIds[i]!,
          variation: this._variations[i]!,
          crossed: (flags & CROSSED) !== 0,
          converted: (flags & CONVERTED) !== 0,
          valueSum: this._valueSums[i]!,
          hasValue: (flags & HAS_VALUE) !== 0,
        });
      }
      yield slice;
    }
  }

  /**
   * Indices in first-id order. First ids are unique within one experiment
   * and context kind, so (first id, index) packs into one float64 and the
   * engine's numeric sort of a Float64Array does the work, in milliseconds.
   */
  private _sorted(): Uint32Array {
    if (this._order) return this._order;
    const n = this._length;
    const order = new Uint32Array(n);
    const ids = this._firstIds.subarray(0, n);
    if (n < INDEX_SPAN && ids.every((id) => id < 2 ** 32)) {
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) keys[i] = ids[i]! * INDEX_SPAN + i;
      keys.sort();
      for (let k = 0; k < n; k++) order[k] = keys[k]! % INDEX_SPAN;
    } else {
      const indices = Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a]! - ids[b]!);
      order.set(indices);
    }
    this._order = order;
    return order;
  }

  private _grow(): void {
    const size = this._firstIds.length * 2;
    const grow = <T extends Float64Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
    this._firstIds = grow(this._firstIds, new Float64Array(size));
    this._variations = grow(this._variations, new Float64Array(size));
    this._valueSums = grow(this._valueSums, new Float64Array(size));
    this._flags = grow(this._flags, new Uint8Array(size));
  }
}
