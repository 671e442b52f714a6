import { expect, it } from 'vitest';
import { AvsbEngine, LazyFlags } from '../src/index';
import { wasmModule } from './support/wasm';
import { random } from './support/random';

// With `lazyFlags` a key look-up first tries the flag that followed the
// previous look-up's flag last time (ordered-flag-table.ts), and compares
// keys rather than hashing them. Whatever it guesses, `flagIndex` must
// answer what the datafile says: checked here against the datafile's own
// order over reads in fixed and random orders, keys built at run time,
// keys V8 does not intern (array indices), missing keys, and datafiles
// replaced between two reads of one request.


/** A datafile of these keys, each flag serving its own key as its only variation. */
function datafile(keys: readonly string[], revision: number): string {
  return JSON.stringify({ schemaVersion: 1, revision, flags: keys.map((key) => ({ key, on: true, variations: [key], offVariation: 0, fallthrough: { variation: 0 } })) });
}

const engines = [
  ['text', (e: AvsbEngine, json: string) => e.load(json)],
  ['a parsed datafile', (e: AvsbEngine, json: string) => e.load(json, JSON.parse(json) as object)],
] as const;

const KEYS = ['checkout', 'search', 'banner', '0', '17', '__proto__', 'constructor', 'dark-mode', 'k\u00e9y', '😀'];

it.each(engines)('answers the datafile\'s index for every key in any order of reads (from %s)', (_from, load) => {
  const engine = AvsbEngine.createSync(wasmModule('release'), { lazyFlags: new LazyFlags() });
  expect(load(engine, datafile(KEYS, 1))).toMatchObject({ ok: true });
  const want = new Map(KEYS.map((k, i) => [k, i]));
  // before any guess, and at every flag's first look-up, the table's slot past its flags is compared: its "" is no key
  expect(engine.flagIndex('')).toBe(-1);
  const handle = engine.registerContext({ key: 'u' });
  const r = random(7);
  // a request's order, read again and again (the guesses' case), then orders that change every time
  const fixed = [3, 0, 7, 7, 1, 9, 5, 2, 8, 6, 4].map((i) => KEYS[i]!);
  for (let round = 0; round < 200; round++) {
    const order = round < 50 ? fixed : KEYS.filter(() => r() < 0.7).sort(() => r() - 0.5);
    for (const key of order) {
      // a copy built at run time (not the interned string), and a key the datafile lacks, in between
      const asked = r() < 0.3 ? [...key].join('') : key;
      expect(engine.flagIndex(asked)).toBe(want.get(key));
      expect(engine.evaluate(handle, asked).value).toBe(key);
      if (r() < 0.1) expect(engine.flagIndex(`${key}-missing`)).toBe(-1);
    }
  }
  expect(engine.flagIndex('')).toBe(-1);
  expect(engine.flagIndex('toString')).toBe(-1);
});

it.each(engines)('answers the new datafile\'s indices after a load between two reads (from %s)', (_from, load) => {
  const engine = AvsbEngine.createSync(wasmModule('release'), { lazyFlags: new LazyFlags() });
  const before = ['a', 'b', 'c', 'd', 'e'];
  // reversed, one flag gone, one new: every guess the old table learnt is wrong here
  const after = ['f', 'd', 'c', 'b', 'a'];
  load(engine, datafile(before, 1));
  const handle = engine.registerContext({ key: 'u' });
  for (let round = 0; round < 20; round++) for (const key of before) expect(engine.flagIndex(key)).toBe(before.indexOf(key));
  // the datafile is replaced in the middle of a request's reads
  expect(engine.flagIndex('a')).toBe(0);
  expect(engine.flagIndex('b')).toBe(1);
  load(engine, datafile(after, 2));
  for (const key of ['c', 'd', 'e', 'f', 'a', 'b']) {
    expect(engine.flagIndex(key)).toBe(after.indexOf(key));
    expect(engine.evaluate(handle, key).value).toBe(after.includes(key) ? key : null);
  }
  // and back: the first datafile's order is learnt again from nothing
  load(engine, datafile(before, 3));
  for (let round = 0; round < 3; round++) for (const key of [...after, ...before]) expect(engine.flagIndex(key)).toBe(before.indexOf(key));
});

it('answers -1 for every key of a datafile without flags', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'), { lazyFlags: new LazyFlags() });
  expect(engine.load(datafile([], 1))).toMatchObject({ ok: true, flagCount: 0 });
  for (const key of ['', 'a', '0', '', 'undefined']) expect(engine.flagIndex(key)).toBe(-1);
});
