import { expect, it } from 'vitest';
import { Backoff, backoffDelay, backoffFigures } from './backoff';

it('doubles from 1 s up to 30 s, and jitter keeps more than half of each delay', () => {
  const top = new Backoff({ random: () => 0 });
  expect(Array.from({ length: 8 }, () => top.next())).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  const bottom = new Backoff({ random: () => 0.999999 });
  const low = Array.from({ length: 6 }, () => bottom.next());
  expect(low[0]).toBeGreaterThan(500);
  expect(low[5]).toBeGreaterThan(15_000);
});

it('keeps a delay positive even with a broken random source', () => {
  expect(backoffDelay(0, 1000, 30_000, () => NaN)).toBe(750);
  expect(backoffDelay(0, 1000, 30_000, () => 7)).toBe(750);
  expect(backoffDelay(0, 1000, 30_000, () => -1)).toBe(750);
  expect(backoffDelay(99, 1000, 30_000, () => 0)).toBe(30_000);
});

it('starts over only after a connection stayed up 60 s', () => {
  let now = 0;
  const b = new Backoff({ random: () => 0, now: () => now });
  b.next();
  b.next();
  b.next();
  // up for 59.9 s: the next failure keeps doubling
  b.connected();
  now += 59_900;
  expect(b.next()).toBe(8_000);
  // up for 60 s: the sequence starts over
  b.connected();
  now += 60_000;
  expect(b.next()).toBe(1_000);
  expect(b.attempts).toBe(1);
});

it('measures up-time from the first connected() of a connection', () => {
  let now = 0;
  const b = new Backoff({ random: () => 0, now: () => now });
  b.next();
  b.connected();
  now += 40_000;
  b.connected(); // a second good datafile on the same connection does not restart the clock
  now += 20_000;
  expect(b.next()).toBe(1_000);
});

it('starts over at once after reset', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 400, random: () => 0 });
  expect([b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 400]);
  b.reset();
  expect(b.next()).toBe(100);
});

it('takes its figures as a server stream reads them: defaults for what is not a positive number, the longest never under the first', () => {
  expect(backoffFigures({})).toEqual({ initialMs: 1_000, maxMs: 30_000 });
  expect(backoffFigures({ initialMs: 0, maxMs: -5 })).toEqual({ initialMs: 1_000, maxMs: 30_000 });
  expect(backoffFigures({ initialMs: 5_000, maxMs: 2_000 })).toEqual({ initialMs: 5_000, maxMs: 5_000 });
  expect(backoffFigures({ initialMs: Number.NaN, maxMs: 1e12 })).toEqual({ initialMs: 1_000, maxMs: 3_600_000 });
});
