import { expect, it } from 'vitest';
import { MAX_DELAY_MS } from './delay';
import { parseRetryAfter } from './retry-after';

it('reads delta-seconds and HTTP dates as milliseconds from now', () => {
  expect(parseRetryAfter('7', 0)).toBe(7_000);
  expect(parseRetryAfter(' 2.5 ', 0)).toBe(2_500);
  expect(parseRetryAfter('0', 0)).toBe(0);
  expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000)).toBe(6_000);
  expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 60_000)).toBe(0);
});

it('bounds a huge delay or a far-future date by MAX_DELAY_MS', () => {
  expect(parseRetryAfter('99999999', 0)).toBe(MAX_DELAY_MS);
  expect(parseRetryAfter('1e400', 0)).toBeUndefined();
  expect(parseRetryAfter('9'.repeat(40), Date.now())).toBe(MAX_DELAY_MS);
  expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', Date.now())).toBe(MAX_DELAY_MS);
});

it('gives undefined for a missing or unreadable header, so the caller backs off on its own', () => {
  expect(parseRetryAfter(null, 0)).toBeUndefined();
  expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  expect(parseRetryAfter('', 0)).toBeUndefined();
  expect(parseRetryAfter('soon', 0)).toBeUndefined();
  expect(parseRetryAfter('-5', 0)).toBeUndefined();
  expect(parseRetryAfter(`${'1'.repeat(100)}`, 0)).toBeUndefined();
});
