import { describe, expect, it } from 'vitest';
import { AvsbEngine, packedVariation } from '../src/index';
import { compiledInstance, compileDatafile } from './support/compiled';
import { wasmModule } from './support/wasm';

// Target keys and an `in` clause's strings go into hash sets (ruleset/byte-set.ts)
// hashed a u32 word at a time, with the last 0-3 bytes one at a time
// (util/hash.ts keyHash). A datafile's keys are copied and hashed in one pass
// (keyHashCopy), a compiled document's copied first and hashed after
// (keyHash), and every lookup hashes with keyHash: the two must agree at
// every length and every byte, or a listed key would read as absent.

const letters = 'abcdefghijklmnopqrstuvwxyz';
/** Keys of every length from 0 to 40 bytes, ASCII, then 1 to 20 two-byte characters and a few four-byte ones. */
const keys: string[] = [
  ...Array.from({ length: 41 }, (_, n) => Array.from({ length: n }, (_, i) => letters[(i * 7 + n) % 26]).join('')),
  ...Array.from({ length: 20 }, (_, n) => 'é'.repeat(n + 1)),
  ...['😀', 'a😀', 'ab😀', 'abc😀', '😀😀😀'],
];

/** Keys that are not in the list: each key with one byte changed at each place, one byte longer, one shorter. */
function nearMisses(): string[] {
  const listed = new Set(keys);
  const out = new Set<string>();
  for (const k of keys) {
    if (!/^[a-z]*$/.test(k)) continue;
    for (let i = 0; i < k.length; i++) out.add(k.slice(0, i) + k[i]!.toUpperCase() + k.slice(i + 1));
    out.add(`${k}z`);
    out.add(`z${k}`);
    if (k.length > 0) out.add(k.slice(1));
  }
  return [...out].filter((k) => !listed.has(k));
}

const datafile = JSON.stringify({
  schemaVersion: 1,
  flags: [
    { key: 'target', on: true, variations: [0, 1], targets: [{ values: keys, variation: 1 }], fallthrough: { variation: 0 } },
    {
      key: 'clause',
      on: true,
      variations: [0, 1],
      rules: [{ clauses: [{ attribute: 'name', op: 'in', values: keys }], serve: { variation: 1 } }],
      fallthrough: { variation: 0 },
    },
  ],
});

describe.each(['release', 'debug'] as const)('key sets of a JSON datafile (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  expect(e.load(datafile)).toMatchObject({ ok: true, flagCount: 2, warningCount: 0 });
  const read = (flag: string, context: object) => e.evaluate(e.registerContext(context), flag).value;

  it('finds every listed key, of every length', () => {
    for (const k of keys) {
      // a context's key is never empty: "" is a member of the clause's set only
      if (k !== '') expect([k, read('target', { key: k })]).toEqual([k, 1]);
      expect([k, read('clause', { key: 'u', name: k })]).toEqual([k, 1]);
    }
  });

  it('finds no key that differs in one byte, or is one byte longer or shorter', () => {
    const misses = nearMisses();
    expect(misses.length).toBeGreaterThan(800);
    for (const k of misses) {
      expect([k, read('target', { key: k })]).toEqual([k, 0]);
      expect([k, read('clause', { key: 'u', name: k })]).toEqual([k, 0]);
    }
  });
});

it('agrees on a compiled document read by the evaluator', () => {
  const ev = compiledInstance('evaluator');
  expect(ev.x.avsb_load_compiled(ev.put(compileDatafile(datafile))), ev.error()).toBe(0);
  const read = (flag: number, context: object): number => {
    const handle = ev.x.avsb_ctx_create(ev.put(JSON.stringify(context))) as number;
    expect(handle, ev.error()).toBeGreaterThan(0);
    const variation = packedVariation(ev.x.avsb_eval(handle, flag) as number);
    ev.x.avsb_ctx_release(handle);
    return variation;
  };
  for (const k of keys) expect([k, k === '' ? 1 : read(0, { key: k }), read(1, { key: 'u', name: k })]).toEqual([k, 1, 1]);
  for (const k of nearMisses()) expect([k, read(0, { key: k }), read(1, { key: 'u', name: k })]).toEqual([k, 0, 0]);
});
