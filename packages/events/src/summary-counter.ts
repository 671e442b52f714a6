import type { FlagSummary, SummaryEvent } from './wire';

export interface FlagCounts {
  /** Evaluations by variation index. */
  readonly byVariation: number[];
  /** Evaluations that served the caller's default (no variation). */
  none: number;
}

/**
 * Evaluation counts by flag and variation for one window: one map lookup
 * and one array increment per evaluation.
 *
 * The `Map` is emptied at the end of a window, never replaced: V8 treats a
 * field never assigned after its constructor as a constant, and optimised
 * code that read it was thrown away ("code dependencies") the first time a
 * window ended and the field got a new `Map`.
 */
export class SummaryCounter {
  protected readonly _flags = new Map<string, FlagCounts>();
  /**
   * `-0`, not `0`: a double from the start, as the epoch milliseconds it holds from the first `start` are. A field
   * that starts as a small integer changes representation at that store, which gives the counter a new map and leaves
   * counters made before it (a second pipeline's) on the old one (a wrong-map deoptimisation where they meet).
   */
  private _startTime = -0;

  /** Starts the window's clock; call before the first `count` of a window. */
  start(now: number): void {
    this._startTime = now;
  }

  /** Counts one evaluation of `flag` that served `variation` (`null`: the default). */
  count(flag: string, variation: number | null): void {
    let counts = this._flags.get(flag);
    if (counts === undefined) {
      counts = { byVariation: [], none: 0 };
      this._flags.set(flag, counts);
    }
    if (variation === null) counts.none++;
    else countVariation(counts.byVariation, variation);
  }

  get isEmpty(): boolean {
    return this._flags.size === 0;
  }

  /** The window's `summary` event (or `undefined` when nothing was counted), and a new window. */
  take(endTime: number): SummaryEvent | undefined {
    if (this._flags.size === 0) return undefined;
    // keyed by flag keys (data): no prototype, so `flags.constructor` is a flag or nothing
    const flags = Object.create(null) as Record<string, FlagSummary>;
    for (const [flag, counts] of this._flags) {
      const counters: { variation: number | null; count: number }[] = [];
      counts.byVariation.forEach((count, variation) => count && counters.push({ variation, count }));
      if (counts.none > 0) counters.push({ variation: null, count: counts.none });
      flags[flag] = { counters };
    }
    this._flags.clear();
    const event: SummaryEvent = {
      kind: 'summary',
      startTime: this._startTime,
      endTime: Math.max(endTime, this._startTime),
      flags,
    };
    return event;
  }

}

/**
 * Adds one to `by[variation]`, growing the array with zeros (skipped when
 * sent) so that it never has holes: a holey array's increment went through
 * V8's generic store (≈ 2 % of a server's request).
 */
export function countVariation(by: number[], variation: number): void {
  while (by.length <= variation) by.push(0);
  by[variation]!++;
}
