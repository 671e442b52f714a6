import fc from 'fast-check';
import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { bucketOf } from '@avsb/conformance/murmur3';
import { rawEngine, wasmModule } from './support/wasm';

const enc = new TextEncoder();

function bucketer() {
  const { x } = rawEngine('test');
  return (salt: string, value: string): number => {
    const s = enc.encode(salt);
    const v = enc.encode(value);
    const ptr = x.avsb_input(s.length + v.length) as number;
    const mem = new Uint8Array((x.memory as WebAssembly.Memory).buffer);
    mem.set(s, ptr);
    mem.set(v, ptr + s.length);
    return x.test_bucket(ptr, s.length, ptr + s.length, v.length) as number;
  };
}

it('spreads one million keys uniformly over the buckets (chi-square, 100 cells)', () => {
  const bucket = bucketer();
  const cells = new Array<number>(100).fill(0);
  const n = 1_000_000;
  let outOfRange = 0;
  for (let i = 0; i < n; i++) {
    const b = bucket('checkout-v2', `user-${i}`);
    if (b < 0 || b >= 100000) outOfRange++;
    cells[Math.floor(b / 1000)]!++;
  }
  expect(outOfRange).toBe(0);
  const expected = n / 100;
  const chi2 = cells.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  // 99 degrees of freedom: P(chi2 > 148.2) = 0.001 for a uniform hash
  expect(chi2).toBeLessThan(148.2);
}, 60_000);

it('buckets independently under different salts (chi-square on a 10×10 table)', () => {
  const bucket = bucketer();
  const table = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    const key = `visitor-${i}`;
    table[Math.floor(bucket('flag-a', key) / 10000)]![Math.floor(bucket('flag-b', key) / 10000)]!++;
  }
  const expected = n / 100;
  const chi2 = table.flat().reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  // 81 degrees of freedom: P(chi2 > 126.3) = 0.001 under independence
  expect(chi2).toBeLessThan(126.3);
}, 60_000);

it('buckets uniformly and independently for any two different salts and key shapes (fast-check, fixed seed)', () => {
  const bucket = bucketer();
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 24 }),
      fc.string({ minLength: 1, maxLength: 24 }),
      fc.string({ maxLength: 12 }),
      (saltA, saltB, prefix) => {
        fc.pre(saltA !== saltB);
        const n = 20_000;
        const table = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
        const marginal = new Array<number>(10).fill(0);
        for (let i = 0; i < n; i++) {
          const key = `${prefix}${i}`;
          const a = bucket(saltA, key);
          table[Math.floor(a / 20000)]![Math.floor(bucket(saltB, key) / 20000)]!++;
          marginal[Math.floor(a / 10000)]!++;
        }
        const chi2 = (cells: number[], expected: number) => cells.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
        // 25 cells against known expectations, 24 degrees of freedom: P(chi2 > 66.0) ≈ 1e-5 under independence
        expect(chi2(table.flat(), n / 25)).toBeLessThan(66.0);
        // 9 degrees of freedom: P(chi2 > 40.1) ≈ 1e-5 for a uniform hash
        expect(chi2(marginal, n / 10)).toBeLessThan(40.1);
      },
    ),
    // a fixed seed: the same 25 salt pairs on every run, so the thresholds cannot flake
    { seed: 20261205, numRuns: 25 },
  );
}, 60_000);

function rolloutDatafile(percent: number) {
  return {
    schemaVersion: 1,
    flags: [
      {
        key: 'new-search',
        on: true,
        variations: [false, true],
        fallthrough: {
          rollout: {
            variations: [
              { variation: 1, weight: percent },
              { variation: 0, weight: 100000 - percent },
            ],
          },
        },
      },
    ],
  };
}

it('keeps every context that was in a rollout when it grows from p% to q%', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 100000 }),
      fc.integer({ min: 0, max: 100000 }),
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 50, maxLength: 200 }),
      (a, b, keys) => {
        const [p, q] = a <= b ? [a, b] : [b, a];
        const handles = keys.map((key) => engine.registerContext({ key }));
        engine.load(rolloutDatafile(p));
        const before = handles.map((h) => engine.evaluate(h, 'new-search').value);
        engine.load(rolloutDatafile(q));
        const after = handles.map((h) => engine.evaluate(h, 'new-search').value);
        before.forEach((inRollout, i) => {
          if (inRollout) expect(after[i]).toBe(true);
        });
        handles.forEach((h) => engine.releaseContext(h));
      },
    ),
    { numRuns: 200 },
  );
});

it('hashes salt ":" value exactly as MurmurHash3 of the concatenation, for every split of the 4-byte blocks (fast-check, fixed seed)', () => {
  const bucket = bucketer();
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (salt, value) => {
      expect(bucket(salt, value)).toBe(bucketOf(salt, value).bucket);
    }),
    { seed: 9, numRuns: 3000 },
  );
});
