import { expect, it } from 'vitest';
import { Backoff } from './backoff';

it('doubles the ceiling from the initial delay up to the cap, with full jitter', () => {
  const top = new Backoff(1000, 30_000, () => 0.999999);
  const ceilings = Array.from({ length: 8 }, () => top.next());
  expect(ceilings).toEqual([999, 1999, 3999, 7999, 15999, 29999, 29999, 29999]);
  const bottom = new Backoff(1000, 30_000, () => 0);
  expect(bottom.next()).toBe(0);
});

it('starts over after reset', () => {
  const b = new Backoff(1000, 30_000, () => 0.5);
  b.next();
  b.next();
  b.next();
  expect(b.attempts).toBe(3);
  b.reset();
  expect(b.next()).toBe(500);
});
