// Test support: timers held on a clock of the test's own, for the SDK parts that take their timers from an injected
// platform. A test that shows something did NOT happen by a deadline advances this clock past the deadline instead of
// waiting in wall time, which a loaded machine stretches until the wrongly-sent request has not been sent yet.

/** The timers of a platform: core's `Platform` and the event pipeline's `EventPlatform` both have this shape. */
export interface TimerFunctions {
  setTimeout(callback: () => void, ms: number, keepAlive?: boolean): unknown;
  clearTimeout(handle: unknown): void;
}

/** A held timer: the delay it was armed with and its `keepAlive`. */
export interface HeldTimer {
  readonly ms: number;
  readonly keepAlive: boolean | undefined;
}

/** Timers held by {@link holdTimers}, on a clock that moves only when the test says. */
export interface HeldTimers {
  /** `platform` with its timers held (those `hold` picks; the others run on the platform as before). */
  wrap<P extends TimerFunctions>(platform: P): P;
  /** The held timers neither fired nor cleared, in the order they fall due. */
  readonly armed: readonly HeldTimer[];
  /**
   * Moves the clock `ms` on, firing in order every held timer that falls due meanwhile, including those armed by the
   * callbacks it fires (what a callback starts asynchronously, such as a request, arms its timers later).
   */
  advance(ms: number): void;
  /** Fires every held timer armed so far (not those its callbacks arm), whatever its delay, in the order they fall due. */
  fire(): void;
}

interface Entry {
  readonly callback: () => void;
  readonly ms: number;
  readonly keepAlive: boolean | undefined;
  readonly due: number;
  /** Arming order, which breaks ties of `due` as a runtime does. */
  readonly seq: number;
}

/** Holds the timers whose delay `hold` picks (all by default) until the test advances the clock or fires them. */
export function holdTimers(hold: (ms: number) => boolean = () => true): HeldTimers {
  const held = new Map<object, Entry>();
  // every handle this made, fired or not: clearing one never reaches the platform
  const ours = new WeakSet<object>();
  let now = 0;
  let seq = 0;
  const pending = () => [...held.entries()].sort(([, a], [, b]) => a.due - b.due || a.seq - b.seq);
  const run = (until: number) => {
    for (;;) {
      const next = pending()[0];
      if (next === undefined || next[1].due > until) break;
      held.delete(next[0]);
      now = Math.max(now, next[1].due);
      next[1].callback();
    }
    now = Math.max(now, until);
  };
  return {
    wrap: <P extends TimerFunctions>(platform: P): P => ({
      ...platform,
      setTimeout(callback: () => void, ms: number, keepAlive?: boolean) {
        if (!hold(ms)) return platform.setTimeout(callback, ms, keepAlive);
        const handle = {};
        ours.add(handle);
        held.set(handle, { callback, ms, keepAlive, due: now + ms, seq: seq++ });
        return handle;
      },
      clearTimeout(handle: unknown) {
        if (typeof handle === 'object' && handle !== null && ours.has(handle)) held.delete(handle);
        else platform.clearTimeout(handle);
      },
    }),
    get armed() {
      return pending().map(([, { ms, keepAlive }]) => ({ ms, keepAlive }));
    },
    advance: (ms) => run(now + ms),
    fire() {
      for (const [handle, entry] of pending()) {
        if (!held.delete(handle)) continue; // cleared by a callback fired before it
        now = Math.max(now, entry.due);
        entry.callback();
      }
    },
  };
}
