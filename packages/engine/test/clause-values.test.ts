import { describe, expect, it } from 'vitest';
import { compileDatafile, compiledInstance } from './support/compiled';
import { rawEngine } from './support/wasm';

// A clause lives in the ruleset's pool too, and its values are one run of 16-byte records in the ruleset's pool (ruleset/clause-values.ts): a string's
// bytes and length, a number or boolean by a negative length, a version parsed into the pool, a regex program that
// Ruleset.regexes keeps, a segment's index. Each kind must read as it did wherever the pool put the run: after
// odd-length strings, across a chunk's end (3,000 values of 7 bytes fill 21 KB of a 16 KiB chunk), in a run longer
// than a chunk, and after a collection (the regex programs and key sets held only through the ruleset).

/** Flags that fill chunks before and between the flags under test. */
function filler(tag: string) {
  return {
    key: `filler-${tag}`, on: true, variations: [false, true], fallthrough: { variation: 0 },
    rules: [{ clauses: [{ attribute: 'email', op: 'startsWith', values: Array.from({ length: 3000 }, (_, i) => `${tag}${String(i).padStart(5, '0')}-`) }], serve: { variation: 1 } }],
  };
}

const rule = (clauses: object[]) => ({ clauses, serve: { variation: 1 } });
const flag = (key: string, ...rules: object[]) => ({ key, on: true, variations: ['none', 'hit'], fallthrough: { variation: 0 }, rules });

const underTest = [
  // strings, numbers and booleans in one `in` run (4 strings: compared one by one, not hashed)
  flag('mixed-in', rule([{ attribute: 'v', op: 'in', values: ['abc', 7, true, 'odd', 2.5, false, 'x', '7'] }])),
  flag('numbers', rule([{ attribute: 'n', op: 'greaterThan', values: [100, 42.5] }]), rule([{ attribute: 'n', op: 'lessThanOrEqual', values: [-3] }])),
  flag('versions', rule([{ attribute: 'app', op: 'semVerLessThan', values: ['v1', '2.0.0-rc.1', '1.2.3-beta.10'] }])),
  flag('patterns', rule([{ attribute: 'email', op: 'matches', values: ['^admin@', '@corp\\.example$'] }])),
  flag('instants', rule([{ attribute: 'at', op: 'before', values: ['2020-01-01T00:00:00Z', 1_500_000_000_000] }])),
  flag('segments', rule([{ attribute: 'key', op: 'segmentMatch', values: ['nobody', 'staff'] }])),
  flag('long-run', rule([{ attribute: 'email', op: 'endsWith', values: Array.from({ length: 1500 }, (_, i) => `@d${i}.example`) }])),
  // more than 4 strings: a hashed key set in the ruleset's pool, which an unmanaged clause points to
  flag('key-set', rule([{ attribute: 'key', op: 'in', values: ['u-2', 'u-5', 'nobody', 's-1', 'odd', 'u-77', 3] }])),
];
const segments = [
  { key: 'nobody', included: [] },
  { key: 'staff', included: ['s-1'], rules: [{ clauses: [{ attribute: 'email', op: 'endsWith', values: ['@staff.example'] }] }] },
];

const contexts = [
  '{"key":"u-1","v":"abc","n":101,"app":"1.9.9","email":"admin@x.example","at":"2019-12-31T23:59:59Z"}',
  '{"key":"u-2","v":7,"n":42.5,"app":"2.0.0-rc.0","email":"b@corp.example","at":1400000000000}',
  '{"key":"u-3","v":true,"n":-3,"app":"1.2.3-beta.9","email":"c@d1499.example","at":"2021-01-01T00:00:00Z"}',
  '{"key":"u-4","v":"7","n":-2,"app":"2.0.0","email":"d@staff.example","at":1600000000000}',
  '{"key":"u-5","v":false,"n":42,"app":"1.2.3-beta.10","email":"e@corp.example.com"}',
  '{"key":"s-1","v":8,"n":"101","app":"x","email":"f@d1500.example"}',
  '{"key":"u-7","v":"ab","n":true,"v2":2.5}',
];

/** What each flag answers each context, by the datafile's rules: 1 a hit, 0 none. */
const expected: Record<string, number[]> = {
  'mixed-in': [1, 1, 1, 1, 1, 0, 0],
  'numbers': [1, 0, 1, 0, 0, 0, 0],
  'versions': [1, 1, 1, 0, 1, 0, 0],
  'patterns': [1, 1, 0, 0, 0, 0, 0],
  'instants': [1, 1, 0, 0, 0, 0, 0],
  'segments': [0, 0, 0, 1, 0, 1, 0],
  'long-run': [0, 0, 1, 0, 0, 0, 0],
  'key-set': [0, 1, 0, 0, 1, 1, 0],
};

const datafile = (flags: object[]) => JSON.stringify({ schemaVersion: 1, segments, flags });

type Instance = { x: Record<string, any>; put: (input: string | Uint8Array) => number };
const engines: [string, () => Instance, (i: Instance, json: string) => number][] = [
  ['the full engine, JSON', () => rawEngine('release'), (i, json) => i.x.avsb_load(i.put(json))],
  ['the full engine (debug), JSON', () => rawEngine('debug'), (i, json) => i.x.avsb_load(i.put(json))],
  ['the evaluator, compiled', () => compiledInstance('evaluator'), (i, json) => i.x.avsb_load_compiled(i.put(compileDatafile(json)))],
];

/** Each context's variation for each flag of `keys`, loaded from `flags`, after a collection. */
function results(make: () => Instance, load: (i: Instance, json: string) => number, flags: { key: string }[], keys: string[]): number[][] {
  const i = make();
  expect(load(i, datafile(flags))).toBe(0);
  // what the values point to must outlive a collection: only the ruleset holds it; contexts registered and
  // released after it write over any block the collection freed
  i.x.avsb_collect();
  for (let k = 0; k < 200; k++) i.x.avsb_ctx_release(i.x.avsb_ctx_create(i.put(`{"key":"${'z'.repeat(k * 7)}","a":"${k}"}`)));
  const handles = contexts.map((c) => i.x.avsb_ctx_create(i.put(c)) as number);
  return keys.map((key) => {
    const at = flags.findIndex((f) => f.key === key);
    return handles.map((h) => (i.x.avsb_eval(h, at) as number) & 0xfff);
  });
}

describe.each(engines)('%s', (_name, make, load) => {
  it('reads every kind of clause value the same wherever the pool put it', () => {
    const keys = underTest.map((f) => f.key);
    const mixed = [filler('a'), ...underTest.slice(0, 3), filler('b'), ...underTest.slice(3), filler('c')];
    const got = results(make, load, mixed, keys);
    for (const [k, key] of keys.entries()) {
      expect(got[k], key).toEqual(expected[key]);
      expect(got[k], `${key} alone`).toEqual(results(make, load, [underTest[k]!], [key])[0]);
    }
  });
});

describe('the evaluator reading a compiled datafile', () => {
  // a compiler writes a string-only operator's values as strings; a number there is no value of its own
  const value = '1.2.3-a'; // 7 bytes, a version too
  const seven = new TextEncoder().encode(value);
  const compiled = (op: string) => compileDatafile(datafile([flag('f', rule([{ attribute: 'v', op, values: [value] }]))]));
  /** The datafile's compiled bytes with its one 7-byte string value (tag 1, length 7) written as a number (tag 2, 8 bytes). */
  function withNumberFor(op: string): Uint8Array {
    const bytes = compiled(op);
    const at = bytes.findIndex((_, i) => bytes[i] === 1 && bytes[i + 1] === 7 && seven.every((b, k) => bytes[i + 2 + k] === b));
    expect(at).toBeGreaterThan(0);
    const out = bytes.slice();
    out[at] = 2; // T_NUM, then an f64 in the string's 8 bytes (length and text)
    new DataView(out.buffer).setFloat64(at + 1, 7, true);
    return out;
  }

  it.each(['startsWith', 'endsWith', 'contains', 'semVerEqual'])('refuses a number as a value of %s', (op) => {
    const ev = compiledInstance('evaluator');
    expect(ev.x.avsb_load_compiled(ev.put(compiled(op)))).toBe(0);
    expect(ev.x.avsb_load_compiled(ev.put(withNumberFor(op)))).not.toBe(0);
    expect(ev.error()).toMatch(/^datafile: invalid compiled datafile at byte \d+$/);
  });

  it('still reads a number as a value of in', () => {
    const ev = compiledInstance('evaluator');
    expect(ev.x.avsb_load_compiled(ev.put(withNumberFor('in')))).toBe(0);
    const answer = (context: string) => ev.x.avsb_eval(ev.x.avsb_ctx_create(ev.put(context)), 0) & 0xfff;
    expect([answer('{"key":"k","v":7}'), answer('{"key":"k","v":6}'), answer('{"key":"k","v":"1.2.3-a"}')]).toEqual([1, 0, 0]);
  });
});
