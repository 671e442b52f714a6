import { afterEach, expect, it, vi } from 'vitest';
import { AvsbEngine, LazyFlags, PageEngine, loadDatafile } from '../src/index';
import { wasmModule, type Binary } from './support/wasm';
import { random } from './support/random';

// With `lazyFlags` the host does not parse a datafile's text whole: the
// engine says where each flag lies in it (ABI.md, "Flag spans"), keys are cut
// from there and a flag's JSON is parsed when a read first needs it (from a
// parsed datafile, its flag objects are read then). What reads answer must
// be what an engine without it answers, which parses the whole text: both
// are compared here over generated datafiles whose keys and values are
// written every way JSON allows (escapes, raw non-ASCII, lone surrogates,
// whitespace, duplicate members, `__proto__`).

const binaries: Binary[] = ['release', 'debug'];


type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Writes JSON with a random spelling for every string and random whitespace (a raw lone surrogate is kept raw). */
function write(v: Json, r: () => number): string {
  const ws = () => [' ', '', '', '\n  ', '\t'][Math.floor(r() * 5)]!;
  if (typeof v === 'string') return spell(v, r);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : r() < 0.2 && Number.isInteger(v) && Math.abs(v) < 1e15 ? `${v}.0e0` : String(v);
  if (v === null || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => write(x, r)).join(`,${ws()}`)}${ws()}]`;
  return `{${ws()}${Object.entries(v).map(([k, x]) => `${spell(k, r)}${ws()}:${ws()}${write(x, r)}`).join(`,${ws()}`)}${ws()}}`;
}

function spell(s: string, r: () => number): string {
  const how = r();
  if (how < 0.5) return JSON.stringify(s);
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (how < 0.75 || ch === '"' || ch === '\\' || c < 0x20) {
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else out += ch; // raw, lone surrogates included
  }
  return `${out}"`;
}

const ODD = ['é', '😀', '\ud800', '\udfff', '"', '\\', '/', '\n', '\u0000', '\ufffd', 'ü', 'ー', 'a b'];

function text(r: () => number, max: number): string {
  let s = '';
  const n = 1 + Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += r() < 0.7 ? String.fromCharCode(97 + Math.floor(r() * 26)) : ODD[Math.floor(r() * ODD.length)]!;
  return s;
}

function value(r: () => number, depth: number): Json {
  const k = Math.floor(r() * (depth > 2 ? 4 : 7));
  if (k === 0) return r() < 0.5;
  if (k === 1) return [0, -0, 1.5, 1e21, -7, 123456789012][Math.floor(r() * 6)]!;
  if (k === 2) return text(r, 12);
  if (k === 3) return null;
  if (k === 4) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  const o: { [k: string]: Json } = {};
  for (let i = Math.floor(r() * 4); i > 0; i--) o[r() < 0.15 ? '__proto__' : text(r, 5)] = value(r, depth + 1);
  return o;
}

/** A datafile whose flags' keys are unique as the engine reads them (UTF-8 with lone surrogates as U+FFFD). */
function datafile(seed: number): string {
  const r = random(seed);
  const keys = new Set<string>();
  const flags: string[] = [];
  const n = 1 + Math.floor(r() * 12);
  while (flags.length < n) {
    const key = `${text(r, 6)}-${flags.length}`;
    const seen = key.replace(/[\ud800-\udfff]/g, (c, at: number, s: string) => (/[\ud800-\udbff][\udc00-\udfff]/.test(s.slice(at - 1, at + 1) + s.slice(at, at + 2)) ? c : '\ufffd'));
    if (keys.has(seen)) continue;
    keys.add(seen);
    const variations = Array.from({ length: 1 + Math.floor(r() * 3) }, () => value(r, 0));
    const rules = Array.from({ length: Math.floor(r() * 3) }, (_, i) => ({
      ...(r() < 0.8 ? { id: r() < 0.9 ? text(r, 8) : 5 } : {}),
      clauses: [{ attribute: 'plan', op: 'in', values: ['pro', text(r, 4)] }],
      serve: { variation: i % variations.length },
    }));
    const prerequisites = flags.length > 0 && r() < 0.3 ? [{ key: [...keys][0]!, variation: 0 }] : undefined;
    const flag: { [k: string]: Json } = { key, on: r() < 0.8, variations, offVariation: 0, rules, fallthrough: { variation: variations.length - 1 } };
    if (prerequisites) flag.prerequisites = prerequisites;
    let body = write(flag, r);
    // a duplicate member: the last one counts, for the engine as for JSON.parse
    if (r() < 0.2) body = `{"key":"shadowed-${flags.length}",${body.slice(1)}`;
    flags.push(body);
  }
  const revision = r() < 0.7 ? `"revision": ${Math.floor(r() * 1000)},` : '';
  return `${r() < 0.5 ? '\n ' : ''}{"schemaVersion":1,${revision} "flags": [${flags.join(r() < 0.5 ? ',' : ' ,\n')}]}  `;
}

const cases = binaries.flatMap((binary) => [true, false].map((fromText) => [binary, fromText ? 'text' : 'a parsed datafile', fromText] as const));

it.each(cases)('answers every read as an engine without lazyFlags does (%s, from %s)', (binary, _from, fromText) => {
  const module = wasmModule(binary);
  const spanned = AvsbEngine.createSync(module, { lazyFlags: new LazyFlags() });
  const parsed = AvsbEngine.createSync(module);
  let nonAscii = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const json = datafile(seed);
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(json)) nonAscii++;
    const doc = JSON.parse(json) as { revision?: number; flags: { key: string; variations: Json[]; rules: unknown[] }[] };
    const a = fromText ? spanned.load(json) : spanned.load(json, JSON.parse(json) as object);
    expect(a, json).toEqual(parsed.load(json));
    expect(a).toMatchObject({ ok: true, revision: doc.revision ?? null, flagCount: doc.flags.length });
    expect(spanned.flagKeys).toEqual(doc.flags.map((f) => f.key));
    const contexts = ['free', 'pro'].map((plan) => [spanned, parsed].map((e) => e.registerContext({ key: 'u', plan })));
    doc.flags.forEach((f, i) => {
      expect(spanned.flagIndex(f.key)).toBe(i);
      f.variations.forEach((v, variation) => {
        const served = spanned.variationValue(i, variation);
        expect(served).toEqual(v);
        expect(JSON.stringify(served)).toBe(JSON.stringify(v));
        expect(served === null || typeof served !== 'object' || Object.isFrozen(served)).toBe(true);
      });
      for (const [hs, hp] of contexts) expect(spanned.evaluate(hs!, f.key)).toEqual(parsed.evaluate(hp!, f.key));
    });
    for (const [hs, hp] of contexts) {
      spanned.releaseContext(hs!);
      parsed.releaseContext(hp!);
    }
  }
  // the generator reaches the path that converts byte offsets for non-ASCII text
  expect(nonAscii).toBeGreaterThan(100);
});

// a failed expectation must not leave JSON.parse spied on for the next test
afterEach(() => {
  vi.restoreAllMocks();
});

// the option is the engine's: `loadDatafile` on it reads its flags lazily as its `load` does
const loads = { load: (e: AvsbEngine, json: string) => e.load(json), loadDatafile: (e: AvsbEngine, json: string) => loadDatafile(e, json) };

it.each(['load', 'loadDatafile'] as const)('parses no flag while loading (%s), and a flag once, when a read first needs it', (via) => {
  const e = AvsbEngine.createSync(wasmModule('release'), { lazyFlags: new LazyFlags() });
  const json = datafile(11);
  const keys = (JSON.parse(json) as { flags: { key: string }[] }).flags.map((f) => f.key);
  const parse = vi.spyOn(JSON, 'parse');
  // objects parsed: flags (keys are parsed from their quoted text, a key with an escape from its flag's JSON)
  const flags = () => parse.mock.calls.filter(([text]) => text.startsWith('{')).length;
  expect(loads[via](e, json)).toMatchObject({ ok: true, flagCount: keys.length });
  expect(parse.mock.calls.some(([text]) => text === json)).toBe(false);
  const escapedKeys = flags();
  expect(escapedKeys).toBeLessThan(keys.length);
  const h = e.registerContext({ key: 'u' });
  e.evaluate(h, keys[0]!);
  expect(flags()).toBe(escapedKeys + 1);
  e.evaluate(h, keys[0]!);
  e.variationValue(0, 0);
  expect(flags()).toBe(escapedKeys + 1);
  e.variationValue(1, 0);
  expect(flags()).toBe(escapedKeys + 2);
});

it('parses the whole text on a PageEngine, which has no lazyFlags, and on an AvsbEngine created without it', () => {
  const json = datafile(11);
  const parse = vi.spyOn(JSON, 'parse');
  expect(loadDatafile(PageEngine.createSync(wasmModule('release')), json)).toMatchObject({ ok: true });
  expect(parse.mock.calls.filter(([text]) => text === json)).toHaveLength(1);
  expect(AvsbEngine.createSync(wasmModule('release')).load(json)).toMatchObject({ ok: true });
  expect(parse.mock.calls.filter(([text]) => text === json)).toHaveLength(2);
});

it('keeps serving the previous datafile from its own text after a refused load and after a trap', () => {
  const e = AvsbEngine.createSync(wasmModule('release'), { lazyFlags: new LazyFlags() });
  const first = datafile(7);
  const keys = (JSON.parse(first) as { flags: { key: string }[] }).flags.map((f) => f.key);
  expect(e.load(first)).toMatchObject({ ok: true });
  expect(e.load('{"schemaVersion":1,"flags":[{"key":"x"},{"key":"x"}]}')).toMatchObject({ ok: false });
  expect(e.load('{"schemaVersion":1,"flags":[')).toMatchObject({ ok: false });
  expect(e.flagKeys).toEqual(keys);
  const before = keys.map((_, i) => e.variationValue(i, 0));
  const h = e.registerContext({ key: 'u' });
  const x = (e as unknown as { _x: { memory: WebAssembly.Memory } })._x;
  new Uint8Array(x.memory.buffer).fill(0xff);
  expect(e.evaluate(h, keys[0]!).reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
  expect(e.faults).toBe(1);
  expect(e.flagKeys).toEqual(keys);
  expect(keys.map((_, i) => e.variationValue(i, 0))).toEqual(before);
});
