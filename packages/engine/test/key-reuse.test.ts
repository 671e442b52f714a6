import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, expect, it, vi } from 'vitest';
import { AvsbEngine, LazyFlags } from '../src/index';
import { wasmModule } from './support/wasm';
import { random } from './support/random';

// With `lazyFlags` a table's keys are cut from the datafile's text (no
// parse, no interning) and a new datafile's table takes the previous
// table's key Map when every key is the same at the same index
// (ordered-flag-table.ts).
// Whatever the previous table held, reads must answer the new datafile:
// checked here over successive datafiles whose keys are renamed, swapped,
// added, removed and spelt with escapes, whose keys V8 does not intern
// (array indices), and a LazyFlags shared by two engines; and the keys,
// cut from each text, must not keep replaced texts alive.

/** A datafile of these keys, each flag serving its key; `escaped`: keys written with \u escapes in the text. */
function datafile(keys: readonly string[], revision: number, escaped: ReadonlySet<string> = new Set()): string {
  const flags = keys.map((key) => {
    const spelt = escaped.has(key) ? `"${Array.from({ length: key.length }, (_, i) => `\\u${key.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(key);
    return `{"key":${spelt},"on":true,"variations":[${JSON.stringify(key)}],"offVariation":0,"fallthrough":{"variation":0}}`;
  });
  return `{"schemaVersion":1,"revision":${revision},"flags":[${flags.join(',')}]}`;
}

const POOL = ['checkout', 'search', 'banner', '0', '17', '__proto__', 'constructor', 'dark-mode', 'k\u00e9y', '😀', 'a', 'ab', 'abc', 'b'];

afterEach(() => {
  vi.restoreAllMocks();
});

it.each(['text', 'a parsed datafile'] as const)('answers each new datafile\'s keys whatever the previous one held (from %s)', (from) => {
  const shared = new LazyFlags();
  // two engines on one LazyFlags: each one's previous table may be the other's
  const engines = [AvsbEngine.createSync(wasmModule('release'), { lazyFlags: shared }), AvsbEngine.createSync(wasmModule('release'), { lazyFlags: shared })];
  const r = random(16);
  let keys = ['checkout', 'search', 'banner'];
  for (let revision = 1; revision <= 300; revision++) {
    const next = keys.slice();
    const edit = r();
    if (edit < 0.2 && next.length > 0) next.splice(Math.floor(r() * next.length), 1);
    else if (edit < 0.4) next.splice(Math.floor(r() * (next.length + 1)), 0, `${POOL[Math.floor(r() * POOL.length)]}-${revision}`);
    else if (edit < 0.55 && next.length > 1) {
      const i = Math.floor(r() * next.length);
      const j = Math.floor(r() * next.length);
      [next[i], next[j]] = [next[j]!, next[i]!];
    } else if (edit < 0.7 && next.length > 0) next[Math.floor(r() * next.length)] = POOL[Math.floor(r() * POOL.length)]!;
    // (otherwise the same keys again)
    if (new Set(next).size !== next.length) continue;
    keys = next;
    const escaped = new Set(keys.filter(() => r() < 0.2));
    const json = datafile(keys, revision, escaped);
    const engine = engines[Math.floor(r() * 2)]!;
    expect(from === 'text' ? engine.load(json) : engine.load(json, JSON.parse(json) as object)).toMatchObject({ ok: true, flagCount: keys.length });
    expect(engine.flagKeys).toEqual(keys);
    const handle = engine.registerContext({ key: 'u' });
    for (const [i, key] of keys.entries()) {
      expect(engine.flagIndex(key)).toBe(i);
      // a copy built at run time (not the interned string)
      expect(engine.flagIndex([...key].join(''))).toBe(i);
      expect(engine.evaluate(handle, key).value).toBe(key);
    }
    for (const key of POOL) if (!keys.includes(key)) expect(engine.flagIndex(key)).toBe(-1);
    engine.releaseContext(handle);
  }
});

it('parses no key spelt without escapes, in a first load or a later one, and each escaped key with its flag', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'), { lazyFlags: new LazyFlags() });
  const keys = Array.from({ length: 50 }, (_, i) => `flag-${i}`);
  const parse = vi.spyOn(JSON, 'parse');
  // a first load cuts every key from its text (main parsed each one's quoted text)
  expect(engine.load(datafile(keys, 1))).toMatchObject({ ok: true, flagCount: 50 });
  expect(parse).not.toHaveBeenCalled();
  // the same keys (another revision), then two renamed (one spelt with escapes, which its flag's JSON says)
  expect(engine.load(datafile(keys, 2))).toMatchObject({ ok: true, flagCount: 50 });
  expect(parse).not.toHaveBeenCalled();
  const renamed = keys.map((k, i) => (i === 7 ? 'renamed-7' : i === 30 ? 'renamed-30' : k));
  expect(engine.load(datafile(renamed, 3, new Set(['renamed-30'])))).toMatchObject({ ok: true, flagCount: 50 });
  expect(parse.mock.calls.map(([text]) => text)).toEqual([expect.stringMatching(/^\{"key":"\\u0072/)]);
  parse.mockRestore();
  expect(engine.flagKeys).toEqual(renamed);
  expect(renamed.map((k) => engine.flagIndex(k))).toEqual(renamed.map((_, i) => i));
  expect(engine.flagIndex('flag-7')).toBe(-1);
});

it('keeps no replaced datafile\'s text alive through keys cut from it, however many later loads have the key', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const engine = AvsbEngine.createSync(wasmModule('release'), { lazyFlags: new LazyFlags() });
  // keys long enough for V8 to cut them as slices of the text (13 units or more), each text 4 MB of its own
  const keys = Array.from({ length: 20 }, (_, i) => `a-long-flag-key-${i}`);
  const pad = 4 << 20;
  let before = 0;
  for (let round = 0; round < 20; round++) {
    // each load renames one key: that key is first cut from this text, and the later texts have it too
    keys[round] = `renamed-flag-key-${round}`;
    expect(engine.load(datafile(keys, round) + ' '.repeat(pad - round))).toMatchObject({ ok: true, flagCount: 20 });
    if (round === 1) before = heap();
  }
  // the served text and at most one earlier (a key Map taken whole); a key kept from each text would be 18 more
  expect(heap() - before).toBeLessThan(2 * pad);
  expect(keys.map((k) => engine.flagIndex(k))).toEqual(keys.map((_, i) => i));
});
