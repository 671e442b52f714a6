/**
 * `@avsb/common`: runtime-neutral basics shared by the A vs B SDK packages
 * (`@avsb/core`, `@avsb/events`). No `node:` imports, no DOM.
 */
export { MAX_DELAY_MS, MAX_TIMER_MS, clampDelay } from './delay';
export { parseRetryAfter } from './retry-after';
export { BACKOFF_DEFAULTS, Backoff, backoffDelay } from './backoff';
export type { BackoffOptions } from './backoff';
