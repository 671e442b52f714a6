import { expect, it } from 'vitest';
import { bucketOf } from '@avsb/conformance/murmur3';
import { AvsbEngine } from '../src/index';
import { wasmModule, type Binary } from './support/wasm';

// A load reads keys, salts, attribute names, kinds and list members as the
// UTF-8 bytes the JSON lexer leaves in place (escapes undone), decoding none
// of them; target and `in` lists become one hashed set each. These pin what
// that must mean: the strings are the datafile's strings however they are
// written, and the sets hold every member, duplicates and all.

const binaries: Binary[] = ['release', 'debug'];

// Written with JSON escapes on purpose: "\u00e9" is é, "\ud83d\ude00" is 😀.
const datafile = String.raw`{"schemaVersion":1,"flags":[
{"key":"\u00e9-flag","on":true,"variations":["a","b","c"],
 "fallthrough":{"rollout":{"bucketBy":"n\u00e9","variations":[{"variation":0,"weight":30000},{"variation":1,"weight":30000},{"variation":2,"weight":40000}]}}},
{"key":"exp","salt":"s\u00e9l\ud83d\ude00","on":true,"variations":["control","treatment","out"],
 "fallthrough":{"rollout":{"kind":"experiment","trafficAllocation":50000,"untrackedVariation":2,"variations":[{"variation":0,"weight":50000},{"variation":1,"weight":50000}]}}},
{"key":"own-salt","salt":"flag","on":true,"variations":[0,1],
 "fallthrough":{"rollout":{"salt":"r\u00f6llout","contextKind":"org","variations":[{"variation":0,"weight":50000},{"variation":1,"weight":50000}]}}},
{"key":"sets","on":true,"variations":["none","target","in"],
 "targets":[{"values":["u1","u1","","\u00e9t\u00e9","u\u0032"],"variation":1}],
 "rules":[{"clauses":[{"attribute":"city","op":"in","values":["Oslo","oslo",7,"Bergen","Oslo",true,"\u00c5lesund","Troms\u00f8","Bod\u00f8"]}],"serve":{"variation":2}}],
 "fallthrough":{"variation":0}},
{"key":"needs-later","on":true,"variations":[false,true],"offVariation":0,
 "prerequisites":[{"key":"l\u0061ter","variation":1}],"fallthrough":{"variation":1}},
{"key":"later","on":true,"variations":[false,true],"fallthrough":{"variation":1}}
]}`;

const users = Array.from({ length: 300 }, (_, i) => `user-${i}-\u00e9`);

it.each(binaries)('buckets by the UTF-8 of a salt, a flag key and a bucketBy name written with escapes, and of salt ":traffic" (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  expect(engine.load(datafile)).toMatchObject({ ok: true, warnings: [] });
  const weighted = (bucket: number, bounds: number[]): number => bounds.findIndex((b) => bucket < b);
  for (const key of users) {
    const h = engine.registerContext({ kind: 'multi', user: { key: 'u', 'né': key }, org: { key } });
    // no salt anywhere: the flag's key is the salt; bucketBy "né" reads that attribute
    expect(engine.evaluate(h, 'é-flag').variationIndex).toBe(weighted(bucketOf('é-flag', key).bucket, [30000, 60000, 100000]));
    // the flag's salt, and the same salt with ":traffic" for the experiment's traffic allocation
    const inTraffic = bucketOf('sél😀:traffic', 'u').bucket < 50000;
    expect(engine.evaluate(h, 'exp').variationIndex).toBe(inTraffic ? weighted(bucketOf('sél😀', 'u').bucket, [50000, 100000]) : 2);
    // a rollout's own salt wins over its flag's
    expect(engine.evaluate(h, 'own-salt').variationIndex).toBe(weighted(bucketOf('röllout', key).bucket, [50000, 100000]));
    engine.releaseContext(h);
  }
});

it.each(binaries)('finds every member of a target list and an in list with duplicates, escapes and non-strings, and nothing else (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  expect(engine.load(datafile)).toMatchObject({ ok: true, warnings: [] });
  const value = (context: object): unknown => {
    const h = engine.registerContext(context);
    const v = engine.evaluate(h, 'sets').value;
    engine.releaseContext(h);
    return v;
  };
  for (const key of ['u1', 'été', 'u2']) expect(value({ key })).toBe('target'); // "" is listed too, but no context has that key
  for (const key of ['u3', 'U1', 'ete', 'u', 'u22']) expect(value({ key })).toBe('none');
  for (const city of ['Oslo', 'oslo', 'Bergen', 'Ålesund', 'Tromsø', 'Bodø', 7, true]) expect(value({ key: 'x', city })).toBe('in');
  for (const city of ['OSLO', 'Trondheim', 'Tromso', '', '7', 'true', 8, false]) expect(value({ key: 'x', city })).toBe('none');
});

it.each(binaries)('resolves a prerequisite written with escapes to a flag that comes after it (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  expect(engine.load(datafile)).toMatchObject({ ok: true, warnings: [] });
  const h = engine.registerContext({ key: 'u' });
  expect(engine.evaluate(h, 'needs-later')).toMatchObject({ value: true, reason: { kind: 'FALLTHROUGH' } });
  // the same datafile with the prerequisite off fails it
  expect(engine.load(datafile.replace('{"key":"later","on":true', '{"key":"later","on":false'))).toMatchObject({ ok: true });
  const h2 = engine.registerContext({ key: 'u' });
  expect(engine.evaluate(h2, 'needs-later')).toMatchObject({ value: false, reason: { kind: 'PREREQUISITE_FAILED', prerequisiteKey: 'later' } });
});
