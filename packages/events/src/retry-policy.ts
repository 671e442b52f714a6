import { backoffDelay, clampDelay } from '@avsb/common';
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
 *
 * How long to wait before a retry: {@link retryDelay}, over `backoffDelay`
 * and `clampDelay` of `@avsb/common`, the one delay policy of every SDK package.
 */
export type Verdict = 'delivered' | 'auth' | 'split' | 'unavailable' | 'server-error' | 'rejected';

const UNAVAILABLE = new Set([408, 429, 502, 503, 504]);

/**
 * The verdict on an attempt: `result` is `undefined` when the transport
 * rejected (no answer); an answer without a status (a broken transport) is
 * taken for none.
 */
export function verdictOf(result: TransportResult | undefined, events: number): Verdict {
  if (typeof result?.status !== 'number') return 'unavailable';
  const status = result.status;
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 401 || status === 403) return 'auth';
  if (status === 413 && events > 1) return 'split';
  if (UNAVAILABLE.has(status)) return 'unavailable';
  if (status >= 500 && status < 600) return 'server-error';
  return 'rejected';
}


/** Whether the server said when to retry (`Retry-After`, already bounded by the transport): then no attempt before it. */
export function serverAsked(retryAfterMs: number | undefined): retryAfterMs is number {
  return typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0;
}

/** The retry delay options of the pipelines (`EventPipelineOptions`, resolved). */
export interface RetryOptions {
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly maxRetryAfterMs: number;
}

/**
 * The wait before retrying after the `failures`-th failed attempt in a row
 * (1 for the first): the server's `Retry-After` up to `maxRetryAfterMs`, else
 * the backoff with jitter; clamped either way.
 */
export function retryDelay(retryAfterMs: number | undefined, failures: number, o: RetryOptions, random: () => number): number {
  return clampDelay(
    serverAsked(retryAfterMs) ? Math.min(retryAfterMs, o.maxRetryAfterMs) : backoffDelay(failures - 1, o.retryInitialDelayMs, o.retryMaxDelayMs, random),
  );
}
