import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival } from './distributions';
import {
  experimentResults,
  type ConversionRow,
  type ExposureRow,
  type TreatmentVariationResult,
  type VariationInfo,
} from './experiment-results';
import { welchTTest } from './tests';

const twoArms: VariationInfo[] = [
  { variation: 0, value: false, weight: 50000 },
  { variation: 1, value: true, weight: 50000 },
];

function* rows<T>(items: T[]): Generator<T> {
  yield* items; // single-pass iterables, as a database cursor would give
}

describe('experimentResults attribution', () => {
  it('counts each context once, in its first variation, from its first exposure on', () => {
    const exposures: ExposureRow[] = [
      { contextKey: 'u1', variation: 0, time: 10 },
      { contextKey: 'u1', variation: 1, time: 20 }, // crossover, ignored
      { contextKey: 'u2', variation: 1, time: 5 },
      { contextKey: 'u3', variation: 0, time: 7 },
      { contextKey: 'u3', variation: 0, time: 3 }, // unsorted input: first exposure at 3
      { contextKey: 'u4', variation: 1, time: 100 },
      { contextKey: 'u4', variation: 0, time: 50 }, // earlier: u4 belongs to variation 0, crossover
      { contextKey: 'u5', variation: 7, time: 1 }, // not in the rollout: ignored
      { contextKey: 'u6', variation: 1, time: NaN }, // no usable time: ignored
    ];
    const conversions: ConversionRow[] = [
      { contextKey: 'u1', time: 15, value: 10 },
      { contextKey: 'u1', time: 25, value: 5 },
      { contextKey: 'u2', time: 4, value: 100 }, // before the exposure
      { contextKey: 'u2', time: 5, value: null }, // at the exposure time: counts, no value
      { contextKey: 'u3', time: 3, value: 2.5 },
      { contextKey: 'u4', time: 60, value: NaN }, // counts as a conversion, value skipped
      { contextKey: 'u5', time: 2, value: 1 },
      { contextKey: 'u7', time: 1, value: 9 }, // never exposed
    ];
    const r = experimentResults('checkout-v2', 'purchase', twoArms, rows(exposures), rows(conversions));
    expect(r.crossovers).toBe(2);
    expect(r.variations[0]).toEqual({
      variation: 0, value: false, weight: 50000, exposed: 3, conversions: 3, conversionRate: 1,
      valueTotal: 17.5, valueMean: 17.5 / 3, isControl: true,
    });
    expect(r.variations[1]).toEqual({
      variation: 1, value: true, weight: 50000, exposed: 1, conversions: 1, conversionRate: 1,
      valueTotal: 0, valueMean: 0,
      // Every context converted in both arms: no variance, so no p-value; the lift is 0 exactly.
      conversion: { lift: 0, liftCI95: [0, 0], pValue: null },
      // One context in the treatment: Welch's test needs two.
      valueStats: { lift: null, liftCI95: null, pValue: null },
    });
    // (3 − 2)²/2 + (1 − 2)²/2 = 1 on 1 degree of freedom.
    expect(r.srm).toEqual({ chiSquare: 1, pValue: chiSquareSurvival(1, 1), mismatch: false });
  });

  it('produces the JSON shape of ADMIN-API.md', () => {
    const r = experimentResults('checkout-v2', 'purchase', twoArms, [], []);
    expect(Object.keys(r)).toEqual(['flag', 'metric', 'variations', 'srm', 'crossovers']);
    expect(Object.keys(r.variations[0]!)).toEqual([
      'variation', 'value', 'weight', 'exposed', 'conversions', 'conversionRate', 'valueTotal', 'valueMean', 'isControl',
    ]);
    expect(Object.keys(r.variations[1]!)).toEqual([
      'variation', 'value', 'weight', 'exposed', 'conversions', 'conversionRate', 'valueTotal', 'valueMean',
      'conversion', 'valueStats',
    ]);
    expect(JSON.parse(JSON.stringify(r))).toEqual({
      flag: 'checkout-v2', metric: 'purchase',
      variations: [
        { variation: 0, value: false, weight: 50000, exposed: 0, conversions: 0, conversionRate: null, valueTotal: 0,
          valueMean: null, isControl: true },
        { variation: 1, value: true, weight: 50000, exposed: 0, conversions: 0, conversionRate: null, valueTotal: 0,
          valueMean: null, conversion: { lift: null, liftCI95: null, pValue: null },
          valueStats: { lift: null, liftCI95: null, pValue: null } },
      ],
      srm: { chiSquare: null, pValue: null, mismatch: false },
      crossovers: 0,
    });
  });

  it('returns empty results for an empty rollout', () => {
    const r = experimentResults('f', 'm', [], [{ contextKey: 'a', variation: 0, time: 1 }], []);
    expect(r).toEqual({ flag: 'f', metric: 'm', variations: [], srm: { chiSquare: null, pValue: null, mismatch: false }, crossovers: 0 });
  });
});

describe('experimentResults statistics', () => {
  // The counts of the ADMIN-API.md example: 100 of 1000 control contexts and 131 of 1012
  // treatment contexts convert, with deterministic purchase values.
  const exposures: ExposureRow[] = [];
  const conversions: ConversionRow[] = [];
  const perContext: number[][] = [[], []];
  for (const [variation, exposed, converted] of [[0, 1000, 100], [1, 1012, 131]] as const) {
    for (let i = 0; i < exposed; i++) {
      const contextKey = `v${variation}-${i}`;
      exposures.push({ contextKey, variation, time: 1000 + i });
      let value = 0;
      if (i < converted) {
        const amount = 20 + ((i * 37) % 61) + variation * 3;
        conversions.push({ contextKey, time: 5000 + i, value: amount });
        if (i % 5 === 0) conversions.push({ contextKey, time: 6000 + i, value: 10 }); // repeat purchase
        if (i % 7 === 0) conversions.push({ contextKey, time: 7000 + i, value: null });
        value = amount + (i % 5 === 0 ? 10 : 0);
      }
      perContext[variation]!.push(value);
    }
  }
  const r = experimentResults('checkout-v2', 'purchase', twoArms, exposures, conversions);
  const treatment = r.variations[1] as TreatmentVariationResult;

  it('tests the conversion rate with the pooled z-test (values from SciPy and R)', () => {
    expect(r.variations.map((v) => [v.exposed, v.conversions])).toEqual([[1000, 100], [1012, 131]]);
    // Row (x1 = 100, n1 = 1000, x2 = 131, n2 = 1012) of fixtures/scipy-reference.json.
    expect(treatment.conversion.pValue).toBeCloseTo(0.03830447670698434, 14);
    expect(treatment.conversion.lift).toBeCloseTo(0.2944664031620552, 14);
    expect(treatment.conversion.liftCI95![0]).toBeCloseTo(-0.022879459845738304, 12);
    expect(treatment.conversion.liftCI95![1]).toBeCloseTo(0.6118122661698486, 12);
  });

  it('compares value per exposed context, zeros included, with Welch', () => {
    const moments = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return [mean, xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1), xs.length] as const;
    };
    const [m1, v1, n1] = moments(perContext[0]!);
    const [m2, v2, n2] = moments(perContext[1]!);
    const expected = welchTTest(m1, v1, n1, m2, v2, n2);
    expect(r.variations[0]!.valueMean).toBeCloseTo(m1, 12);
    expect(treatment.valueMean).toBeCloseTo(m2, 12);
    expect(treatment.valueTotal).toBe(perContext[1]!.reduce((a, b) => a + b, 0));
    expect(treatment.valueStats.pValue).toBeCloseTo(expected.pValue, 12);
    expect(treatment.valueStats.lift).toBeCloseTo(expected.relativeLift, 12);
    expect(treatment.valueStats.liftCI95![0]).toBeCloseTo(expected.liftCI95![0], 12);
  });

  it('checks the sample ratio (ADMIN-API.md example: χ² ≈ 0.07, p ≈ 0.79)', () => {
    // scipy.stats.chisquare([1000, 1012]) → statistic 0.07157057654075547, p 0.7890635999892657.
    expect(r.srm.chiSquare).toBeCloseTo(0.07157057654075547, 14);
    expect(r.srm.pValue).toBeCloseTo(0.7890635999892657, 12);
    expect(r.srm.mismatch).toBe(false);
    const skewed = experimentResults('f', 'm', twoArms, exposures.filter((e) => e.variation === 1 || Number(e.contextKey.split('-')[1]) < 850), []);
    expect(skewed.srm.mismatch).toBe(true);
  });
});

/** Deep equality, numbers within 1e-9 relative (summation order may change the last bits). */
function expectSameResults(actual: unknown, expected: unknown): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object)).toEqual(Object.keys(expected));
    for (const [k, v] of Object.entries(expected)) expectSameResults((actual as Record<string, unknown>)[k], v);
  } else {
    expect(actual).toEqual(expected);
  }
}

describe('experimentResults properties', () => {
  const exposure = fc.record({
    contextKey: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    variation: fc.integer({ min: 0, max: 3 }),
    time: fc.integer({ min: 0, max: 1000 }),
  });
  const conversion = fc.record({
    contextKey: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'z'),
    time: fc.integer({ min: 0, max: 1000 }),
    value: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
  });
  const arms: VariationInfo[] = [0, 1, 2].map((variation) => ({ variation, value: variation, weight: 1 + variation }));

  it('does not depend on the order of the rows (distinct exposure times)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(exposure, { selector: (e) => e.time, maxLength: 30 }),
        fc.array(conversion, { maxLength: 30 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (ex, conv, noise) => {
          const shuffle = <T>(xs: T[]) => xs.map((x) => [noise.next().value as number, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
          const a = experimentResults('f', 'm', arms, ex, conv);
          const b = experimentResults('f', 'm', arms, shuffle(ex), shuffle(conv));
          expectSameResults(b, a);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps counts consistent and p-values in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(exposure, { maxLength: 40 }), fc.array(conversion, { maxLength: 40 }), (ex, conv) => {
        const r = experimentResults('f', 'm', arms, ex, conv);
        const first = new Map<string, ExposureRow>();
        for (const e of ex) if (!first.has(e.contextKey) || e.time < first.get(e.contextKey)!.time) first.set(e.contextKey, e);
        const attributed = [...first.values()].filter((e) => e.variation <= 2).length;
        expect(r.variations.reduce((a, v) => a + v.exposed, 0)).toBe(attributed);
        for (const v of r.variations) {
          expect(v.conversions).toBeLessThanOrEqual(v.exposed);
          if ('conversion' in v) {
            for (const p of [v.conversion.pValue, v.valueStats.pValue]) {
              if (p !== null) expect(p >= 0 && p <= 1).toBe(true);
            }
          }
        }
        expect(r.crossovers).toBeLessThanOrEqual(attributed);
      }),
      { numRuns: 200 },
    );
  });
});
