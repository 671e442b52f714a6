/** What a context was seen with for one flag: one code, or several. A code packs a variation and the in-experiment bit. */
export type Seen = number | Set<number>;

/** The exposures remembered for one context this window. */
export class SeenContext {
  constructor(readonly id: string) {}
  /** Flag → codes; made with the context's first exposure there. */
  declare flags?: Map<string, Seen>;
  /** The first two flags and their codes, where the server's cache keeps them instead (field-dedupe-cache.ts). */
  declare flag0?: string;
  declare codes0?: Seen;
  declare flag1?: string;
  declare codes1?: Seen;
  /** Entries this context holds in the cache: itself and each exposure. */
  entries = 1;
  /** Read since it last joined the back of the eviction queue (its second chance). */
  used = false;
}

/** The code of an exposure: `null` (the default served) and each variation index, each in or out of experiment. */
export function exposureCode(variation: number | null, inExperiment: boolean): number {
  return ((variation === null ? 0 : variation + 1) << 1) | (inExperiment ? 1 : 0);
}

/**
 * What one flush window has already sent: each context (its `context`
 * event) and, per context, each (flag, variation, in-experiment) exposure.
 * Keyed by the context's identity string and the caller's flag string, so
 * a repeated read allocates nothing. Bounded: beyond `capacity` remembered
 * entries (contexts plus exposures), contexts not used recently are
 * forgotten (and would be sent again).
 *
 * Eviction is "second chance" (CLOCK), an approximation of least recently
 * used that costs a read one store: a read marks its context `used`;
 * eviction takes contexts in queue order and sends a used one to the back
 * of the queue, unmarked, instead of forgetting it. (Strict LRU moved the
 * context to the back of the `Map` on every read once the cache was full:
 * a delete and an insert per read. The queue is an array, not the `Map`'s
 * own order: finding the oldest entry of a `Map` whose front was deleted
 * skips every deleted entry until the `Map` is rehashed.)
 */
export class DedupeCache {
  private readonly _contexts = new Map<string, SeenContext>();
  /** Contexts in eviction order from `_head` on (earlier slots are spent). */
  private _queue: (SeenContext | undefined)[] = [];
  private _head = 0;
  protected _entries = 0;

  constructor(private readonly _capacity: number) {}

  /** Entries remembered (contexts plus exposures): at most the capacity, or one context's when it alone is larger. */
  get entries(): number {
    return this._entries;
  }

  /** The exposures sent for a context this window, or `undefined` when the context has not been sent. */
  context(id: string): SeenContext | undefined {
    const seen = this._contexts.get(id);
    if (seen !== undefined) seen.used = true;
    return seen;
  }

  /** Remembers a context as sent. */
  addContext(id: string): SeenContext {
    const seen = new SeenContext(id);
    this._contexts.set(id, seen);
    this._queue.push(seen);
    this._entries++;
    this._evict(seen);
    return seen;
  }

  /** Whether the exposure was sent for this context this window. */
  hasExposure(seen: SeenContext, flag: string, code: number): boolean {
    const codes = seen.flags?.get(flag);
    return codes === code || (typeof codes === 'object' && codes.has(code));
  }

  /** Remembers an exposure as sent. */
  addExposure(seen: SeenContext, flag: string, code: number): void {
    const flags = (seen.flags ??= new Map());
    const codes = flags.get(flag);
    if (codes === undefined) flags.set(flag, code);
    else if (typeof codes === 'number') flags.set(flag, new Set([codes, code]));
    else codes.add(code);
    seen.entries++;
    this._entries++;
    this._evict(seen);
  }

  /** A new window. */
  clear(): void {
    this._contexts.clear();
    this._queue = [];
    this._head = 0;
    this._entries = 0;
  }

  /** Forgets contexts beyond capacity, oldest first, giving used ones a second chance; never `keep` (the one being recorded). */
  protected _evict(keep: SeenContext): void {
    const contexts = this._contexts;
    const queue = this._queue;
    while (this._entries > this._capacity && contexts.size > 1) {
      const seen = queue[this._head]!;
      queue[this._head++] = undefined;
      if (seen.used || seen === keep) {
        seen.used = false;
        queue.push(seen);
      } else {
        contexts.delete(seen.id);
        this._entries -= seen.entries;
      }
    }
    // drop the spent front now and then: amortised O(1), and the queue stays within twice the contexts held
    if (this._head > 1024 && this._head * 2 > queue.length) {
      this._queue = queue.slice(this._head);
      this._head = 0;
    }
  }
}
