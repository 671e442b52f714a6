import { expect, it } from 'vitest';
import { bucketOf } from '@avsb/conformance/murmur3';
import { AvsbEngine } from '../src/index';
import { rawEngine, wasmModule, type Binary } from './support/wasm';

// A load copies short runs of bytes by the ten thousand (a container's
// children into the tree, a target list's keys into its set, a rollout's
// salt into the ruleset's pool) a word at a time, with memory.copy only past
// 256 bytes (util/bytes.ts copyShort), and reads a datafile's ':' and
// opening quotes without a call. Every length each path treats apart (under
// 4, 4 to 7, 8 to 256, longer) must copy every byte.

const binaries: Binary[] = ['release', 'debug'];

/** `n` bytes, each position told apart, some of them two-byte UTF-8 (n is the byte length). */
function keyOf(n: number, seed: number): string {
  let s = '';
  while (new TextEncoder().encode(s).length < n) {
    const i = s.length + seed;
    s += n - new TextEncoder().encode(s).length >= 2 && i % 7 === 3 ? 'é' : String.fromCharCode(0x21 + ((i * 31) % 90));
  }
  return s;
}

/** The same key with its byte at `at` (an ASCII byte) changed. */
function changedAt(key: string, at: number): string {
  const bytes = new TextEncoder().encode(key);
  bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
  return new TextDecoder().decode(bytes);
}

const lengths = [...Array.from({ length: 40 }, (_, i) => i + 1), 63, 64, 65, 127, 128, 129, 255, 256, 257, 300, 1000];

it.each(binaries)('finds every target key of every length as its bytes, and no key that differs in its first or last byte (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  const keys = lengths.map((n, i) => keyOf(n, i));
  const text = JSON.stringify({
    schemaVersion: 1,
    flags: [{ key: 'f', on: true, variations: ['other', 'target'], targets: [{ values: keys, variation: 1 }], fallthrough: { variation: 0 } }],
  });
  expect(e.load(text)).toMatchObject({ ok: true, flagCount: 1, warningCount: 0 });
  const read = (key: string) => e.evaluate(e.registerContext({ key }), 'f').value;
  for (const key of keys) {
    const n = new TextEncoder().encode(key).length;
    expect(read(key), `${n} bytes`).toBe('target');
    expect(read(changedAt(key, 0)), `${n} bytes, first changed`).toBe('other');
    expect(read(changedAt(key, n - 1)), `${n} bytes, last changed`).toBe('other');
    if (n > 8) expect(read(changedAt(key, n - 9)), `${n} bytes, ninth from the end changed`).toBe('other');
  }
});

it.each(binaries)('buckets with a salt of every length byte for byte as the reference hash does (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  const user = 'u-1';
  const salts = lengths.filter((n) => n <= 300).map((n, i) => keyOf(n, 100 + i));
  // two flags per salt: the first variation up to the reference bucket (excluded), then up to it (included)
  const flags = salts.flatMap((salt, i) => {
    const b = bucketOf(salt, user).bucket;
    const flag = (key: string, w: number) => ({
      key, salt, on: true, variations: ['low', 'high'],
      fallthrough: { rollout: { kind: 'rollout', variations: [{ variation: 0, weight: w }, { variation: 1, weight: 100000 - w }] } },
    });
    return [flag(`at-${i}`, b), flag(`past-${i}`, b + 1)];
  });
  expect(e.load(JSON.stringify({ schemaVersion: 1, flags }))).toMatchObject({ ok: true, warningCount: 0 });
  const ctx = e.registerContext({ key: user });
  salts.forEach((salt, i) => {
    const n = new TextEncoder().encode(salt).length;
    expect(e.evaluate(ctx, `at-${i}`).value, `salt of ${n} bytes`).toBe('high');
    expect(e.evaluate(ctx, `past-${i}`).value, `salt of ${n} bytes`).toBe('low');
  });
});

it.each(binaries)('reads objects and arrays of every size up to past 64 children, their last member winning (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  for (const n of [1, 2, 3, 4, 7, 8, 9, 63, 64, 65, 100]) {
    // n - 1 members no reader asks for, then the flag's own: a container of n + 4 children
    const extra = Object.fromEntries(Array.from({ length: n - 1 }, (_, i) => [`x${i}`, i]));
    const variations = Array.from({ length: n }, (_, i) => `v${i}`);
    const text = `{"schemaVersion":1,"flags":[{"on":false,"on":true,${JSON.stringify(extra).slice(1, -1)}${n > 1 ? ',' : ''}"key":"f","variations":${JSON.stringify(variations)},"fallthrough":{"variation":${n - 1}}}]}`;
    expect(e.load(text), `${n}`).toMatchObject({ ok: true, flagCount: 1, warningCount: 0 });
    expect(e.evaluate(e.registerContext({ key: 'u' }), 'f').value, `${n}`).toBe(`v${n - 1}`);
  }
});

it.each(binaries)("keeps the JSON errors' messages and byte offsets where a ':' or a member name's quote is missing, with or without spaces (%s)", (binary) => {
  const { x, put, error } = rawEngine(binary);
  const cases: [string, number, string][] = [
    ['{"schemaVersion" 1}', 17, "expected ':'"],
    ['{"schemaVersion"  \n 1}', 20, "expected ':'"],
    ['{"schemaVersion":1,"flags":[{"key""f"}]}', 34, "expected ':'"],
    ['{"schemaVersion":1,flags:[]}', 19, 'expected a string'],
    ['{"schemaVersion":1, \t flags:[]}', 22, 'expected a string'],
    ['{"schemaVersion":1,', 19, 'expected a string'],
    ['{"schemaVersion"', 16, "expected ':'"],
  ];
  for (const [text, at, message] of cases) {
    expect(x.avsb_load(put(text)), text).not.toBe(0);
    expect(error(), text).toBe(`datafile: invalid JSON at byte ${at}: ${message}`);
  }
  // whitespace everywhere the inline checks look still reads as compact JSON does
  expect(x.avsb_load(put('{ "schemaVersion" : 1 , "flags" :\n[ { "key" : "f" , "on" :true, "variations" : [ 1 ] , "fallthrough" : { "variation" : 0 } } ] }'))).toBe(0);
  expect(x.avsb_flag_count()).toBe(1);
});
