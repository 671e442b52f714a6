import { MAX_DELAY_MS, clampDelay } from './delay';

/** Delta-seconds (`120`, also `2.5`). */
const SECONDS = /^\d+(\.\d+)?$/;

/** Every HTTP date form starts with a day name (`Sun, 06 Nov 1994 …`); `Date.parse` alone also reads `-5` as a year. */
const HTTP_DATE = /^[A-Za-z]{3}/;

/** Longer headers are not parsed: no real `Retry-After` (seconds or an IMF date) is this long. */
const MAX_HEADER_LENGTH = 64;

/**
 * A `Retry-After` header as milliseconds to wait from `nowMs` (epoch
 * milliseconds): delta-seconds or an HTTP date, bounded by
 * {@link MAX_DELAY_MS} (a date in the past is `0`). `undefined` when the
 * header is missing or unreadable, so the caller's own backoff applies.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (typeof header !== 'string') return undefined;
  const text = header.trim();
  if (text === '' || text.length > MAX_HEADER_LENGTH) return undefined;
  if (SECONDS.test(text)) return clampDelay(Number(text) * 1000, MAX_DELAY_MS);
  const date = HTTP_DATE.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(date)) return undefined;
  const now = typeof nowMs === 'number' && Number.isFinite(nowMs) ? nowMs : 0;
  return clampDelay(date - now, MAX_DELAY_MS);
}
