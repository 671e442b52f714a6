import { afterEach, expect, it, vi } from 'vitest';
import { AvsbEngine, NO_VARIATION, packedInExperiment, packedReason, packedReasonKind, packedVariation } from './index';
import { guideDatafile } from '../test/support/fixtures';
import { wasmModule } from '../test/support/wasm';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts JSON.parse calls while `fn` runs (the real parse still runs). */
function countParses(fn: () => void): number {
  const spy = vi.spyOn(JSON, 'parse');
  fn();
  const n = spy.mock.calls.length;
  spy.mockRestore();
  return n;
}

it('builds its flag table from the object the host parsed, without parsing the text again', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  const text = JSON.stringify(guideDatafile);
  const doc = JSON.parse(text) as typeof guideDatafile;
  let result;
  expect(countParses(() => (result = e.load(text, doc)))).toBe(0);
  expect(result).toMatchObject({ ok: true, revision: 7, flagCount: 3 });
  // the host's own variation arrays are served (frozen), not a copy
  const h = e.registerContext({ key: 'u_1' });
  const index = e.flagIndex('checkout-v2');
  expect(e.variationValue(index, 1)).toBe(true);
  expect(Object.isFrozen(doc.flags[0]!.variations)).toBe(true);
  expect(e.evaluate(h, 'checkout-v2')).toMatchObject({ value: true, reason: { kind: 'TARGET_MATCH' } });
});

it('parses text it is given alone once, as before', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  expect(countParses(() => e.load(JSON.stringify(guideDatafile)))).toBe(1);
  expect(e.flagKeys).toEqual(['checkout-v2', 'ui-theme', 'banner']);
});

it('reloads a datafile handed over parsed after a trap, and the same handles work again', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  const text = JSON.stringify(guideDatafile);
  e.load(text, JSON.parse(text) as object);
  const h = e.registerContext({ key: 'u_2', plan: 'pro' });
  // fault injection: corrupt the engine's whole memory, as a bug would
  const x = (e as unknown as { _x: { memory: WebAssembly.Memory } })._x;
  new Uint8Array(x.memory.buffer).fill(0xff);
  expect(e.evaluate(h, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
  expect(e.faults).toBe(1);
  expect(e.evaluate(h, 'checkout-v2')).toMatchObject({ value: true, reason: { kind: 'RULE_MATCH', ruleId: 'pro-plan' } });
});

it('unpacks every field of a packed result through its helpers (ABI.md, "Results")', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  e.load(guideDatafile);
  const h = e.registerContext({ key: 'u_2', plan: 'pro' });
  const packed = e.evaluateIndex(h, e.flagIndex('checkout-v2'));
  expect([packedVariation(packed), packedReason(packed), packedReasonKind(packed), packedInExperiment(packed)]).toEqual([1, 2, 'RULE_MATCH', false]);
  const missing = NO_VARIATION | (5 << 12) | (1 << 16);
  expect([packedVariation(missing), packedReasonKind(missing)]).toEqual([-1, 'ERROR']);
  expect(packedInExperiment(packed | (1 << 15))).toBe(true);
  const names = [0, 1, 2, 3, 4, 5].map((code) => packedReasonKind(NO_VARIATION | (code << 12)));
  expect(names).toEqual(['OFF', 'TARGET_MATCH', 'RULE_MATCH', 'PREREQUISITE_FAILED', 'FALLTHROUGH', 'ERROR']);
});

it('finds every flag by its key, keys that are property names or numbers included, built or literal', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  const keys = ['__proto__', 'constructor', 'toString', '0', '17', 'hasOwnProperty', 'checkout-v2-with-a-long-key'];
  const flag = (key: string) => ({ key, on: true, variations: [true, false], offVariation: 1, targets: [], rules: [], fallthrough: { variation: 0 } });
  // parsed from text, as a datafile from the network: its keys are copies of the literals below
  expect(e.load(JSON.stringify({ schemaVersion: 1, revision: 1, flags: keys.map(flag) }))).toMatchObject({ ok: true });
  expect(keys.map((k) => e.flagIndex(k))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(keys.map((k) => e.flagIndex(`${k} `.trimEnd()))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(['', 'valueOf', '1', 'checkout-v2', '__proto__ '].map((k) => e.flagIndex(k))).toEqual([-1, -1, -1, -1, -1]);
});
