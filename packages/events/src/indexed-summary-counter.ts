import type { FlagCounts } from './summary-counter';
import { countVariation, SummaryCounter } from './summary-counter';
import type { SummaryEvent } from './wire';

/** Flag indexes from here on are counted by key alone (a datafile holds far fewer flags). */
const MAX_SLOTS = 65_536;

/**
 * What an empty slot's key is: a string, so that the key comparison in {@link IndexedSummaryCounter.countAt} only ever
 * meets strings (an `undefined` there after a window's end threw its optimised code away, "not a String"). A caller
 * may pass it as a flag: an empty slot also has no counts, which `countAt` checks.
 */
const NO_KEY = '';

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
  /**
   * By flag index: the key counted there in this window, and its counts (the base class's own object). One empty slot
   * to start with, so that both arrays have from their constructor the elements kind they keep (references, no
   * holes): grown by appending, emptied in place at the end of a window, never replaced, they have one map in every
   * pipeline and every window (the base class says why a field that is reassigned costs optimised code).
   */
  private readonly _slotKeys: string[] = [NO_KEY];
  private readonly _slots: (FlagCounts | undefined)[] = [undefined];

  /** Counts one evaluation of `flag` at the slot of `index` when the slot holds `flag`; `false` (nothing counted) when not. */
  countAt(flag: string, index: number, variation: number | null): boolean {
    const keys = this._slotKeys;
    // a slot not there yet is not read: optimised code that never read past the end is kept
    if (!(index < keys.length) || keys[index] !== flag) return false;
    const counts = this._slots[index];
    if (counts === undefined) return false;
    if (variation === null) counts.none++;
    else countVariation(counts.byVariation, variation);
    return true;
  }

  /** Counts one evaluation of `flag` by key and keeps its counts in the slot of `index` for {@link countAt}. */
  countAndKeep(flag: string, index: number, variation: number | null): void {
    this.count(flag, variation);
    if (Number.isInteger(index) && index >= 0 && index < MAX_SLOTS) {
      const keys = this._slotKeys;
      const slots = this._slots;
      while (keys.length <= index) {
        keys.push(NO_KEY);
        slots.push(undefined);
      }
      // looked up again rather than returned by `count`: a page's bundle keeps the base class as it was
      keys[index] = flag;
      slots[index] = this._flags.get(flag);
    }
  }

  override take(endTime: number): SummaryEvent | undefined {
    this._forgetSlots();
    return super.take(endTime);
  }

  /** Drops the window's counts (a server's pipeline closing; a page's never needs to: not in its base class). */
  clear(): void {
    this._forgetSlots();
    this._flags.clear();
  }

  /** A new window has new counts objects: the slots would still point to the old ones. */
  private _forgetSlots(): void {
    this._slotKeys.fill(NO_KEY);
    this._slots.fill(undefined);
  }
}
