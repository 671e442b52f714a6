import { AvsbEngine, LazyFlags } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import type { Datafile } from './datafile-format';
import { datafileHead, datafileInEnvelope } from './datafile-format';
import { DatafileStore } from './datafile-store';
import type { PutOptions } from './page-store';

// A server's data sources put a datafile's JSON text as they received it: a store on an engine created with
// `lazyFlags` hands the engine that text alone (nothing parses it whole on the host) and must still answer what a
// store given the parsed object answers: results, revisions, changed keys, warnings and refusals, the datafile itself.

function store(lazy: boolean) {
  const engine = AvsbEngine.createSync(engineWasmModule(), lazy ? { lazyFlags: new LazyFlags() } : {});
  const loads: [unknown, unknown][] = [];
  const load = engine.load.bind(engine);
  engine.load = (datafile, parsed) => {
    loads.push([datafile, parsed]);
    return load(datafile, parsed);
  };
  const logger = new MemoryLogger();
  const s = new DatafileStore(engine, logger);
  const updates: string[][] = [];
  s.onUpdate((keys) => updates.push(keys.slice().sort()));
  return { engine, store: s, logger, updates, loads };
}

/** `guideDatafile(revision)` with `edit` applied. */
function edited(revision: number, edit: (df: Datafile & { flags: Record<string, unknown>[]; segments: Record<string, unknown>[] }) => void = () => {}): Datafile {
  const df = guideDatafile(revision);
  edit(df as never);
  return df;
}

const flag = (df: { flags: Record<string, unknown>[] }, key: string): Record<string, unknown> => df.flags.find((f) => f.key === key)!;

/** Puts each text as text into a lazy store, and parsed into a lazy and a plain store: all three must agree. */
function agree(texts: [string, PutOptions?][]) {
  const [text, object, plain] = [store(true), store(true), store(false)];
  for (const [t, options] of texts) {
    const results = [text.store.put(t, options), object.store.put(JSON.parse(t), { ...options, text: t }), plain.store.put(JSON.parse(t), { ...options, text: t })];
    expect(results, t.slice(0, 80)).toEqual([results[0], results[0], results[0]]);
    expect(text.store.revision).toBe(plain.store.revision);
    expect(text.store.flagCount).toBe(plain.store.flagCount);
  }
  expect(text.updates).toEqual(plain.updates);
  expect(object.updates).toEqual(plain.updates);
  return { text, plain };
}

it('hands a lazy engine the text alone, and parses it whole only when asked for the datafile', () => {
  const { store: s, loads, logger } = store(true);
  const text = JSON.stringify(guideDatafile(4));
  expect(s.put(text, { source: 'poll' })).toBe('applied');
  expect(loads).toEqual([[text, undefined]]);
  expect(s.revision).toBe(4);
  expect(s.flagCount).toBe(5);
  expect(s.ready).toBe(true);
  expect(logger.at('warn').concat(logger.at('error'))).toEqual([]);
  expect(s.datafile).toEqual(guideDatafile(4));
  expect(s.isClientSide(1)).toBe(true);
  // an engine without lazyFlags parses what it loads itself: its first datafile goes as text (parsed once, by the engine);
  // then, as its datafile has no flag texts to compare the next one's with, the store parses once and hands both on
  const plain = store(false);
  const next = JSON.stringify(guideDatafile(5));
  expect([plain.store.put(text), plain.store.put(next)]).toEqual(['applied', 'unchanged']);
  expect(plain.loads).toEqual([
    [text, undefined],
    [next, guideDatafile(5)],
  ]);
});

it('tells the same changed keys from texts as from objects: flags, segments, prerequisites, whitespace and escapes', () => {
  const { text } = agree([
    [JSON.stringify(edited(1))],
    // the same datafile written another way: nothing changed
    [JSON.stringify(edited(2), null, 2)],
    // a segment: the flag whose rule matches it changes, and the flag that has that flag as prerequisite
    [JSON.stringify(edited(3, (df) => (df.segments[0]!.included = ['u_8'])), null, 1)],
    // one flag, in a text whose flags are separated by whitespace
    [JSON.stringify(edited(4, (df) => (flag(df, 'page-size').offVariation = 1)), null, 1)],
    [JSON.stringify(edited(5, (df) => (flag(df, 'page-size').offVariation = 1))).replace('"key":"banner"', '"key":"b\\u0061nner"')],
    // a flag removed, another added
    [JSON.stringify(edited(6, (df) => df.flags.splice(2, 1, { key: 'new', on: false, variations: [1], offVariation: 0, fallthrough: { variation: 0 } })))],
    // a member before the flags holding a flag's text, and the segments after the flags
    [JSON.stringify({ schemaVersion: 1, revision: 7, extra: [edited(7).flags[0]], flags: edited(7).flags, segments: edited(7).segments })],
    [JSON.stringify({ schemaVersion: 1, revision: 8, flags: edited(8).flags, segments: [{ key: 'beta-testers', included: ['u_9'] }] })],
  ]);
  expect(text.updates).toEqual([
    ['banner', 'checkout-v2', 'dark-launch', 'page-size', 'ui-theme'],
    ['banner', 'ui-theme'],
    // (and the segment back as it was)
    ['banner', 'page-size', 'ui-theme'],
    ['new', 'page-size'],
    ['new', 'page-size'],
    ['banner', 'ui-theme'],
  ]);
});

it('refuses what the engine refuses, in the same words, and keeps serving the previous revision', () => {
  const { store: s, logger } = store(true);
  expect(s.put(JSON.stringify(guideDatafile(3)))).toBe('applied');
  expect(s.put('{"schemaVersion":1,"flags":[', { source: 'poll' })).toBe('refused');
  expect(s.put('[1]', { source: 'poll' })).toBe('refused');
  expect(s.put('{"flags":[', { source: 'poll' })).toBe('refused');
  expect(s.put(JSON.stringify({ ...guideDatafile(4), schemaVersion: 2 }), { source: 'stream' })).toBe('refused');
  expect(s.revision).toBe(3);
  expect(logger.at('error')).toEqual([
    // the engine's words: the leading members are an object's, so the text went to the engine
    expect.stringMatching(/^refused a datafile \(poll\): datafile: invalid JSON at byte 28: .+; still serving revision 3$/),
    'refused a datafile (poll): datafile: must be a JSON object; still serving revision 3',
    expect.stringMatching(/^refused a datafile \(poll\): datafile: invalid JSON at byte 10: .+; still serving revision 3$/),
    expect.stringMatching(/^refused a datafile \(stream\): schemaVersion: must be 1 .*; still serving revision 3$/),
  ]);
  const plain = store(false);
  plain.store.put(JSON.stringify(guideDatafile(3)));
  plain.store.put(JSON.stringify({ ...guideDatafile(4), schemaVersion: 2 }), { source: 'stream' });
  expect(plain.logger.at('error')).toEqual(logger.at('error').slice(3));
});

it('logs the warnings of a datafile put as text, and applies patches in place after it', () => {
  const { store: s, logger, updates } = store(true);
  const df = edited(1, (d) => ((flag(d, 'page-size').rules as unknown) = [{ clauses: [{ attribute: 'v', op: 'semVerEqual', values: ['02.0.0'] }], serve: { variation: 0 } }]));
  expect(s.put(JSON.stringify(df), { source: 'poll' })).toBe('applied');
  expect(logger.at('warn')).toEqual([expect.stringMatching(/^datafile \(poll\) has 1 problem\(s\) the engine works around: flags\[2\]\.rules\[0\]\.clauses\[0\]\.values\[0\]: /)]);
  expect(s.patch({ revision: 2, kind: 'flag', key: 'dark-launch', value: { key: 'dark-launch', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } } })).toBe('applied');
  expect(s.delete({ revision: 3, kind: 'segment', key: 'beta-testers' })).toBe('applied');
  expect(s.revision).toBe(3);
  expect(updates.slice(1)).toEqual([['dark-launch'], ['banner', 'ui-theme']]);
  // back to a text: compared with the patched datafile
  expect(s.put(JSON.stringify(edited(4)))).toBe('applied');
  expect(updates.slice(3)).toEqual([['banner', 'dark-launch', 'page-size', 'ui-theme']]);
});

it('ignores an older revision when asked to, telling it from the leading members (or, when they do not say it, the parsed text)', () => {
  agree([
    [JSON.stringify(edited(5))],
    [JSON.stringify(edited(4, (df) => (flag(df, 'page-size').on = false))), { onlyIfNewer: true }],
    [JSON.stringify({ flags: edited(3).flags, schemaVersion: 1, revision: 3 }), { onlyIfNewer: true }],
    [JSON.stringify({ flags: edited(6).flags, schemaVersion: 1, revision: 6 }), { onlyIfNewer: true }],
    [JSON.stringify(edited(6)), { onlyIfNewer: true }],
    [JSON.stringify(edited(2))],
  ]);
});

it('reads the members before the first object or array (or bracket), and nothing when the text is no object', () => {
  expect(datafileHead('{"schemaVersion":1,"revision":7,"flags":[{"revision":8}]}')).toEqual({ schemaVersion: 1, revision: 7 });
  expect(datafileHead(' { "format" : "avsb.compiled-datafile" , "revision" : 2 , "compiled" : "…" }')).toEqual({ format: 'avsb.compiled-datafile', revision: 2 });
  expect(datafileHead('{"flags":[],"revision":7}')).toEqual({});
  expect(datafileHead('{"n\\u0061me":1,"revision":7,"flags":[]}')).toEqual({ name: 1, revision: 7 });
  // a bracket inside a string: the members before that string, or none
  expect(datafileHead('{"revision":7,"note":"a [b]","flags":[]}')).toEqual({ revision: 7 });
  expect(datafileHead('{"note":"a, [b]","revision":7,"flags":[]}')).toBeNull();
  expect(datafileHead('{"note":"a\\",[b]","revision":7,"flags":[]}')).toBeNull();
  expect(datafileHead('[{"revision":7}]')).toBeNull();
  expect(datafileHead('{"revision":07,"flags":[]}')).toBeNull();
});

it("cuts a put event's datafile from the protocol's envelope, and nothing from other data", () => {
  expect(datafileInEnvelope('{"datafile":{"schemaVersion":1,"flags":[]}}')).toBe('{"schemaVersion":1,"flags":[]}');
  expect(datafileInEnvelope(' { "datafile" : {"flags":[]} } \n')).toBe('{"flags":[]}');
  // another member after the datafile, the datafile bare, not JSON
  expect(datafileInEnvelope('{"datafile":{"flags":[]},"x":1}')).toBeNull();
  expect(datafileInEnvelope('{"schemaVersion":1,"flags":[]}')).toBeNull();
  expect(datafileInEnvelope('{"datafile": {"schemaVersion": 1, "flags": [')).toBeNull();
});
