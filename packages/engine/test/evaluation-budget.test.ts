import { describe, expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { packedDetail, packedReason, packedVariation } from '../src/evaluation';
import { bigDatafile, guideDatafile } from './support/fixtures';
import { rawEngine, wasmModule } from './support/wasm';

// One evaluation has a work budget (SPEC.md §10, ABI.md "Work budget"): the
// worst datafile and context within the documented limits end, quickly, as
// ERROR / EVALUATION_BUDGET, the same in every binary, and counted.

/** `ERROR` / `EVALUATION_BUDGET`, no variation. */
const BUDGET_RESULT = 0x65fff;
const MB = 1_000_000;

type Raw = ReturnType<typeof rawEngine>;
type Clause = { attribute?: string; op: string; values: unknown[]; negate?: boolean };

function flag(key: string, rules: { clauses: Clause[] }[], extra: object = {}) {
  return { key, on: true, variations: [false, true], offVariation: 0, rules: rules.map((r) => ({ ...r, serve: { variation: 1 } })), fallthrough: { variation: 0 }, ...extra };
}

/** Loads `flags`, registers `context`, evaluates flag `index` (default: the last). */
function evaluate(raw: Raw, flags: object[], context: object, index = flags.length - 1): number {
  const { x, put, error } = raw;
  expect(x.avsb_load(put(JSON.stringify({ schemaVersion: 1, flags }))), error()).toBe(0);
  expect(x.avsb_warning_count()).toBe(0);
  const h = x.avsb_ctx_create(put(JSON.stringify(context)));
  expect(h, error()).toBeGreaterThan(0);
  const result = x.avsb_eval(h, index) >>> 0;
  x.avsb_ctx_release(h);
  return result;
}

const counts = (raw: Raw) => [raw.x.avsb_budget_exhaustions() >>> 0, raw.x.avsb_regex_budget_exhaustions() >>> 0];

/** 300 `contains` values of 100,000 bytes that are not in the attribute: ~0.6 GB compared without a budget. */
const manyContains = [flag('f', [{ clauses: [{ attribute: 'a', op: 'contains', values: Array.from({ length: 300 }, (_, i) => 'a'.repeat(99_999 - i) + 'b') }] }])];

describe.each(['release', 'debug'] as const)('the %s binary', (binary) => {
  it('ends many contains values against a 1,000,000-byte attribute as EVALUATION_BUDGET, negated or not', () => {
    const raw = rawEngine(binary);
    const hay = { key: 'u', a: 'a'.repeat(MB) };
    expect(evaluate(raw, manyContains, hay)).toBe(BUDGET_RESULT);
    const negated = [flag('f', [{ clauses: [{ ...manyContains[0]!.rules[0]!.clauses[0]!, negate: true }] }])];
    expect(evaluate(raw, negated, hay)).toBe(BUDGET_RESULT);
    expect(counts(raw)).toEqual([2, 0]);
  }, 30_000);

  it('ends many expensive matches rules as EVALUATION_BUDGET after the first clause ran out of its own steps', () => {
    const raw = rawEngine(binary);
    const rules = Array.from({ length: 100 }, () => ({ clauses: [{ attribute: 'a', op: 'matches', values: ['(?:a{1000}){4}b'] }] }));
    expect(evaluate(raw, [flag('f', rules)], { key: 'u', a: 'a'.repeat(MB) })).toBe(BUDGET_RESULT);
    // the first clause ran out of its 2^18 steps (no match, counted); the second, of what the evaluation had left
    expect(counts(raw)).toEqual([1, 1]);
    // one such rule alone fits: the clause does not match and the flag falls through
    expect(packedReason(evaluate(raw, [flag('f', rules.slice(0, 1))], { key: 'u', a: 'a'.repeat(MB) }))).toBe(4);
    expect(counts(raw)).toEqual([1, 2]);
  }, 30_000);

  it('evaluates each prerequisite once per evaluation: 64 levels that each name the level below twice (2^64 paths)', () => {
    const raw = rawEngine(binary);
    const flags = Array.from({ length: 64 }, (_, i) => ({
      key: `f${i}`, on: true, variations: [0, 1], fallthrough: { variation: i === 0 ? 0 : 1 },
      prerequisites: i === 0 ? [] : [{ key: `f${i - 1}`, variation: i === 1 ? 0 : 1 }, { key: `f${i - 1}`, variation: i === 1 ? 0 : 1 }],
    }));
    expect(evaluate(raw, flags, { key: 'u' })).toBe(0x4001); // FALLTHROUGH, variation 1: every level passed
    expect(counts(raw)).toEqual([0, 0]);
  });

  it('ends a flag with 200,000 prerequisite entries as EVALUATION_BUDGET, and a flag that needs it too', () => {
    const raw = rawEngine(binary);
    const p = { key: 'p', on: true, variations: [0, 1], fallthrough: { variation: 0 } };
    const wide = { key: 'wide', on: true, variations: [0, 1], fallthrough: { variation: 1 }, prerequisites: Array.from({ length: 200_000 }, () => ({ key: 'p', variation: 0 })) };
    const top = { key: 'top', on: true, variations: [0, 1], offVariation: 0, fallthrough: { variation: 1 }, prerequisites: [{ key: 'wide', variation: 1 }] };
    expect(evaluate(raw, [p, wide], { key: 'u' })).toBe(BUDGET_RESULT);
    // not PREREQUISITE_FAILED (which would serve offVariation 0 as though `wide` had been evaluated)
    expect(evaluate(raw, [p, wide, top], { key: 'u' })).toBe(BUDGET_RESULT);
    expect(counts(raw)).toEqual([2, 0]);
    // 100,000 entries fit: 128 for p, then 32 per repeated name
    expect(evaluate(raw, [p, { ...wide, prerequisites: wide.prerequisites.slice(0, 100_000) }], { key: 'u' })).toBe(0x4001);
  });

  it('charges exactly the documented units: 2,043 values fit, 2,044 run out', () => {
    // flag 128 + rule 64 + clause 64, then per contains value 32 + 2 × (1,000 + 10) = 2,052 units;
    // 256 + 2,043 × 2,052 = 4,192,492 ≤ 4,194,304 < 256 + 2,044 × 2,052
    const raw = rawEngine(binary);
    const values = (n: number) => Array.from({ length: n }, (_, i) => `b${String(i).padStart(9, '0')}`);
    const at = (n: number) => evaluate(raw, [flag('f', [{ clauses: [{ attribute: 'a', op: 'contains', values: values(n) }] }])], { key: 'u', a: 'a'.repeat(1000) });
    expect(packedReason(at(2043))).toBe(4);
    expect(at(2044)).toBe(BUDGET_RESULT);
    expect(counts(raw)).toEqual([1, 0]);
  });

  it('gives each flag of avsb_eval_all its own budget', () => {
    const raw = rawEngine(binary);
    const { x, put } = raw;
    const cheap = flag('cheap', [{ clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }] }]);
    const flags = [cheap, { ...manyContains[0]!, key: 'costly' }, { ...cheap, key: 'cheap-2' }];
    expect(x.avsb_load(put(JSON.stringify({ schemaVersion: 1, flags })))).toBe(0);
    const h = x.avsb_ctx_create(put(JSON.stringify({ key: 'u', plan: 'pro', a: 'a'.repeat(MB) })));
    const ptr = x.avsb_eval_all(h);
    const results = [...new Uint32Array((x.memory as WebAssembly.Memory).buffer, ptr, 3)];
    expect(results.map(packedVariation)).toEqual([1, -1, 1]);
    expect(results[1]).toBe(BUDGET_RESULT);
    expect(counts(raw)).toEqual([1, 0]);
  }, 30_000);
});

it('keeps memory flat over 200 evaluations that run out', () => {
  const raw = rawEngine('release');
  const { x, put, memoryBytes } = raw;
  expect(x.avsb_load(put(JSON.stringify({ schemaVersion: 1, flags: manyContains })))).toBe(0);
  const h = x.avsb_ctx_create(put(JSON.stringify({ key: 'u', a: 'a'.repeat(MB) })));
  for (let i = 0; i < 5; i++) x.avsb_eval(h, 0);
  const warmed = memoryBytes();
  for (let i = 0; i < 200; i++) expect(x.avsb_eval(h, 0) >>> 0).toBe(BUDGET_RESULT);
  expect(memoryBytes()).toBe(warmed);
  expect(counts(raw)).toEqual([205, 0]);
}, 60_000);

it('never touches the counters for ordinary flags', () => {
  const raw = rawEngine('release');
  const { x, put } = raw;
  for (const datafile of [guideDatafile, bigDatafile(1000)]) {
    expect(x.avsb_load(put(JSON.stringify(datafile)))).toBe(0);
    for (const ctx of [{ key: 'u_1', plan: 'pro' }, { key: 'u_2', country: 'NO', appVersion: '2.1.0', email: 'x@example.com', tags: ['a', 'b'] }]) {
      const h = x.avsb_ctx_create(put(JSON.stringify(ctx)));
      for (let i = 0; i < 20; i++) x.avsb_eval_all(h);
      x.avsb_ctx_release(h);
    }
  }
  expect(counts(raw)).toEqual([0, 0]);
});

it('reports the reason and the counters through AvsbEngine', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  expect(engine.load({ schemaVersion: 1, flags: manyContains }).ok).toBe(true);
  const h = engine.registerContext({ key: 'u', a: 'a'.repeat(MB) });
  const d = engine.evaluate(h, 'f');
  expect(d).toEqual({ value: null, variationIndex: null, reason: { kind: 'ERROR', errorKind: 'EVALUATION_BUDGET' }, inExperiment: false });
  expect(packedDetail(engine.evaluateIndex(h, 0))).toBe(6);
  expect(engine.budgetExhaustions).toEqual({ evaluations: 2, regexClauses: 0 });
}, 30_000);

it('keeps counting across a rebuild after a trap (the new instance counts from 0)', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  expect(engine.load({ schemaVersion: 1, flags: manyContains }).ok).toBe(true);
  const h = engine.registerContext({ key: 'u', a: 'a'.repeat(MB) });
  expect(engine.evaluate(h, 'f').reason).toEqual({ kind: 'ERROR', errorKind: 'EVALUATION_BUDGET' });
  // fault injection, as in src/engine.test.ts: the next evaluation traps and the engine is rebuilt
  const internals = engine as unknown as { _x: Record<string, unknown> };
  internals._x = { ...internals._x, avsb_eval: () => { throw new WebAssembly.RuntimeError('unreachable'); } };
  expect(engine.evaluate(h, 'f').reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
  expect(engine.faults).toBe(1);
  expect(engine.budgetExhaustions).toEqual({ evaluations: 1, regexClauses: 0 });
  expect(engine.evaluate(h, 'f').reason).toEqual({ kind: 'ERROR', errorKind: 'EVALUATION_BUDGET' });
  expect(engine.budgetExhaustions).toEqual({ evaluations: 2, regexClauses: 0 });
}, 30_000);
