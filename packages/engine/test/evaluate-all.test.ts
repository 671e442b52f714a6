import { expect, it } from 'vitest';
import { AvsbEngine, packedReasonKind } from '../src/index';
import { guideDatafile } from './support/fixtures';
import { wasmModule } from './support/wasm';

// evaluateAll / evaluateAllPacked read avsb_eval_all's results in place
// (a cached view) and copy them once, into an array the caller may reuse.

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
    const all = e.evaluateAll(h);
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
  expect(e.evaluateAll(h).get('f2999')?.value).toBe(-2999);

  e.load(guideDatafile);
  // fault injection: corrupt the engine's whole memory, as a bug would
  const x = (e as unknown as { _x: { memory: WebAssembly.Memory } })._x;
  new Uint8Array(x.memory.buffer).fill(0xff);
  expect([...e.evaluateAllPacked(h)].map(packedReasonKind)).toEqual(['ERROR', 'ERROR', 'ERROR']);
  expect(e.faults).toBe(1);
  expect([...e.evaluateAllPacked(h)]).toEqual(before);
  expect([...e.evaluateAll(h).values()].map((d) => d.reason.kind)).toEqual(before.map(packedReasonKind));
});
