import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { wasmModule } from './support/wasm';

// A flag's members are found in one pass over its object, by their names'
// lengths first (ruleset/compile.ts, readFlagMembers): two names share a
// length (variations, clientSide, told apart by their first byte), and a
// name of a known length may be another member. Each must still read as
// JSON.parse would: the last duplicate wins, a look-alike is another member,
// a problem is reported at the member's own path.

const flag = (members: string) => `{"schemaVersion":1,"flags":[{"key":"f",${members}}]}`;
const base = '"on":true,"variations":["a","b","c"],"fallthrough":{"variation":2}';

it.each(['release', 'debug'] as const)('reads the last of each duplicated flag member and no look-alike of the same length (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  const text = flag(
    '"on":false,"variations":[1],"vlientSide":1,"cariations":1,"variationz":"x","offVariatioN":9,"":1,"o":1,"prerequisitesAndMore":1,' +
      '"prerequisites":[{"key":"nope","variation":0}],"prerequisites":[],"targets":[{"values":["u"],"variation":0}],"targets":[{"values":["u"],"variation":1}],' +
      '"rules":[{"clauses":[{"attribute":"plan","op":"in","values":["pro"]}],"serve":{"variation":0}}],"rules":[],"salt":1,"salt":"s",' +
      '"clientSide":"x","clientSide":true,"offVariation":7,"offVariation":0,"fallthrough":{"variation":0},"kez":"g","on":true,' +
      '"variations":["a","b","c"],"fallthrough":{"variation":2}',
  );
  expect(e.load(text)).toMatchObject({ ok: true, flagCount: 1, warningCount: 0 });
  const read = (ctx: object) => e.evaluate(e.registerContext(ctx), 'f').value;
  expect(read({ key: 'u' })).toBe('b'); // the second targets
  expect(read({ key: 'v', plan: 'pro' })).toBe('c'); // the second rules (none), the second fallthrough
  expect(e.load(flag(`${base.replace('"on":true', '"on":true,"on":false')},"offVariation":1`))).toMatchObject({ ok: true, warningCount: 0 });
  expect(read({ key: 'v' })).toBe('b'); // off, its offVariation
});

it.each(['release', 'debug'] as const)('warns at the member a look-alike stands in for, and at a bad last duplicate (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  const warnings = (members: string) => {
    const r = e.load(flag(members));
    expect(r.ok).toBe(true);
    return r.warnings.map((w) => `${w.path}: ${w.message}`);
  };
  expect(warnings(base)).toEqual([]);
  expect(warnings(base.replace('"on"', '"oN"'))).toEqual(['flags[0].on: is required']);
  expect(warnings(base.replace('"variations"', '"vlientSide"'))).toEqual(['flags[0].variations: is required']);
  expect(warnings(base.replace('"variations"', '"clientSide":true,"cariations"'))).toEqual(['flags[0].variations: is required']);
  expect(warnings(base.replace('"fallthrough"', '"fallthrougH"'))).toEqual(['flags[0].fallthrough: is required']);
  expect(warnings(`${base},"clientSide":true,"clientSide":"x"`)).toEqual(['flags[0].clientSide: must be a boolean, not a string']);
  expect(warnings(`${base},"salt":"s","salt":1`)).toEqual(['flags[0].salt: must be a string, not a number']);
  expect(warnings(`${base},"offVariation":0,"offVariation":3`)).toEqual([expect.stringMatching(/^flags\[0\]\.offVariation: /)]);
  expect(warnings(`${base},"targets":[],"targets":{}`)).toEqual(['flags[0].targets: must be an array, not an object']);
  expect(warnings(`${base},"rules":[],"rules":1`)).toEqual(['flags[0].rules: must be an array, not a number']);
  expect(warnings(`${base},"prerequisites":[],"prerequisites":"p"`)).toEqual(['flags[0].prerequisites: must be an array, not a string']);
});
