import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runConformance } from '@avsb/conformance';
import { AvsbEngine, ContextEncoder, LazyFlags, PageEngine, evaluateAll, flagTexts, isEvaluator, loadCompiled, useModule } from '../src/index';
import type { CompiledDatafile } from '../src/index';
import { compileDatafile } from '../dist/compiler.js';
import { wasmModule } from './support/wasm';
import { bytesToString, stringToBytes } from '../src/byte-string';
import { bigDatafile, guideDatafile } from './support/fixtures';

// The host side of compiled datafiles (docs/compiled-datafile.md): the
// server's compileDatafile (dist/compiler.js, on dist/avsb-compiler.wasm)
// writes the document, AvsbEngine on the shipped evaluator loads it as text,
// bytes or object, and answers every read as the full engine does with the
// JSON datafile.

const evaluatorModule = new WebAssembly.Module(readFileSync(new URL('../dist/avsb-evaluator.wasm', import.meta.url)));
const evaluator = (options = {}) => AvsbEngine.createSync(evaluatorModule, options);

function compiled(datafile: unknown): CompiledDatafile {
  const r = compileDatafile(datafile as object);
  if (!r.ok) throw new Error(r.error);
  return r.document;
}

// AvsbEngine with contexts as JSON and encoded, a server's (encoded contexts, lazy flags), and a page's PageEngine
const hosts = {
  '': () => evaluator(),
  ', binary contexts': () => evaluator({ contextEncoder: new ContextEncoder() }),
  ', lazy flags': () => evaluator({ contextEncoder: new ContextEncoder(), lazyFlags: new LazyFlags() }),
  ', PageEngine': () => PageEngine.createSync(evaluatorModule),
};
for (const [host, make] of Object.entries(hosts)) {
  describe(`conformance: compileDatafile → document text → the evaluator's host${host}`, () => {
    const engine = make();
    runConformance(
      {
        load(datafile) {
          const c = compileDatafile(datafile as object | string);
          if (!c.ok) return c.error;
          // as it travels: JSON text
          const r = loadCompiled(engine, JSON.stringify(c.document));
          if (!r.ok) return `evaluator: ${r.error}`;
          return { error: null, warnings: c.warnings };
        },
        evaluate(context, flagKey) {
          let handle: number;
          try {
            handle = engine.registerContext(context as object | string);
          } catch (e) {
            return (e as Error).message;
          }
          const d = engine.evaluate(handle, flagKey);
          engine.releaseContext(handle);
          return d;
        },
      },
      { describe, it, expect },
    );
  });
}

describe('an evaluator answers as the full engine', () => {
  const contexts = [
    { key: 'user-3', country: 'NO', appVersion: '2.1.0', email: 'a@example.com' },
    { key: 'u', plan: 'pro' },
    { kind: 'multi', user: { key: 'x', plan: 'free' }, org: { key: 'o1' } },
  ];
  for (const [name, datafile] of [
    ['the guide datafile', guideDatafile],
    ['a 300-flag datafile', bigDatafile(300, 7)],
  ] as const) {
    it.each([false, true])(`${name}: load results, revision, flag keys, details and evaluateAll (lazy flags: %s)`, (lazy) => {
      const full = AvsbEngine.createSync(wasmModule('release'));
      const ev = evaluator(lazy ? { lazyFlags: new LazyFlags() } : {});
      const a = full.load(datafile);
      const doc = compiled(datafile);
      const b = loadCompiled(ev, doc);
      expect(a.ok && b.ok).toBe(true);
      expect(b.ok && { revision: b.revision, flagCount: b.flagCount }).toEqual(a.ok && { revision: a.revision, flagCount: a.flagCount });
      expect(ev.revision).toBe(full.revision);
      expect(ev.flagKeys).toEqual(full.flagKeys);
      for (const context of contexts) {
        const ha = full.registerContext(context);
        const hb = ev.registerContext(context);
        for (const key of full.flagKeys) expect(ev.evaluate(hb, key), key).toEqual(full.evaluate(ha, key));
        expect(ev.evaluate(hb, 'no-such-flag')).toEqual(full.evaluate(ha, 'no-such-flag'));
        expect([...evaluateAll(ev, hb)]).toEqual([...evaluateAll(full, ha)]);
        expect(ev.budgetExhaustions).toEqual(full.budgetExhaustions);
      }
    });
  }

  it("with lazyFlags, makes a flag's values and reasons on its first read, not at load", () => {
    // as it arrives: parsed from its text (compileDatafile's own document shares values the compiler froze)
    const doc = JSON.parse(JSON.stringify(compiled(guideDatafile))) as CompiledDatafile;
    const ev = evaluator({ lazyFlags: new LazyFlags() });
    expect(loadCompiled(ev, doc).ok).toBe(true);
    // a compiled document has no flag texts (the evaluator records no spans): a store compares its flags by value
    expect(flagTexts(ev)).toBeUndefined();
    // the table freezes a flag's variations in place when it makes the flag's view
    const frozen = () => doc.flags.map((f) => Object.isFrozen(f.variations));
    expect(frozen().some(Boolean)).toBe(false);
    const h = ev.registerContext({ key: 'u_2', plan: 'pro' });
    expect(ev.evaluate(h, 'checkout-v2').reason).toMatchObject({ kind: 'RULE_MATCH', ruleId: 'pro-plan' });
    expect(frozen()).toEqual(doc.flags.map((f) => f.key === 'checkout-v2'));
    // a datafile refused later keeps the lazy table serving
    expect(loadCompiled(ev, { ...doc, version: 2 }).ok).toBe(false);
    expect(ev.flagKeys).toEqual(doc.flags.map((f) => f.key));
  });

  it('loads the document as text, UTF-8 bytes or object; load() of an evaluator fails as a fault would', () => {
    const doc = compiled(guideDatafile);
    const text = JSON.stringify(doc);
    const ev = evaluator();
    for (const input of [text, new TextEncoder().encode(text), JSON.parse(text) as object]) {
      const r = loadCompiled(ev, input);
      expect(r).toEqual({ ok: true, revision: guideDatafile.revision ?? null, flagCount: guideDatafile.flags.length, warnings: [], warningCount: 0 });
    }
    const message = 'datafile: the engine faulted while loading it; the previous datafile stays active';
    expect(ev.load(text)).toEqual({ ok: false, error: message });
    expect(ev.load(guideDatafile)).toEqual({ ok: false, error: message });
    // as an engine fault: rebuilt with the datafile it had
    expect(ev.faults).toBe(2);
    expect(ev.revision).toBe(guideDatafile.revision ?? null);
    expect(ev.evaluate(ev.registerContext({ key: 'u_1' }), 'checkout-v2').reason).toEqual({ kind: 'TARGET_MATCH' });
  });
});

it("the evaluator exports the engine's ABI with avsb_load_compiled in place of avsb_load and its flag spans (ABI.md)", () => {
  const names = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name).sort();
  const jsonLoad = ['avsb_load', 'avsb_flag_spans'];
  expect(names(evaluatorModule)).toEqual([...names(wasmModule('release')).filter((n) => !jsonLoad.includes(n)), 'avsb_load_compiled'].sort());
});

describe('useModule: an evaluator switched to the full engine', () => {
  it('keeps every context handle, drops the compiled datafile it cannot read, and loads JSON from then on; no fault counted', () => {
    const ev = evaluator({ contextEncoder: new ContextEncoder() });
    expect(isEvaluator(ev)).toBe(true);
    loadCompiled(ev, compiled(guideDatafile));
    const a = ev.registerContext({ key: 'u_1' });
    const b = ev.registerContext({ key: 'u_2', plan: 'pro' });
    useModule(ev, wasmModule('release'));
    expect(isEvaluator(ev)).toBe(false);
    expect(ev.faults).toBe(0);
    expect(ev.liveContexts).toBe(2);
    expect(ev.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'NO_DATAFILE' });
    expect(ev.load(guideDatafile).ok).toBe(true);
    expect(ev.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'TARGET_MATCH' });
    expect(ev.evaluate(b, 'checkout-v2').reason).toMatchObject({ kind: 'RULE_MATCH', ruleId: 'pro-plan' });
  });
});

describe('an evaluator after a trap', () => {
  it('is rebuilt from the compiled datafile it holds: the same handles answer again', () => {
    const ev = evaluator({ contextEncoder: new ContextEncoder() });
    loadCompiled(ev, compiled(guideDatafile));
    const a = ev.registerContext({ key: 'u_1' });
    const b = ev.registerContext({ key: 'u_2', plan: 'pro' });
    const before = [ev.evaluate(a, 'checkout-v2'), ev.evaluate(b, 'checkout-v2')];
    // fault injection: corrupt the engine's whole memory, as a bug would
    new Uint8Array((ev as unknown as { _x: { memory: WebAssembly.Memory } })._x.memory.buffer).fill(0xff);
    expect(ev.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
    expect(ev.faults).toBe(1);
    expect([ev.evaluate(a, 'checkout-v2'), ev.evaluate(b, 'checkout-v2')]).toEqual(before);
  });

  it('the inlined evaluator (evaluatorWasmBytes) is the shipped file', async () => {
    const { evaluatorWasmBytes } = await import('../src/wasm-inline');
    expect(Buffer.from(evaluatorWasmBytes()).equals(readFileSync(new URL('../dist/avsb-evaluator.wasm', import.meta.url)))).toBe(true);
  });
});

describe('documents the evaluator refuses: the previous datafile keeps serving', () => {
  const first = compiled({ schemaVersion: 1, revision: 1, flags: [{ key: 'f', on: true, variations: ['a', 'b'], fallthrough: { variation: 1 } }] });
  const good = (): AvsbEngine => {
    const ev = evaluator();
    expect(loadCompiled(ev, first).ok).toBe(true);
    return ev;
  };
  const second = compiled({ schemaVersion: 1, revision: 2, flags: [{ key: 'f', on: true, variations: ['a', 'b'], fallthrough: { variation: 0 } }, { key: 'g', on: false, variations: [1], offVariation: 0, fallthrough: { variation: 0 } }] });
  const bytes = stringToBytes(second.compiled, new Uint8Array(second.compiled.length))!;
  const mutated = (at: number, value: number): string => {
    const b = bytes.slice();
    b[at] = value;
    return bytesToString(b);
  };
  const cases: [string, unknown, string | RegExp][] = [
    ['not JSON', '{"format":', /^datafile: not JSON \(/],
    ['a JSON datafile', { schemaVersion: 1, flags: [] }, 'datafile: a JSON datafile: load it with avsb-engine.wasm and load()'],
    ['another document', { flags: [] }, 'datafile: format: must be "avsb.compiled-datafile"'],
    ['another version', { ...second, version: 2 }, 'datafile: version: must be 1'],
    ['a revision that is no number', { ...second, revision: '2' }, 'datafile: revision: must be a number'],
    ['no compiled member', { ...second, compiled: undefined }, 'datafile: compiled: must be a byte string of up to 64 MiB'],
    ['a byte string over 64 MiB', { ...second, compiled: 'A'.repeat((64 << 20) + 1) }, 'datafile: compiled: must be a byte string of up to 64 MiB'],
    ['a code unit no byte is written as (base64 of the bytes is not a byte string either)', { ...second, compiled: `${second.compiled}\u0000` }, 'datafile: compiled: must be a byte string of up to 64 MiB'],
    ['a code unit above U+011F', { ...second, compiled: `${second.compiled}\u0120` }, 'datafile: compiled: must be a byte string of up to 64 MiB'],
    ['flags that are no list', { ...second, flags: {} }, 'datafile: flags: must be an array'],
    ['a duplicate key', { ...second, flags: [second.flags[0], second.flags[0]] }, 'datafile: flags[1].key: must be a unique string'],
    ['a flag without key', { ...second, flags: [second.flags[0], {}] }, 'datafile: flags[1].key: must be a unique string'],
    ['fewer flags listed than compiled', { ...second, flags: [second.flags[0]] }, 'datafile: flags: 1 listed, 2 compiled'],
    ['bytes of another format version', { ...second, compiled: mutated(4, 9) }, 'datafile: compiled for another format version than 1'],
    ['bytes with another magic', { ...second, compiled: mutated(0, 0x58) }, /^datafile: /],
    ['truncated bytes', { ...second, compiled: bytesToString(bytes.subarray(0, bytes.length - 3)) }, /^datafile: invalid compiled datafile at byte \d+$/],
    ['no bytes', { ...second, compiled: '' }, /^datafile: /],
  ];
  it.each(cases)('%s', (_name, doc, message) => {
    const ev = good();
    const ctx = ev.registerContext({ key: 'u' });
    const r = loadCompiled(ev, doc as object);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
    expect(ev.revision).toBe(1);
    expect(ev.flagKeys).toEqual(['f']);
    expect(ev.evaluate(ctx, 'f')).toMatchObject({ value: 'b', variationIndex: 1, reason: { kind: 'FALLTHROUGH' } });
    // and the next good one loads
    expect(loadCompiled(ev, second)).toMatchObject({ ok: true, revision: 2, flagCount: 2 });
    expect(ev.evaluate(ctx, 'f').value).toBe('a');
    expect(ev.faults).toBe(_name === 'fewer flags listed than compiled' ? 1 : 0);
  });

  it('the full engine refuses a compiled document: loadCompiled says what to do, load as JSON without schemaVersion', () => {
    const full = AvsbEngine.createSync(wasmModule('release'));
    expect(loadCompiled(full, second)).toEqual({ ok: false, error: 'datafile: a compiled datafile: load it with avsb-evaluator.wasm (this is avsb-engine.wasm)' });
    expect(full.load(second)).toMatchObject({ ok: false, error: expect.stringMatching(/schemaVersion/) });
    expect(full.load(JSON.stringify(second))).toMatchObject({ ok: false, error: expect.stringMatching(/schemaVersion/) });
  });

});

describe('byte strings', () => {
  it('carry every byte value, JSON text keeps them, and only what they write is read back', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = bytesToString(all);
    expect(text.length).toBe(256);
    expect(stringToBytes(JSON.parse(JSON.stringify(text)) as string, new Uint8Array(256))).toEqual(all);
    // JSON escapes only the quote and the backslash: no six-byte \u00XX
    expect(JSON.stringify(text)).not.toMatch(/\\u00/);
    expect(stringToBytes('\u001f', new Uint8Array(1))).toBeNull();
    expect(stringToBytes('\u0100\u011f\u00ff\u0020', new Uint8Array(4))).toEqual(Uint8Array.from([0, 0x1f, 0xff, 0x20]));
    expect(stringToBytes('\u0120', new Uint8Array(1))).toBeNull();
    expect(bytesToString(new Uint8Array(100_000).fill(7)).length).toBe(100_000);
  });

  it('are read back whole across the runs they are read in, and refused for a bad unit in any run', () => {
    const bytes = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 7 + (i >> 12)) & 0xff);
    const text = bytesToString(bytes);
    expect(stringToBytes(text, new Uint8Array(text.length))).toEqual(bytes);
    // where each run of stringToBytes ends: 4,096 units, then 1/16 more each time
    const ends = [0];
    while (ends.at(-1)! < text.length) ends.push(ends.at(-1)! + 4096 + (ends.at(-1)! >> 4));
    expect(ends.length).toBeGreaterThan(20);
    for (const at of [...ends.flatMap((end) => [end - 1, end, end + 1]), text.length - 1].filter((i) => i >= 0 && i < text.length)) {
      for (const bad of ['\u001f', '\u0120', '\ud800']) expect(stringToBytes(text.slice(0, at) + bad + text.slice(at + 1), new Uint8Array(text.length)), `${at}`).toBeNull();
    }
  });
});

describe('compileDatafile', () => {
  it('refuses what the full engine refuses, with its message, and reports its warnings', () => {
    const full = AvsbEngine.createSync(wasmModule('release'));
    for (const datafile of ['{', '{"schemaVersion":2,"flags":[]}', { schemaVersion: 1, flags: [{ key: 'a' }, { key: 'a' }] }]) {
      const expected = full.load(datafile);
      expect(expected.ok).toBe(false);
      expect(compileDatafile(datafile)).toEqual(expected);
    }
    const warned = { schemaVersion: 1, flags: [{ key: 'w', on: true, variations: [1], fallthrough: { variation: 3 } }] };
    const r = compileDatafile(warned);
    const f = full.load(warned);
    expect(r.ok && f.ok && [r.warnings, r.warningCount]).toEqual(f.ok && [f.warnings, f.warningCount]);
  });

  it('writes the host part: keys, variations, rule ids, prerequisite keys, client-side marks, revision; never the rules', () => {
    const doc = compiled({
      schemaVersion: 1,
      revision: 9,
      segments: [{ key: 'beta', included: ['u1'] }],
      flags: [
        { key: 'a', on: true, clientSide: true, variations: [{ x: 1 }, null], rules: [{ id: 'r1', clauses: [{ attribute: 'key', op: 'segmentMatch', values: ['beta'] }], serve: { variation: 0 } }, { clauses: [], serve: { variation: 1 } }], fallthrough: { variation: 1 } },
        { key: 'b', on: true, variations: [true, false], prerequisites: [{ key: 'a', variation: 0 }], fallthrough: { variation: 0 } },
      ],
    });
    const { compiled: byteString, flags, ...rest } = doc;
    expect(rest).toEqual({ format: 'avsb.compiled-datafile', version: 1, revision: 9 });
    // the magic and version, as bytes and as the byte string carries them
    expect(byteString.slice(0, 5)).toBe('AVSB\u0101');
    expect([...stringToBytes(byteString, new Uint8Array(byteString.length))!.subarray(0, 5)]).toEqual([0x41, 0x56, 0x53, 0x42, 1]);
    expect(flags.map(({ hash, ...f }) => f)).toEqual([
      { key: 'a', clientSide: true, variations: [{ x: 1 }, null], rules: [{ id: 'r1' }, {}], prerequisites: [] },
      { key: 'b', variations: [true, false], rules: [], prerequisites: [{ key: 'a' }] },
    ]);
    // the targets and clauses are in the compiled bytes only (as readable as in the JSON datafile)
    expect(JSON.stringify({ ...doc, compiled: '' })).not.toContain('u1');
  });

  it("a flag's hash changes with its definition and the segments it uses, directly or through another, and only then", () => {
    const datafile = (seg: string[], flagB: number, nested: string[]) => ({
      schemaVersion: 1,
      segments: [
        { key: 's', included: seg },
        { key: 'outer', rules: [{ clauses: [{ attribute: 'key', op: 'segmentMatch', values: ['inner'] }] }] },
        { key: 'inner', included: nested },
      ],
      flags: [
        { key: 'a', on: true, variations: [1, 2], rules: [{ clauses: [{ attribute: 'key', op: 'segmentMatch', values: ['s'] }], serve: { variation: 0 } }], fallthrough: { variation: 1 } },
        { key: 'b', on: true, variations: [1, 2], fallthrough: { variation: flagB } },
        { key: 'c', on: true, variations: [1, 2], rules: [{ clauses: [{ attribute: 'key', op: 'segmentMatch', values: ['outer'] }], serve: { variation: 0 } }], fallthrough: { variation: 1 } },
      ],
    });
    const hashes = (d: object) => compiled(d).flags.map((f) => f.hash);
    const base = hashes(datafile(['u1'], 0, ['n1']));
    expect(hashes(datafile(['u1'], 0, ['n1']))).toEqual(base);
    const changed = (d: object) => hashes(d).map((h, i) => (h === base[i] ? null : ['a', 'b', 'c'][i])).filter(Boolean);
    expect(changed(datafile(['u2'], 0, ['n1']))).toEqual(['a']);
    expect(changed(datafile(['u1'], 1, ['n1']))).toEqual(['b']);
    expect(changed(datafile(['u1'], 0, ['n2']))).toEqual(['c']);
  });
});
