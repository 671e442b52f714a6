import { describe, expect, it } from 'vitest';
import { compileDatafile, compiledInstance } from './support/compiled';
import { rawEngine } from './support/wasm';

// A ruleset keeps its clause values' strings, its rollouts' salts and their bucket ranges in chunks of its own
// (ruleset/byte-pool.ts: 16 KiB, or one the size of a longer string). Each must read the same wherever the pool
// put it: at a chunk's start, across what would have been a chunk's end, in a chunk of its own, after odd-length
// strings (the i32 ranges are not aligned). A flag read in such a datafile answers as the same flag alone in one.

const big = 'x'.repeat(20_000); // longer than a chunk
const salt = 's'.repeat(17_001); // a salt and its ":traffic" copy longer than a chunk, odd-length

/** Flags that fill chunks before and between the flags under test (3,000 values of 7 bytes: 21 KB). */
function filler(tag: string) {
  return {
    key: `filler-${tag}`, on: true, variations: [false, true], fallthrough: { variation: 0 },
    rules: [{ clauses: [{ attribute: 'email', op: 'startsWith', values: Array.from({ length: 3000 }, (_, i) => `${tag}${String(i).padStart(5, '0')}-`) }], serve: { variation: 1 } }],
  };
}

const underTest = [
  {
    key: 'prefixes', on: true, variations: ['none', 'hit'], fallthrough: { variation: 0 },
    rules: [{ clauses: [{ attribute: 'email', op: 'startsWith', values: Array.from({ length: 3000 }, (_, i) => `p${String(i).padStart(5, '0')}-`) }], serve: { variation: 1 } }],
  },
  {
    key: 'long-suffix', on: true, variations: ['none', 'hit'], fallthrough: { variation: 0 },
    rules: [{ clauses: [{ attribute: 'tail', op: 'endsWith', values: ['a', big, 'odd'] }], serve: { variation: 1 } }],
  },
  {
    key: 'split', on: true, variations: ['a', 'b', 'c', 'd'], offVariation: 0, salt,
    fallthrough: {
      rollout: {
        kind: 'experiment', trafficAllocation: 60_000, untrackedVariation: 3,
        variations: [{ variation: 0, weight: 33_333 }, { variation: 1, weight: 33_333 }, { variation: 2, weight: 33_334 }],
      },
    },
  },
  {
    key: 'weighted', on: true, variations: [1, 2, 3],
    fallthrough: { rollout: { salt: 'odd', variations: [{ variation: 2, weight: 10_000 }, { variation: 0, weight: 0 }, { variation: 1, weight: 90_000 }] } },
  },
];

const contexts = [
  '{"key":"u-1","email":"p00000-a@example.com","tail":"zzodd"}',
  '{"key":"u-2","email":"p02999-b@example.com","tail":"y' + big + '"}',
  '{"key":"u-3","email":"p03000-c@example.com","tail":"' + big.slice(1) + '"}',
  ...Array.from({ length: 40 }, (_, i) => `{"key":"user-${i}","email":"q${i}@example.com"}`),
];

const datafile = (flags: object[]) => JSON.stringify({ schemaVersion: 1, flags });

type Instance = { x: Record<string, any>; put: (input: string | Uint8Array) => number };
const engines: [string, () => Instance, (i: Instance, json: string) => number][] = [
  ['the full engine, JSON', () => rawEngine('release'), (i, json) => i.x.avsb_load(i.put(json))],
  ['the evaluator, compiled', () => compiledInstance('evaluator'), (i, json) => i.x.avsb_load_compiled(i.put(compileDatafile(json)))],
];

/** Each context's packed result for each flag of `keys`, loaded from `flags`. */
function results(make: () => Instance, load: (i: Instance, json: string) => number, flags: { key: string }[], keys: string[]): number[][] {
  const i = make();
  expect(load(i, datafile(flags))).toBe(0);
  const handles = contexts.map((c) => i.x.avsb_ctx_create(i.put(c)) as number);
  return keys.map((key) => {
    const at = flags.findIndex((f) => f.key === key);
    return handles.map((h) => i.x.avsb_eval(h, at) as number);
  });
}

describe.each(engines)('%s', (_name, make, load) => {
  it('reads values, salts and bucket ranges the same wherever the pool put them', () => {
    const keys = underTest.map((f) => f.key);
    const mixed = [filler('a'), underTest[0]!, filler('b'), underTest[1]!, underTest[2]!, filler('c'), underTest[3]!];
    const got = results(make, load, mixed, keys);
    for (const [k, flag] of underTest.entries()) expect(got[k], flag.key).toEqual(results(make, load, [flag], [flag.key])[0]);
    // and they are the answers the datafile asks for: variation in the low 12 bits
    const variation = (packed: number) => packed & 0xfff;
    expect(got[0]!.slice(0, 3).map(variation)).toEqual([1, 1, 0]);
    expect(got[1]!.slice(0, 3).map(variation)).toEqual([1, 1, 0]);
    expect(new Set(got[2]!.map(variation))).toEqual(new Set([0, 1, 2, 3]));
    expect(new Set(got[3]!.map(variation))).toEqual(new Set([1, 2]));
  });
});

// A ruleset's flags, targets, rules, serves and rollouts live in its pool too, where the collector does not look:
// what they point to on the managed heap (a target's key set) must be kept by the ruleset itself, and a serve is
// the ruleset's own (variation 64 and up) or shared static data (below 64). A refused load collects, and the next
// one's tree takes the memory it freed: a set or serve the ruleset did not keep would read as that tree.
const variations = Array.from({ length: 80 }, (_, i) => `v${i}`);
const kept = [
  {
    key: 'targeted', on: true, variations, offVariation: 0, fallthrough: { variation: 63 },
    targets: [
      { values: Array.from({ length: 50 }, (_, i) => `t-${i}`), variation: 64 },
      { contextKind: 'org', values: ['acme', 'initech'], variation: 79 },
    ],
    rules: [
      { clauses: [{ attribute: 'plan', op: 'in', values: ['a', 'b', 'c', 'd', 'e', 'pro'] }], serve: { variation: 70 } },
      { clauses: [{ attribute: 'email', op: 'endsWith', values: ['@example.com'] }], serve: { rollout: { variations: [{ variation: 65, weight: 50_000 }, { variation: 2, weight: 50_000 }] } } },
    ],
  },
  { key: 'after', on: true, variations: [false, true], prerequisites: [{ key: 'targeted', variation: 70 }], offVariation: 0, fallthrough: { variation: 1 } },
  { key: 'off', on: false, variations, offVariation: 66, fallthrough: { variation: 1 } },
];
const keptContexts = [
  '{"key":"t-7"}', '{"key":"t-49","plan":"pro"}', '{"key":"u","plan":"pro"}', '{"key":"u","plan":"free"}',
  '{"kind":"org","key":"initech"}', '{"kind":"multi","user":{"key":"z","plan":"pro"},"org":{"key":"acme"}}',
  ...Array.from({ length: 20 }, (_, i) => `{"key":"r-${i}","email":"r${i}@example.com"}`),
];

describe.each(engines)('%s', (_name, make, load) => {
  it('keeps what its pooled flags point to across the collects of refused loads', () => {
    const i = make();
    expect(load(i, datafile(kept))).toBe(0);
    const handles = keptContexts.map((c) => i.x.avsb_ctx_create(i.put(c)) as number);
    const read = () => kept.map((_, f) => handles.map((h) => i.x.avsb_eval(h, f) as number));
    const before = read();
    const variation = (packed: number) => packed & 0xfff;
    expect(before[0]!.slice(0, 6).map(variation)).toEqual([64, 64, 70, 63, 79, 79]);
    expect(new Set(before[0]!.slice(6).map(variation))).toEqual(new Set([2, 65]));
    expect(before[1]!.slice(0, 4).map(variation)).toEqual([0, 0, 1, 0]);
    expect(before[2]!.map(variation)).toEqual(handles.map(() => 66));
    // refused after the whole of them is read: a JSON text with schemaVersion 2 is parsed first, a compiled
    // document cut short is read up to its end (the same load's objects, thirty times over)
    const larger = datafile([...kept, ...Array.from({ length: 30 }, (_, f) => ({ ...kept[0]!, key: `x-${f}` }))]);
    const refuse = (): number =>
      _name.includes('JSON') ? load(i, larger.replace('"schemaVersion":1', '"schemaVersion":2')) : i.x.avsb_load_compiled(i.put(compileDatafile(larger).subarray(0, -1)));
    for (let r = 0; r < 40; r++) expect(refuse()).not.toBe(0);
    expect(read()).toEqual(before);
  });
});
