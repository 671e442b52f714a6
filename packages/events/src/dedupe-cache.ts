/** What a context was seen with for one flag: one code, or several. A code packs a variation and the in-experiment bit. */
type Seen = number | Set<number>;

/** The exposures remembered for one context: flag → codes. */
export type SeenFlags = Map<string, Seen>;

/** The code of an exposure: `null` (the default served) and each variation index, each in or out of experiment. */
export function exposureCode(variation: number | null, inExperiment: boolean): number {
  return ((variation === null ? 0 : variation + 1) << 1) | (inExperiment ? 1 : 0);
}

/**
 * What one flush window has already sent: each context (its `context`
 * event) and, per context, each (flag, variation, in-experiment) exposure.
 * Keyed by the context's identity string and the caller's flag string, so
 * a repeated read allocates nothing. Bounded: beyond `capacity` remembered
 * entries (contexts plus exposures), the least recently used contexts are
 * forgotten (and would be sent again).
 */
export class DedupeCache {
  private readonly _contexts = new Map<string, SeenFlags>();
  private _entries = 0;

  constructor(private readonly _capacity: number) {}

  /** The exposures sent for a context this window, or `undefined` when the context has not been sent. */
  context(id: string): SeenFlags | undefined {
    const flags = this._contexts.get(id);
    if (flags !== undefined && this._entries >= this._capacity) this._touch(id, flags);
    return flags;
  }

  /** Remembers a context as sent. */
  addContext(id: string): SeenFlags {
    const flags: SeenFlags = new Map();
    this._contexts.set(id, flags);
    this._entries++;
    this._evict();
    return flags;
  }

  /** Whether the exposure was sent for this context this window. */
  hasExposure(flags: SeenFlags, flag: string, code: number): boolean {
    const seen = flags.get(flag);
    return seen === code || (typeof seen === 'object' && seen.has(code));
  }

  /** Remembers an exposure as sent. */
  addExposure(id: string, flags: SeenFlags, flag: string, code: number): void {
    const seen = flags.get(flag);
    if (seen === undefined) flags.set(flag, code);
    else if (typeof seen === 'number') flags.set(flag, new Set([seen, code]));
    else seen.add(code);
    this._entries++;
    if (this._entries > this._capacity) {
      this._touch(id, flags);
      this._evict();
    }
  }

  /** A new window. */
  clear(): void {
    this._contexts.clear();
    this._entries = 0;
  }

  /** Makes a context the most recently used (a `Map` iterates in insertion order). */
  private _touch(id: string, flags: SeenFlags): void {
    this._contexts.delete(id);
    this._contexts.set(id, flags);
  }

  /** Forgets the least recently used contexts beyond capacity (never the last one left). */
  private _evict(): void {
    while (this._entries > this._capacity && this._contexts.size > 1) {
      const oldest = this._contexts.entries().next().value!;
      this._contexts.delete(oldest[0]);
      let entries = 1;
      for (const seen of oldest[1].values()) entries += typeof seen === 'number' ? 1 : seen.size;
      this._entries -= entries;
    }
  }
}
