import type { ExposureTail } from './exposure-tails';
import type { ContextKeys } from './wire';

/** The fewest slots a pipeline's ring has: a few default batches (500) of unsent events. */
const MIN_SLOTS = 2_048;

/**
 * Slots for a pipeline: enough for four batches in the outbox before the
 * first is written, at least {@link MIN_SLOTS}, and never more than the
 * events the pipeline may hold (beyond those it drops rather than records).
 */
export function ringSlots(batchSize: number, capacity: number): number {
  return Math.max(1, Math.min(capacity, Math.max(MIN_SLOTS, 4 * batchSize)));
}

/**
 * A server pipeline's exposures and context events until their batch is
 * written: one slot each in preallocated columns (its time in a
 * `Float64Array`, three references into arrays that are never resized)
 * instead of an object per event. The queue and the outbox hold the slot's
 * number, so an event costs the collector nothing until its batch is
 * written, and the references it holds (keys, the kept tail text, the
 * application's context) are the ones the pipeline has anyway.
 *
 * Slots are taken and freed in order: batches are written oldest first (the
 * outbox sends its head; an early seal writes them all in order), so
 * writing a batch frees every slot up to its last. Bounded: when every slot
 * is taken the pipeline writes its pending batches at once (`onFull`) and
 * the ring starts again; it never grows.
 */
export class EventRing {
  readonly capacity: number;
  /** Each slot's time (ms since the epoch). */
  readonly times: Float64Array;
  /** An exposure's context kinds; a context event's context (the application's object). */
  readonly subjects: unknown[];
  /** An exposure's context keys (`null` for a context event). */
  readonly keys: (ContextKeys | null)[];
  /** An exposure's kept text (exposure-tails.ts); `null` marks a context event. */
  readonly tails: (ExposureTail | null)[];
  /**
   * The oldest slot taken, and how many are taken. Public, with the ring's
   * columns, for the size of a page's bundle: the build shortens `_` members
   * by how often the package uses them, and two more frequent ones here
   * reordered the short names of the page pipeline's members (+5 B gzipped).
   */
  head = 0;
  live = 0;

  /**
   * @param onFull called when a slot is needed and every one is taken: it
   *   must have every taken slot's batch written (`releaseThrough`), as the
   *   pipeline does by writing its queue and outbox at once; the ring is then
   *   cleared and goes on.
   */
  constructor(
    capacity: number,
    readonly onFull: () => void,
  ) {
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    // filled, so that the arrays are never holey: a store is one write, never a transition
    this.subjects = new Array<unknown>(capacity).fill(null);
    this.keys = new Array<ContextKeys | null>(capacity).fill(null);
    this.tails = new Array<ExposureTail | null>(capacity).fill(null);
  }

  /** Every slot taken: the next event has the ring's events written first (`onFull`). */
  get full(): boolean {
    return this.live === this.capacity;
  }

  /** Records an exposure in the next slot; its slot. */
  exposure(time: number, kinds: readonly string[], keys: ContextKeys, tail: ExposureTail): number {
    const slot = take(this);
    this.times[slot] = time;
    this.subjects[slot] = kinds;
    this.keys[slot] = keys;
    this.tails[slot] = tail;
    return slot;
  }

  /** Records a context event in the next slot; its slot. */
  context(time: number, context: object): number {
    const slot = take(this);
    this.times[slot] = time;
    this.subjects[slot] = context;
    this.keys[slot] = null;
    this.tails[slot] = null;
    return slot;
  }

  /**
   * Frees every slot from the oldest up to `slot` (the last of a batch just
   * written, or dropped), letting go of what they reference. A slot that is
   * not taken frees nothing.
   */
  releaseThrough(slot: number): void {
    const capacity = this.capacity;
    let count = slot - this.head + 1;
    if (count <= 0) count += capacity;
    if (!(count >= 1 && count <= this.live)) return;
    let at = this.head;
    for (let i = 0; i < count; i++) {
      this.subjects[at] = null;
      this.keys[at] = null;
      this.tails[at] = null;
      if (++at === capacity) at = 0;
    }
    this.head = at;
    this.live -= count;
  }

  /** Frees every slot (all were written, or the pipeline stopped). */
  clear(): void {
    if (this.live > 0) this.releaseThrough((this.head + this.live - 1) % this.capacity);
  }
}

/** Takes the slot after the last taken, having the ring's events written first when every slot is taken. */
function take(ring: EventRing): number {
  if (ring.live === ring.capacity) {
    ring.onFull();
    // every slot was in a batch just written (or dropped as unwritable)
    ring.clear();
  }
  let slot = ring.head + ring.live++;
  if (slot >= ring.capacity) slot -= ring.capacity;
  return slot;
}
