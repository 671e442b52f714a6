import { AvsbEngine, LazyFlags } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { afterEach, expect, it, vi } from 'vitest';
import { DatafileStore } from './datafile-store';

// A lazy store whose next datafile has the same keys in the same order and names no prerequisite, no segmentMatch
// clause and no escape tells its changed keys from the flags' texts alone (datafile-store.ts): its update listeners
// must hear what a store on an engine without `lazyFlags` hears (which compares every flag's serialisation), through
// updates that keep to that case and updates that leave it (keys reordered, added, removed, a prerequisite, a
// segment, an escape).

function store(lazy: boolean) {
  const engine = AvsbEngine.createSync(engineWasmModule(), lazy ? { lazyFlags: new LazyFlags() } : {});
  const s = new DatafileStore(engine, new MemoryLogger());
  const updates: string[][] = [];
  s.onUpdate((keys) => updates.push(keys.slice()));
  return { store: s, updates };
}

type Flag = Record<string, unknown> & { key: string };

const flag = (key: string, on = true, served = 0): Flag => ({ key, on, variations: ['a', 'b'], offVariation: 0, fallthrough: { variation: served } });

const text = (revision: number, flags: Flag[], rest: Record<string, unknown> = {}, space?: number) => JSON.stringify({ schemaVersion: 1, revision, flags, ...rest }, null, space);

afterEach(() => {
  vi.restoreAllMocks();
});

it('hears the changed keys a store that compares every flag hears, in and out of the case told by texts alone', () => {
  const keys = ['a', 'b', 'c', 'd', 'e'];
  const base = keys.map((k) => flag(k));
  const edit = (flags: Flag[], key: string, f: (flag: Flag) => Flag) => flags.map((x) => (x.key === key ? f(x) : x));
  const steps = [
    text(1, base),
    // the same flags written another way: texts differ, flags do not
    text(2, base, {}, 2),
    text(3, edit(base, 'c', (f) => ({ ...f, on: false }))),
    // two flags, one of them back as it was
    text(4, edit(base, 'e', (f) => ({ ...f, fallthrough: { variation: 1 } }))),
    // a member order of its own: another text, the same flag
    text(5, edit(base, 'e', (f) => ({ fallthrough: { variation: 1 }, ...f }))),
    // keys reordered, then one removed and one added
    text(6, [...base].reverse()),
    text(7, base.slice(1).concat(flag('f'))),
    // a segment no flag uses, then a flag that uses it, then the segment changed
    text(8, base.slice(1).concat(flag('f')), { segments: [{ key: 's', included: ['u1'] }] }),
    text(9, base.slice(1).concat({ ...flag('f'), rules: [{ clauses: [{ attribute: 'key', op: 'segmentMatch', values: ['s'] }], serve: { variation: 1 } }] }), { segments: [{ key: 's', included: ['u1'] }] }),
    text(10, base.slice(1).concat({ ...flag('f'), rules: [{ clauses: [{ attribute: 'key', op: 'segmentMatch', values: ['s'] }], serve: { variation: 1 } }] }), { segments: [{ key: 's', included: ['u2'] }] }),
    // a prerequisite: the flag that has it changes with the flag it names
    text(11, base.map((f) => (f.key === 'a' ? { ...f, prerequisites: [{ key: 'b', variation: 0 }] } : f))),
    text(12, base.map((f) => (f.key === 'a' ? { ...f, prerequisites: [{ key: 'b', variation: 0 }] } : f.key === 'b' ? { ...f, on: false } : f))),
    // back to the case of texts alone, then a key spelt with an escape (the same flag)
    text(13, base),
    text(14, edit(base, 'd', (f) => ({ ...f, on: false }))),
    text(15, edit(base, 'd', (f) => ({ ...f, on: false }))).replace('"key":"b"', '"key":"\\u0062"'),
  ];
  const [lazy, plain] = [store(true), store(false)];
  for (const t of steps) expect(lazy.store.put(t)).toBe(plain.store.put(t));
  expect(lazy.updates).toEqual(plain.updates);
  // (2, the same flags, and 8, a segment no flag uses, and 15, an escape, changed nothing)
  expect(lazy.updates).toEqual([keys, ['c'], ['c', 'e'], ['e'], ['e'], ['f', 'a'], ['f'], ['f'], ['a', 'f'], ['b', 'a'], ['a', 'b'], ['d']]);
});

it('parses only the texts of the flags that differ, when keys and order are the same and nothing may depend on another', () => {
  const { store: s, updates } = store(true);
  const flags = Array.from({ length: 40 }, (_, i) => flag(`flag-${i}`));
  expect(s.put(text(1, flags))).toBe('applied');
  const parse = vi.spyOn(JSON, 'parse');
  // flag-7 edited, flag-20 written another way (both parsed to compare them); no other text is parsed
  const next = text(2, flags.map((f, i) => (i === 7 ? { ...f, on: false } : f))).replace('{"key":"flag-20","on":true', '{"key":"flag-20", "on":true');
  expect(s.put(next)).toBe('applied');
  expect(updates.at(-1)).toEqual(['flag-7']);
  // (and the leading members, for the revision)
  expect(parse.mock.calls.filter(([t]) => !t.startsWith('{"key"'))).toEqual([['{"schemaVersion":1,"revision":2}']]);
  expect(parse.mock.calls.map(([t]) => /^\{"key":"([^"]*)"/.exec(t)?.[1]).filter((k) => k !== undefined).sort()).toEqual(['flag-20', 'flag-20', 'flag-7', 'flag-7']);
});
