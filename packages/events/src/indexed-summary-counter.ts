import type { FlagCounts } from './summary-counter';
import { countVariation, SummaryCounter } from './summary-counter';
import type { SummaryEvent } from './wire';

/** Flag indexes from here on are counted by key alone (a datafile holds far fewer flags). */
const MAX_SLOTS = 65_536;

/**
 * A {@link SummaryCounter} that also finds a flag's counts by the flag's
 * index in the datafile that served it: an array read and a comparison of
 * the key instead of a `Map` lookup of the key (≈ 8 ns of a server's read).
 * The index is only a hint: its slot is used when it holds this very key,
 * so a datafile that moved the flag, or a wrong index, counts by key as the
 * base class does. The summary sent is the same either way (each flag in
 * the order of its first count). Server pipeline only: a page's pipeline
 * counts by key and its bundle stays as it was.
 */
export class IndexedSummaryCounter extends SummaryCounter {
  /** By flag index: the key counted there in this window, and its counts (the base class's own object). */
  private _slotKeys: (string | undefined)[] = [];
  private _slots: (FlagCounts | undefined)[] = [];

  /** Counts one evaluation of `flag` at the slot of `index` when the slot holds `flag`; `false` (nothing counted) when not. */
  countAt(flag: string, index: number, variation: number | null): boolean {
    if (this._slotKeys[index] !== flag) return false;
    const counts = this._slots[index]!;
    if (variation === null) counts.none++;
    else countVariation(counts.byVariation, variation);
    return true;
  }

  /** Counts one evaluation of `flag` by key and keeps its counts in the slot of `index` for {@link countAt}. */
  countAndKeep(flag: string, index: number, variation: number | null): void {
    this.count(flag, variation);
    if (Number.isInteger(index) && index >= 0 && index < MAX_SLOTS) {
      // looked up again rather than returned by `count`: a page's bundle keeps the base class as it was
      this._slotKeys[index] = flag;
      this._slots[index] = this._flags.get(flag);
    }
  }

  override take(endTime: number): SummaryEvent | undefined {
    this._forgetSlots();
    return super.take(endTime);
  }

  /** Drops the window's counts (a server's pipeline closing; a page's never needs to: not in its base class). */
  clear(): void {
    this._forgetSlots();
    this._flags = new Map();
  }

  /** A new window has new counts objects: the slots would still point to the old ones. */
  private _forgetSlots(): void {
    if (this._slotKeys.length === 0) return;
    this._slotKeys = [];
    this._slots = [];
  }
}
