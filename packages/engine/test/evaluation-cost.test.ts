import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packedVariation } from '../src/evaluation';
import { rawEngine } from './support/wasm';

// The cost of one evaluation is bounded within SPEC.md §10's limits: string
// operators are linear, a regex clause has a step budget, and a pattern over
// its size limit is refused before it is parsed. These tests drive the
// release binary; the quadratic `contains` it replaced took 38 s on the first.

type Op = 'contains' | 'matches' | 'startsWith' | 'endsWith';

/** One flag: variation 1 when `attr <op> values` (optionally negated) matches, else 0. */
function oneClause(op: Op, values: string[], negate = false) {
  return {
    schemaVersion: 1,
    flags: [
      {
        key: 'f',
        on: true,
        variations: [false, true],
        offVariation: 0,
        rules: [{ clauses: [{ attribute: 'a', op, values, negate }], serve: { variation: 1 } }],
        fallthrough: { variation: 0 },
      },
    ],
  };
}

/** Loads the datafile and evaluates flag 0 for `{ key: 'u', a: attr }`: the variation served. */
function evaluate(engine: ReturnType<typeof rawEngine>, datafile: object, attr: string): number {
  const { x, put, error } = engine;
  expect(x.avsb_load(put(JSON.stringify(datafile))), error()).toBe(0);
  const h = x.avsb_ctx_create(put(JSON.stringify({ key: 'u', a: attr })));
  expect(h, error()).toBeGreaterThan(0);
  const variation = packedVariation(x.avsb_eval(h, 0));
  x.avsb_ctx_release(h);
  return variation;
}

describe('contains', () => {
  it('finds a 100,000-byte value in a 1,000,000-byte attribute in linear time', () => {
    const engine = rawEngine('release');
    const needle = 'a'.repeat(99_999) + 'b';
    const hay = 'a'.repeat(1_000_000);
    expect(evaluate(engine, oneClause('contains', [needle]), hay)).toBe(0);
    expect(evaluate(engine, oneClause('contains', [needle]), hay.slice(needle.length) + needle)).toBe(1);
    expect(evaluate(engine, oneClause('contains', ['ab'.repeat(49_999) + 'aa']), 'ab'.repeat(499_999) + 'b')).toBe(0);
  }, 20_000);

  it('agrees with String.includes on random texts (periodic needles, UTF-8)', () => {
    const engine = rawEngine('release');
    const unit = fc.constantFrom('a', 'b', 'c', 'é', '😀');
    const text = fc.string({ unit, maxLength: 40 });
    // needles are often cut out of the text, so matches are frequent
    const pair = fc.tuple(text, fc.nat(), fc.nat()).chain(([s, i, j]) =>
      fc.oneof(fc.constant([s, s.slice(i % (s.length + 1), (i % (s.length + 1)) + (j % 9))]), fc.tuple(fc.constant(s), text)),
    );
    fc.assert(
      fc.property(pair, ([hay, needle]) => {
        const expected = Buffer.from(hay).includes(Buffer.from(needle)) ? 1 : 0;
        expect(evaluate(engine, oneClause('contains', [needle]), hay)).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('matches', () => {
  it('answers (?:a{1000}){4}b against a 1,000,000-byte attribute: no match, negated or not', () => {
    const engine = rawEngine('release');
    const hay = 'a'.repeat(1_000_000);
    expect(evaluate(engine, oneClause('matches', ['(?:a{1000}){4}b']), hay)).toBe(0);
    // the budget ran out: nothing was decided, so the negated clause does not match either
    expect(evaluate(engine, oneClause('matches', ['(?:a{1000}){4}b'], true), hay)).toBe(0);
    // an array attribute shares the clause's budget: 100 items of 10,000 bytes end as quickly
    const { x, put, error } = engine;
    expect(x.avsb_load(put(JSON.stringify(oneClause('matches', ['(?:a{1000}){4}b'], true))))).toBe(0);
    const h = x.avsb_ctx_create(put(JSON.stringify({ key: 'u', a: Array.from({ length: 100 }, () => 'a'.repeat(10_000)) })));
    expect(h, error()).toBeGreaterThan(0);
    expect(packedVariation(x.avsb_eval(h, 0))).toBe(0);
  }, 20_000);

  it('still finds literal-led patterns anywhere in a 1,000,000-byte attribute', () => {
    const engine = rawEngine('release');
    const hay = 'x'.repeat(999_990) + 'user@b.io';
    expect(evaluate(engine, oneClause('matches', ['@b\\.io$']), hay)).toBe(1);
    expect(evaluate(engine, oneClause('matches', ['(?i)USER@']), 'é'.repeat(400_000) + hay.slice(800_000))).toBe(1);
    expect(evaluate(engine, oneClause('matches', ['@c\\.io$']), hay)).toBe(0);
    expect(evaluate(engine, oneClause('matches', ['@c\\.io$'], true), hay)).toBe(1);
  }, 20_000);

  it.each([10, 60])('refuses a %i MiB pattern before compiling it, without growing memory with it', (mib) => {
    const engine = rawEngine('release');
    const pattern = 'a'.repeat(mib << 20);
    const { x, put, error, memoryBytes } = engine;
    const status = x.avsb_load(put(JSON.stringify(oneClause('matches', [pattern]))));
    if (status === 0) {
      // loaded with the clause as a warning: it never matches
      const h = x.avsb_ctx_create(put(JSON.stringify({ key: 'u', a: 'a' })));
      expect(packedVariation(x.avsb_eval(h, 0))).toBe(0);
    } else {
      expect(error()).toContain('pattern too large');
    }
    // the input buffer and the decoded string (UTF-16) are all it costs; parsing it took 1.2 GiB for 10 MiB
    expect(memoryBytes()).toBeLessThan(4 * (mib << 20) + (16 << 20));
  }, 60_000);
});
