import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { wasmModule } from './support/wasm';

// The engine compares member names in place (json/value.ts) instead of
// decoding each one: escaped names and duplicates must read as JSON.parse reads them.

it.each(['release', 'debug'] as const)('reads escaped member names and lets the last duplicate win, as JSON.parse does (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  const text =
    '{"schema\\u0056ersion":1,"flags":[],"fl\\u0061gs":[{"\\u006bey":"f","on":false,"on":true,"variations":[1,2],' +
    '"rules":[{"clauses":[{"attribute":"pl\\u0061n","op":"in","values":["pro"]}],"serve":{"variation":0}}],"fall\\/through":{"variation":0},"fallthrough":{"variation":1}}]}';
  expect(e.load(text)).toMatchObject({ ok: true, flagCount: 1, warningCount: 0 });
  expect(e.evaluate(e.registerContext({ key: 'u' }), 'f').value).toBe(2);
  expect(e.evaluate(e.registerContext({ key: 'u', plan: 'pro' }), 'f').value).toBe(1);
  // a name that only looks like a known one after its escapes are removed is not that member
  expect(e.load('{"schemaVersion":1,"flags":[{"key":"g","on":true,"variations":[1],"fallthrough":{"variation":0},"ke\\\\y":"x"}]}')).toMatchObject({ ok: true, flagCount: 1 });
  expect(e.load('{"schemaVersion":1,"flags":[{"k\\u00e9y":"g","on":true,"variations":[1],"fallthrough":{"variation":0}}]}')).toMatchObject({ ok: false });
});

// Strings are unescaped in place in the input buffer and stay byte ranges of
// it (json/value.ts): `\u00e9` is six bytes in the text and two once
// unescaped, target keys go into their set straight from the input, and a
// text over 64 Ki units takes the host's other way into the buffer.
it.each(['release', 'debug'] as const)('matches escaped target keys, clause values and flag keys of a large ASCII text as their characters, load after load (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  const filler = Array.from({ length: 4000 }, (_, i) => `filler-user-${i}`);
  const flag = (key: string, targetKeys: string[]) =>
    `{"key":${key},"on":true,"variations":["off","target","rule"],"targets":[{"values":[${targetKeys.join(',')}],"variation":1}],` +
    `"rules":[{"clauses":[{"attribute":"city","op":"in","values":["a","b","c","d","Z\\u00fcrich"]},{"attribute":"name","op":"startsWith","values":["Ren\\u00e9"]}],"serve":{"variation":2}}],"fallthrough":{"variation":0}}`;
  const keys = [...filler.map((k) => JSON.stringify(k)), '"J\\u00e9r\\u00f4me"', '"tab\\there"'];
  const text = `{"schemaVersion":1,"flags":[${flag('"caf\\u00e9"', keys)}]}`;
  expect(text.length).toBeGreaterThan(1 << 16);
  expect(/^[\x20-\x7e]*$/.test(text)).toBe(true);
  for (let load = 0; load < 3; load++) {
    expect(e.load(text)).toMatchObject({ ok: true, flagCount: 1, warningCount: 0 });
    const read = (ctx: object) => e.evaluate(e.registerContext(ctx), 'café').value;
    expect(read({ key: 'Jérôme' })).toBe('target');
    expect(read({ key: 'tab\there' })).toBe('target');
    expect(read({ key: 'filler-user-2999' })).toBe('target');
    expect(read({ key: 'J\\u00e9r\\u00f4me' })).toBe('off');
    expect(read({ key: 'u', city: 'Zürich', name: 'René Descartes' })).toBe('rule');
    expect(read({ key: 'u', city: 'Zurich', name: 'René Descartes' })).toBe('off');
  }
});

// Member names are compared a word at a time (json/value.ts rawEquals: a
// byte at a time under 4 bytes, from 4 on words, the last one overlapping
// the one before it): a name that differs
// from a required one in any single byte, first, middle or last, is another
// member, and the required one is missing (three of these names are a
// rule's, whose problem is a warning that drops the rule).
it.each(['release', 'debug'] as const)('refuses a required member whose name differs in any one byte, at every name length the lookup treats apart (%s)', (binary) => {
  const e = AvsbEngine.createSync(wasmModule(binary));
  const rollout = '{"kind":"experiment","variations":[{"variation":0,"weight":50000},{"variation":1,"weight":50000}],"trafficAllocation":50000,"untrackedVariation":0}';
  const doc = (names: Record<string, string>) => {
    const n = (name: string) => JSON.stringify(names[name] ?? name);
    return `{${n('schemaVersion')}:1,"flags":[{${n('key')}:"f","on":true,${n('variations')}:[1,2],` +
      `"rules":[{"clauses":[{${n('attribute')}:"plan","op":"in",${n('values')}:["pro"]}],"serve":{"rollout":${rollout.replace('"untrackedVariation"', n('untrackedVariation'))}}}],` +
      `${n('fallthrough')}:{"variation":1}}]}`;
  };
  expect(e.load(doc({}))).toMatchObject({ ok: true, flagCount: 1, warningCount: 0 });
  // 3 bytes (one at a time), 6 (a word, then the last word overlapping it), 9 to 13 and 18 (words, then the last word)
  const names = ['key', 'values', 'attribute', 'variations', 'fallthrough', 'schemaVersion', 'untrackedVariation'];
  let refused = 0;
  for (const name of names) {
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      const other = name.slice(0, i) + String.fromCharCode(c ^ 0x20) + name.slice(i + 1);
      const r = e.load(doc({ [name]: other }));
      // a rule's problem drops the rule with a warning; the flag's and the document's refuse the load
      const missing = !r.ok || r.warnings.some((w) => w.path.endsWith(`.${name}`) && w.message.startsWith('is required'));
      expect(missing, `${name} as ${other}`).toBe(true);
      refused++;
    }
  }
  expect(refused).toBe(3 + 6 + 9 + 10 + 11 + 13 + 18);
});
