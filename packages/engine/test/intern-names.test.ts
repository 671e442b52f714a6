import { describe, expect, it } from 'vitest';
import { rawEngine } from './support/wasm';

// A JSON datafile's context kinds and attribute references are interned
// (ruleset/interner.ts) into the numbers each context is indexed by. Found by
// comparing a new name with every name interned so far, they made a load
// quadratic in distinct names: 25,000 attributes (1.2 MB) took 1.0 s,
// 100,000 (4.8 MB, well within the 64 MiB limit) 50 s. The test binary
// counts the names interning compares, so a load is held to a number of
// comparisons per reference, not to a time.

/** Comparisons per reference a hashed lookup stays within (it averages under 2). */
const PER_REFERENCE = 4;

/** One flag whose rules hold `clauses`, one clause each, every clause listed `times` times. */
function datafile(clauses: { contextKind?: string; attribute: string }[], times = 1): string {
  const rules = Array.from({ length: times }, () => clauses)
    .flat()
    .map((c, i) => ({ id: `r${i}`, clauses: [{ ...c, op: 'in', values: ['x'] }], serve: { variation: 1 } }));
  return JSON.stringify({
    schemaVersion: 1,
    flags: [{ key: 'f', on: true, variations: [false, true], offVariation: 0, rules, fallthrough: { variation: 0 } }],
  });
}

const names = (n: number, name: (i: number) => { contextKind?: string; attribute: string }) =>
  Array.from({ length: n }, (_, i) => name(i));

/** Loads `json` on the test binary: its status, error and the names compared. */
function load(json: string) {
  const { x, put, error } = rawEngine('test');
  x.test_name_comparisons();
  const status = x.avsb_load(put(json)) as number;
  return { status, error: error(), compared: x.test_name_comparisons() as number };
}

describe('interning a datafile’s kinds and attribute names', () => {
  it('compares a bounded number of names per reference: 16,000 attributes, each named twice', () => {
    const { status, compared } = load(datafile(names(16_000, (i) => ({ attribute: `a${i}` })), 2));
    expect(status).toBe(0);
    expect(compared).toBeLessThanOrEqual(PER_REFERENCE * 32_000);
  });

  it('and per kind: 16,000 context kinds, each named twice', () => {
    const { status, compared } = load(datafile(names(16_000, (i) => ({ contextKind: `k${i}`, attribute: 'key' })), 2));
    expect(status).toBe(0);
    expect(compared).toBeLessThanOrEqual(PER_REFERENCE * 32_000);
  });

  it('and per path component: 8,000 nested attributes of one object', () => {
    const { status, compared } = load(datafile(names(8_000, (i) => ({ attribute: `/o/a${i}` }))));
    expect(status).toBe(0);
    expect(compared).toBeLessThanOrEqual(PER_REFERENCE * 2 * 8_000);
  });

  it('refuses a datafile over the slot limit after as few: 40,000 attributes', () => {
    const { status, error, compared } = load(datafile(names(40_000, (i) => ({ attribute: `a${i}` }))));
    expect(status).toBe(2);
    expect(error).toBe('datafile: 1 kinds × 40001 attributes: over 16384 pairs');
    expect(compared).toBeLessThanOrEqual(PER_REFERENCE * 40_000);
  });
});
