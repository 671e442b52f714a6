import fc from 'fast-check';
import { expect, it } from 'vitest';
import { MAX_DELAY_MS, MAX_TIMER_MS, clampDelay } from './delay';

it('keeps a delay inside the cap and turns NaN, negative, infinite and huge values into safe ones', () => {
  expect(clampDelay(1_500)).toBe(1_500);
  expect(clampDelay(0)).toBe(0);
  expect(clampDelay(-5)).toBe(0);
  expect(clampDelay(-Infinity)).toBe(0);
  expect(clampDelay(Infinity)).toBe(MAX_DELAY_MS);
  expect(clampDelay(NaN)).toBe(MAX_DELAY_MS);
  expect(clampDelay('5' as unknown as number)).toBe(MAX_DELAY_MS);
  expect(clampDelay(99_999_999_000)).toBe(MAX_DELAY_MS);
  expect(MAX_DELAY_MS).toBe(3_600_000);
});

it('never lets a caller-chosen cap exceed what a timer honours', () => {
  expect(clampDelay(2 ** 40, MAX_TIMER_MS)).toBe(2 ** 31 - 1);
  expect(clampDelay(2 ** 40, 2 ** 50)).toBe(2 ** 31 - 1);
  expect(clampDelay(10, NaN)).toBe(10);
  expect(clampDelay(NaN, -1)).toBe(MAX_DELAY_MS);
  expect(clampDelay(5_000, 1_000)).toBe(1_000);
});

it('always gives a number a timer honours, whatever it is given', () => {
  fc.assert(
    fc.property(fc.oneof(fc.double(), fc.integer()), fc.oneof(fc.double(), fc.constant(undefined)), (ms, max) => {
      const d = clampDelay(ms, max);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(MAX_TIMER_MS);
      expect(Number.isNaN(d)).toBe(false);
    }),
  );
});
