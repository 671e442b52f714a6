import type { TransportResult } from './platform';

/**
 * What to do with a batch after an attempt:
 *
 * | answer | verdict |
 * |---|---|
 * | 2xx | `delivered` |
 * | 401, 403 | `auth`: stop sending for good |
 * | 413 (more than one event) | `split` in two halves |
 * | no answer (network error, timeout), 408, 429, 502, 503, 504 | `unavailable`: retry, however long it takes |
 * | other 5xx | `server-error`: retry up to `maxAttempts`, then drop |
 * | other 4xx and anything else (413 of one event) | `rejected`: drop now |
 */
export type Verdict = 'delivered' | 'auth' | 'split' | 'unavailable' | 'server-error' | 'rejected';

const UNAVAILABLE = new Set([408, 429, 502, 503, 504]);

/** The verdict on an attempt: `result` is `undefined` when the transport rejected (no answer). */
export function verdictOf(result: TransportResult | undefined, events: number): Verdict {
  if (result === undefined) return 'unavailable';
  const status = typeof result.status === 'number' ? result.status : 0;
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 401 || status === 403) return 'auth';
  if (status === 413 && events > 1) return 'split';
  if (UNAVAILABLE.has(status)) return 'unavailable';
  if (status >= 500 && status < 600) return 'server-error';
  return 'rejected';
}

/**
 * The delay before retry number `failures` (1 for the first): exponential,
 * `initialMs × 2^(failures−1)` capped at `maxMs`, with jitter that keeps it
 * in `(d/2, d]` so that many clients failing together do not retry together.
 */
export function retryDelay(failures: number, initialMs: number, maxMs: number, random: () => number): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const base = Math.min(maxMs, initialMs * 2 ** exponent);
  return base - (base / 2) * random();
}
