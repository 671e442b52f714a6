/**
 * The longest delay a JavaScript timer honours: 2^31−1 ms (about 24.8 days).
 * Node, browsers and most edge runtimes fire a `setTimeout` above it after
 * 1 ms, so an unclamped huge delay becomes a tight loop.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The longest retry, reconnection or polling delay the SDKs schedule: one
 * hour. A `Retry-After` asking for longer (or an HTTP date years ahead) is
 * honoured for one hour, then the SDK tries again.
 */
export const MAX_DELAY_MS = 3_600_000;

/**
 * The one place every delay goes through before it reaches a timer.
 *
 * | `ms` | result |
 * |---|---|
 * | a number in `[0, maxMs]` | `ms` |
 * | above `maxMs`, `Infinity` | `maxMs` |
 * | negative, `-Infinity` | `0` |
 * | `NaN`, not a number | `maxMs` (an unknown delay must never become a tight loop) |
 *
 * `maxMs` defaults to {@link MAX_DELAY_MS} and is itself never above
 * {@link MAX_TIMER_MS}; pass `MAX_TIMER_MS` for a delay the application chose
 * (such as a time limit it awaits) rather than a retry.
 */
export function clampDelay(ms: number, maxMs: number = MAX_DELAY_MS): number {
  const cap = typeof maxMs === 'number' && maxMs >= 0 ? Math.min(maxMs, MAX_TIMER_MS) : MAX_DELAY_MS;
  if (typeof ms !== 'number' || Number.isNaN(ms)) return cap;
  if (ms <= 0) return 0;
  return ms >= cap ? cap : ms;
}
