import { expect, it } from 'vitest';
import { AvsbEngine, evaluateAll, packedReasonKind } from '../src/index';
import { guideDatafile } from './support/fixtures';
import { wasmModule } from './support/wasm';

// evaluateAll(engine, h) / engine.evaluateAllPacked read avsb_eval_all's
// results in place (a cached view) and copy them once: into an array the caller
// may reuse, or into the read-only map evaluateAll answers, which decodes on reading.

const singles = (e: AvsbEngine, h: number): number[] => e.flagKeys.map((_, i) => e.evaluateIndex(h, i));

function manyFlags(n: number): object {
  const flags = Array.from({ length: n }, (_, i) => ({ key: `f${i}`, on: true, variations: [i, -i], targets: [{ values: ['u_1'], variation: 1 }], fallthrough: { variation: 0 } }));
  return { schemaVersion: 1, flags };
}

it.each(['release', 'debug'] as const)('answers what single reads answer, into an array the caller reuses (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  e.load(guideDatafile);
  const into = new Int32Array(8);
  for (const ctx of [{ key: 'u_1' }, { key: 'u_2', plan: 'pro' }, { key: 'u_9' }, { key: 'u_3', email: 'a@avsb.dev' }]) {
    const h = e.registerContext(ctx);
    const expected = singles(e, h);
    expect([...e.evaluateAllPacked(h)]).toEqual(expected);
    expect(e.evaluateAllPacked(h, into)).toBe(into);
    expect([...into.subarray(0, expected.length)]).toEqual(expected);
    const all = evaluateAll(e, h);
    expect([...all.keys()]).toEqual(e.flagKeys);
    expect([...all.values()]).toEqual(e.flagKeys.map((k) => e.evaluate(h, k)));
  }
  // an array too short for the flags is not written to: a new one is returned
  const short = new Int32Array(1);
  expect(e.evaluateAllPacked(e.registerContext({ key: 'u_1' }), short)).not.toBe(short);
});

it('keeps answering right after the memory grows, a larger datafile moves the results and a trap rebuilds the instance', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  e.load(guideDatafile);
  const h = e.registerContext({ key: 'u_1' });
  const before = [...e.evaluateAllPacked(h)];
  const memory = e.memoryBytes;
  const big = { key: 'x', blob: 'y'.repeat(500_000) };
  const handles: number[] = [];
  while (e.memoryBytes === memory) handles.push(e.registerContext(big));
  expect([...e.evaluateAllPacked(h)]).toEqual(before);
  for (const x of handles) e.releaseContext(x);

  e.load(manyFlags(3000));
  expect(e.evaluateAllPacked(h)).toHaveLength(3000);
  expect([...e.evaluateAllPacked(h)]).toEqual(singles(e, h));
  expect(evaluateAll(e, h).get('f2999')?.value).toBe(-2999);

  e.load(guideDatafile);
  // fault injection: corrupt the engine's whole memory, as a bug would
  const x = (e as unknown as { _x: { memory: WebAssembly.Memory } })._x;
  new Uint8Array(x.memory.buffer).fill(0xff);
  expect([...e.evaluateAllPacked(h)].map(packedReasonKind)).toEqual(['ERROR', 'ERROR', 'ERROR']);
  expect(e.faults).toBe(1);
  expect([...e.evaluateAllPacked(h)]).toEqual(before);
  expect([...evaluateAll(e, h).values()].map((d) => d.reason.kind)).toEqual(before.map(packedReasonKind));
});

it('answers a read-only map of the same details as single reads, in flag order, for every way of reading it', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  e.load(guideDatafile);
  for (const ctx of [{ key: 'u_1' }, { key: 'u_2', plan: 'pro' }, { key: 'u_3', email: 'a@avsb.dev' }]) {
    const h = e.registerContext(ctx);
    const singles = e.flagKeys.map((k) => [k, e.evaluate(h, k)] as const);
    const all = evaluateAll(e, h);
    expect(all).not.toBeInstanceOf(Map);
    expect(all.size).toBe(3);
    expect([...all]).toEqual(singles);
    expect([...all.entries()]).toEqual(singles);
    expect([...all.keys()]).toEqual(e.flagKeys);
    expect([...all.values()]).toEqual(singles.map(([, d]) => d));
    for (const [k, d] of singles) {
      expect(all.has(k)).toBe(true);
      expect(all.get(k)).toEqual(d);
    }
    const seen: [string, unknown][] = [];
    const self = {};
    all.forEach(function (this: unknown, d, k, map) {
      expect(this).toBe(self);
      expect(map).toBe(all);
      seen.push([k, d]);
    }, self);
    expect(seen).toEqual(singles);
    expect(new Map(all)).toEqual(new Map(singles));
    expect(all.has('nope')).toBe(false);
    expect(all.get('nope')).toBeUndefined();
    // no member reads through to Object.prototype
    expect(all.has('toString')).toBe(false);
    expect(all.get('__proto__')).toBeUndefined();
  }
});

it('hands out the same frozen detail each time a flag gives the same result', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  e.load(guideDatafile);
  const a = evaluateAll(e, e.registerContext({ key: 'u_1' }));
  const b = evaluateAll(e, e.registerContext({ key: 'u_1', plan: 'free' }));
  expect(a.get('checkout-v2')).toBe(a.get('checkout-v2'));
  expect(b.get('checkout-v2')).toBe(a.get('checkout-v2')); // TARGET_MATCH, variation 1, for both
  expect(Object.isFrozen(a.get('checkout-v2'))).toBe(true);
  expect(() => {
    (a.get('checkout-v2') as { value: unknown }).value = false;
  }).toThrow(TypeError);
  expect(e.evaluate(e.registerContext({ key: 'u_1' }), 'checkout-v2').value).toBe(true);
});

it('keeps answering what it answered after a later call, a release, a new datafile and a trap', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  e.load(guideDatafile);
  const h1 = e.registerContext({ key: 'u_1' });
  const first = evaluateAll(e, h1);
  const expected = [...first];
  expect(expected.map(([, d]) => d.reason.kind)).toEqual(['TARGET_MATCH', 'FALLTHROUGH', 'OFF']);
  const h2 = e.registerContext({ key: 'u_2' });
  const second = evaluateAll(e, h2); // the engine's result buffer now holds u_2's results
  expect(second.get('checkout-v2')?.reason.kind).toBe('FALLTHROUGH');
  e.releaseContext(h1);
  e.load(manyFlags(50)); // a new flag table and results of another length
  expect(evaluateAll(e, h2).size).toBe(50);
  const x = (e as unknown as { _x: { memory: WebAssembly.Memory } })._x;
  new Uint8Array(x.memory.buffer).fill(0xff);
  expect(evaluateAll(e, h2).get('f0')?.reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
  expect(e.faults).toBe(1);
  expect([...first]).toEqual(expected);
  expect(first.get('checkout-v2')?.value).toBe(true);
  expect(second.get('checkout-v2')?.value).toBe(false);
  // and a released handle's map answers CONTEXT_INVALID for every flag, as single reads do
  const released = [...evaluateAll(e, h1).values()];
  expect(released).toHaveLength(50);
  expect(new Set(released.map((d) => d.reason))).toEqual(new Set([{ kind: 'ERROR', errorKind: 'CONTEXT_INVALID' }]));
});

it('is empty before the first datafile', () => {
  const e = AvsbEngine.createSync(wasmModule('release'));
  const all = evaluateAll(e, e.registerContext({ key: 'u_1' }));
  expect(all.size).toBe(0);
  expect([...all]).toEqual([]);
  expect(all.get('checkout-v2')).toBeUndefined();
  expect(all.has('checkout-v2')).toBe(false);
});
