import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { rawEngine, wasmModule, type Binary } from './support/wasm';

// The datafile parser reads a short integer on a path of its own and hands
// every other number to the general JSON grammar; its tree's values come
// from memory a previous load may have used, not zeroed. These pin what
// both must mean: numbers read as JSON.parse reads them, however they are
// written, and a load reads the same after a large one as in a fresh engine.

const binaries: Binary[] = ['release', 'debug'];

/** A flag that is off, so it answers its offVariation, written as `spelling`. */
const offFlag = (spelling: string): string =>
  `{"schemaVersion":1,"flags":[{"key":"f","on":false,"offVariation":${spelling},` +
  `"variations":[0,1,2,3,4,5,6,7,8,9,10,11],"fallthrough":{"variation":0}}]}`;

// valid JSON: short integers, a sign, the general grammar's cases, and values out of range
const spellings = [
  '0', '-0', '7', '11', '10', '1.0', '1e1', '1E1', '10e-1', '0.7e1', '70e-1', '1e+1', '-1',
  '5.5', '12', '123456789', '999999999', '1234567890', '1e0', '4294967297', '1e400', '-1e-400', '0e5',
];

it.each(binaries)('reads an integer written any way JSON allows as JSON.parse does (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  for (const spelling of spellings) {
    const value = JSON.parse(spelling) as number;
    const result = engine.load(offFlag(spelling));
    expect(result.ok, spelling).toBe(true);
    if (!result.ok) continue;
    const h = engine.registerContext({ kind: 'user', key: 'u' });
    if (Number.isInteger(value) && value >= 0 && value <= 11) {
      expect(result.warnings, spelling).toEqual([]);
      expect(engine.evaluate(h, 'f').variationIndex, spelling).toBe(value || 0);
    } else {
      // the message quotes the number as read: an integer's digits, or "a fraction"
      const read = Number.isInteger(value) && Math.abs(value) < 1e15 ? String(value) : 'a fraction';
      expect(result.warnings.map((w) => `${w.path}: ${w.message}`), spelling).toEqual([
        `flags[0].offVariation: must be an integer from 0 to 11, not ${read}`,
      ]);
      expect(engine.evaluate(h, 'f').reason.kind, spelling).toBe('ERROR');
    }
    engine.releaseContext(h);
  }
});

it.each(binaries)('refuses a number JSON does not allow as invalid JSON (%s)', (binary) => {
  const { x, put, error } = rawEngine(binary);
  for (const spelling of ['01', '-', '-a', '1.', '1e', '1e+', '.5', '+1', '0x1', '1.e2', '00']) {
    expect(() => JSON.parse(`[${spelling}]`), spelling).toThrow();
    expect(x.avsb_load(put(offFlag(spelling))), spelling).not.toBe(0);
    expect(error(), spelling).toMatch(/^datafile: invalid JSON at byte \d+: /);
  }
  // the general grammar still reads a context's numbers
  expect(x.avsb_load(put(offFlag('3')))).toBe(0);
  expect(x.avsb_ctx_create(put('{"kind":"user","key":"u","n":1.5e3,"m":-0,"k":123456789012}'))).toBeGreaterThan(0);
});

/** Flags made of empty lists and objects, whose values' counts must read 0 wherever their memory was before. */
function emptyContainers(): string {
  const flags = Array.from({ length: 40 }, (_, i) => ({
    key: `e-${i}`,
    on: i % 3 !== 0,
    offVariation: 1,
    variations: [{}, [], { a: [] }, [[], {}]],
    prerequisites: [],
    targets: i % 2 ? [] : [{ values: [], variation: 2 }],
    rules: i % 4 ? [] : [{ id: `r${i}`, clauses: [{ attribute: 'tags', op: 'in', values: ['none'] }, { attribute: 'n', op: 'in', values: [i] }], serve: { variation: 3 } }],
    fallthrough: { variation: i % 4 },
  }));
  return JSON.stringify({ schemaVersion: 1, segments: [{ key: 's', included: [], excluded: [], rules: [] }], flags });
}

/** A large datafile of non-empty containers: what the reused memory held. */
function large(): string {
  const flags = Array.from({ length: 600 }, (_, i) => ({
    key: `large-${i}`,
    on: true,
    variations: ['a', 'b', 'c', 'd', 'e'],
    targets: [{ values: [`u${i}`, `v${i}`, `w${i}`], variation: 4 }],
    rules: [{ clauses: [{ attribute: 'plan', op: 'in', values: ['x', 'y', 'z', i] }], serve: { variation: 1 } }],
    fallthrough: { rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 2, weight: 50000 }] } },
  }));
  return JSON.stringify({ schemaVersion: 1, flags });
}

it.each(binaries)('reads a datafile of empty lists and objects after a large one as a fresh engine does (%s)', (binary) => {
  const text = emptyContainers();
  const answers = (engine: AvsbEngine): unknown[] => {
    const loaded = engine.load(text);
    expect(loaded).toMatchObject({ ok: true, flagCount: 40, warnings: [] });
    const h = engine.registerContext({ kind: 'user', key: 'u1', tags: 'x', n: 8 });
    const out = Array.from({ length: 40 }, (_, i) => engine.evaluate(h, `e-${i}`));
    engine.releaseContext(h);
    return out;
  };
  const fresh = answers(AvsbEngine.createSync(wasmModule(binary)));
  const reused = AvsbEngine.createSync(wasmModule(binary));
  for (let round = 0; round < 3; round++) {
    expect(reused.load(large())).toMatchObject({ ok: true, flagCount: 600 });
    expect(answers(reused)).toEqual(fresh);
  }
  // and the answers are the ones the flags were written for
  expect(fresh.map((r) => (r as { variationIndex: number }).variationIndex)).toEqual(
    Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : i % 4)),
  );
});
