/** One engine handle held by an object that should release it (a scoped client). */
export interface Watch {
  /** The holder, until the registry watches it (the registry holds it weakly; this must not). */
  holder: object | null;
  readonly handle: number;
  /** Released by its holder. */
  released: boolean;
  /** In the FinalizationRegistry (so releasing must unregister it). */
  registered: boolean;
}

/** Holders not released after this many later watches are handed to the FinalizationRegistry together. */
export const BATCH = 256;

/**
 * Releases the handles of scoped clients the application forgot to close
 * (a backstop: `close()`, `using` and the adapters release them at the end
 * of each request).
 *
 * Registering every client with a `FinalizationRegistry` and unregistering
 * it on `close()` cost about 160 ns a request, most of a request's
 * overhead. Most clients are closed within the same request, so a client
 * is first only noted (an array push), and every {@link BATCH} clients
 * those still open are registered together; closed ones are simply
 * skipped. Until then a forgotten client stays reachable from here: at
 * most BATCH of them, released once later ones arrive.
 */
export class ReleaseBackstop {
  private readonly _registry: FinalizationRegistry<number>;
  private _young: Watch[] = [];

  constructor(release: (handle: number) => void) {
    this._registry = new FinalizationRegistry<number>((handle) => {
      try {
        release(handle);
      } catch {
        // best effort
      }
    });
  }

  /** Starts watching `holder`, which holds `handle`; give the result to {@link released} when it releases it. */
  watch(holder: object, handle: number): Watch {
    const watch: Watch = { holder, handle, released: false, registered: false };
    const young = this._young;
    young.push(watch);
    if (young.length >= BATCH) this._register(young);
    return watch;
  }

  /** The holder released its handle itself: nothing to do for it any more. */
  released(watch: Watch): void {
    watch.released = true;
    watch.holder = null;
    if (watch.registered) this._registry.unregister(watch);
  }

  private _register(young: Watch[]): void {
    this._young = [];
    for (const watch of young) {
      const holder = watch.holder;
      if (watch.released || holder === null) continue;
      this._registry.register(holder, watch.handle, watch);
      watch.registered = true;
      watch.holder = null;
    }
  }
}

/** A backstop where the runtime has `FinalizationRegistry`, else `null` (handles are then released only by `close()`). */
export function releaseBackstop(release: (handle: number) => void): ReleaseBackstop | null {
  return typeof FinalizationRegistry === 'function' ? new ReleaseBackstop(release) : null;
}
