import { describe, expect, it } from 'vitest';
import { packedReasonKind, packedVariation } from '../src/index';
import { rawEngine } from './support/wasm';

// A multi-kind context that names one of the datafile's kinds twice is
// refused: its second object would overwrite the first's slots. Kinds were
// once checked in a 64-bit set, so a kind past index 63 (a datafile may
// have up to 16,384, SPEC.md §10) went unchecked.

const KINDS = 100;

/** A datafile whose rules name "user" and k0 … k{KINDS - 2}: kind indexes 0 … KINDS - 1. */
const datafile = JSON.stringify({
  schemaVersion: 1,
  flags: [
    {
      key: 'f',
      on: true,
      variations: [false, true],
      offVariation: 0,
      rules: Array.from({ length: KINDS - 1 }, (_, i) => ({
        id: `r${i}`,
        clauses: [{ contextKind: `k${i}`, attribute: 'key', op: 'in', values: ['x'] }],
        serve: { variation: 1 },
      })),
      fallthrough: { variation: 0 },
    },
  ],
});

describe.each(['release', 'debug'] as const)('a multi-kind context naming a kind twice (%s)', (binary) => {
  const engine = () => {
    const raw = rawEngine(binary);
    expect(raw.x.avsb_load(raw.put(datafile)), raw.error()).toBe(0);
    return raw;
  };

  // JSON.stringify writes each member once: the duplicate is spelt out
  const twice = (kind: string) => `{"kind":"multi","user":{"key":"u"},"${kind}":{"key":"a"},"${kind}":{"key":"x"}}`;

  it.each(['k5', 'k70', `k${KINDS - 2}`, 'user'])('is refused for %s, whatever its index', (kind) => {
    const { x, put, error } = engine();
    const context = kind === 'user' ? '{"kind":"multi","user":{"key":"a"},"k0":{"key":"o"},"user":{"key":"x"}}' : twice(kind);
    expect(x.avsb_ctx_create(put(context))).toBe(-2);
    expect(error()).toBe(`context.${kind}: appears twice`);
  });

  it('is registered when each kind appears once, and a kind past index 63 matches', () => {
    const { x, put, error } = engine();
    const h = x.avsb_ctx_create(put('{"kind":"multi","user":{"key":"u"},"k70":{"key":"x"},"k5":{"key":"y"}}')) as number;
    expect(h, error()).toBeGreaterThan(0);
    // rule 70 (kind k70, key "x") serves variation 1
    const packed = x.avsb_eval(h, 0) as number;
    expect([packedVariation(packed), packedReasonKind(packed)]).toEqual([1, 'RULE_MATCH']);
  });

  it('is not checked for kinds the datafile never names (their objects fill no slots)', () => {
    const { x, put, error } = engine();
    expect(x.avsb_ctx_create(put(twice('other'))), error()).toBeGreaterThan(0);
  });
});
