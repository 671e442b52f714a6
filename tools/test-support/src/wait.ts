// Test support: waiting for something that happens asynchronously (a delivery, a reconnect) by polling.

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every 20 ms until it returns a truthy value, which it resolves with; rejects after `timeoutMs`
 * (generous by default: the tests run on a loaded 2-core machine) naming `what` it waited for.
 */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Resolves once every timer this process armed before the call for at most `ms` has fired, with what each did at once
 * (such as the fetch it called) and the promise chains it started: Node runs its timers in the order they fall due,
 * however late a loaded machine runs them, and the microtasks of each before the next. A signal of order for an SDK
 * whose timers the test cannot hold, when its next step would be taken on a timer armed before this call (see what
 * it did through its own fetch, not through a server, which the request may not have reached yet).
 */
export const timersDue = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms + 1));
