import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { rawEngine, wasmModule, type Binary } from './support/wasm';

// A datafile's strings stay UTF-8 from the text to the messages: a message
// quotes a key, kind, operator, version or reference from the tree's bytes,
// a `matches` pattern is read by the regex parser as UTF-8 (as the VM reads a
// context's strings) and a "/" reference is unescaped on its bytes. None is
// decoded to UTF-16 (engine README, "Size"). Through the TypeScript host,
// whose text is always valid UTF-8, the results are those of the UTF-16
// round trip before; through the raw ABI, invalid UTF-8 is read as it is
// (ABI.md, "Text"): a bad byte of a pattern is one U+FFFD, a message quotes it.

const flag = (key: string, extra: object) => ({ key, on: true, variations: [0, 1], fallthrough: { variation: 0 }, ...extra });
const rule = (clause: object) => ({ rules: [{ clauses: [clause], serve: { variation: 1 } }] });

it.each<Binary>(['release', 'debug'])('quotes non-ASCII strings in messages as the datafile spells them, escaped or not (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  // a lone surrogate is U+FFFD once the host has encoded the text
  const text = JSON.stringify({
    schemaVersion: 1,
    segments: [{ key: 'sé😀', rules: [{ clauses: [{ op: 'segmentMatch', values: ['sé😀'] }] }] }],
    flags: [
      flag('é', rule({ attribute: 'x', op: 'ïn😀', values: [1] })),
      flag('😀', rule({ attribute: '/é/😀~2', op: 'in', values: [1] })),
      flag('\ud800', rule({ attribute: 'x', op: 'in', contextKind: 'ö\ud800', values: [1] })),
      flag('k€', rule({ attribute: 'v', op: 'semVerEqual', values: ['1.0.0-😀.01'] })),
      flag('m', rule({ attribute: 'x', op: 'matches', values: ['[😀-😂](?<é>'] })),
      flag('r', { fallthrough: { rollout: { kind: 'expé😀', variations: [{ variation: 0, weight: 100000 }] } } }),
      flag('p', { prerequisites: [{ key: 'q😀', variation: 0 }] }),
      flag('q😀', { prerequisites: [{ key: 'p', variation: 0 }] }),
    ],
  }).replace('"k€"', '"k\\u20ac"').replace('"expé😀"', '"exp\\u00e9\\ud83d\\ude00"');
  const result = engine.load(text);
  if (!result.ok) throw new Error(result.error);
  expect(result.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
    'segments[0].rules[0].clauses[0].values[0]: segment cycle "sé😀" → "sé😀"',
    'flags[0].rules[0].clauses[0].op: unknown operator "ïn😀"',
    'flags[1].rules[0].clauses[0].attribute: attribute reference "/é/😀~2" has a "~" not followed by 0 or 1',
    `flags[2].rules[0].clauses[0].contextKind: "ö\ufffd" is not a valid kind (letters, digits, '.', '_', '-'; not "kind" or "multi")`,
    'flags[3].rules[0].clauses[0].values[0]: "1.0.0-😀.01" is not a semantic version',
    'flags[4].rules[0].clauses[0].values[0]: invalid regular expression: invalid group name at offset 5',
    'flags[5].fallthrough.rollout.kind: must be "rollout" or "experiment", not "expé😀"',
    'flags[7].prerequisites[0]: prerequisite cycle "p" → "q😀" → "p"',
  ]);
  expect(engine.load({ schemaVersion: 1, flags: [flag('é', {}), flag('\u00e9', {})] })).toEqual({
    ok: false,
    error: 'flags[1].key: duplicate key "é" (also at flags[0])',
  });
});

it.each<Binary>(['release', 'debug'])('reads a pattern and a "/" reference as UTF-8 code points and bytes (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  const result = engine.load({
    schemaVersion: 1,
    flags: [
      flag('astral', rule({ attribute: '/ä~1ö/😀~0', op: 'matches', values: ['^[😀-😂]é.\\x{1F600}$'] })),
      flag('kind', rule({ attribute: '/kind', op: 'in', values: ['org'] })),
    ],
  });
  expect(result).toMatchObject({ ok: true, warningCount: 0 });
  const read = (context: object, key: string) => engine.evaluate(engine.registerContext(context), key).value;
  expect(read({ key: 'u', 'ä/ö': { '😀~': '😁éx😀' } }, 'astral')).toBe(1);
  expect(read({ key: 'u', 'ä/ö': { '😀~': '😁é😀😀' } }, 'astral')).toBe(1); // "." is one code point
  expect(read({ key: 'u', 'ä/ö': { '😀~': '😃éx😀' } }, 'astral')).toBe(0);
  expect(read({ key: 'u', 'ä/ö': { '😀/': '😁éx😀' } }, 'astral')).toBe(0);
  expect(read({ kind: 'org', key: 'o' }, 'kind')).toBe(1);
  expect(read({ key: 'u' }, 'kind')).toBe(0);
});

/** A datafile's UTF-8 with `bad` spliced in where `mark` is, through the raw ABI; its status, error and warnings' bytes. */
function loadRaw(binary: Binary, text: string, mark: string, bad: number[]) {
  const { x, put } = rawEngine(binary);
  const enc = new TextEncoder();
  const [head, tail] = text.split(mark) as [string, string];
  const status = x.avsb_load(put(new Uint8Array([...enc.encode(head), ...bad, ...enc.encode(tail)])));
  const bytes = (ptr: number, len: number) => [...new Uint8Array(x.memory.buffer, ptr, len)];
  return { x, put, status, error: bytes(x.avsb_error_ptr(), x.avsb_error_len()), warnings: bytes(x.avsb_warnings_ptr(), x.avsb_warnings_len()) };
}

it.each<Binary>(['release', 'debug'])('quotes invalid UTF-8 of a raw datafile as its bytes (%s)', (binary) => {
  const text = JSON.stringify({ schemaVersion: 1, flags: [flag('f', rule({ attribute: 'x', op: 'x#y', values: [1] }))] });
  const { status, error, warnings } = loadRaw(binary, text, '#', [0xff]);
  expect(status).toBe(0);
  const quoted = [0x22, 0x78, 0xff, 0x79, 0x22]; // "x\xffy"
  expect(error.slice(-quoted.length)).toEqual(quoted);
  expect(new TextDecoder().decode(new Uint8Array(error))).toBe('flags[0].rules[0].clauses[0].op: unknown operator "x\ufffdy"');
  expect(warnings.slice(-quoted.length)).toEqual(quoted);
});

it.each<Binary>(['release', 'debug'])('reads a bad byte of a raw pattern as one U+FFFD, as it reads a context string (%s)', (binary) => {
  const text = JSON.stringify({ schemaVersion: 1, flags: [flag('f', rule({ attribute: 'x', op: 'matches', values: ['^a#b$'] }))] });
  const { x, put, status, warnings } = loadRaw(binary, text, '#', [0xff]);
  expect(status).toBe(0);
  expect(warnings).toEqual([]);
  const served = (attribute: string) => x.avsb_eval(x.avsb_ctx_create(put(JSON.stringify({ key: 'u', x: attribute }))), 0) & 0xfff;
  expect(served('a\ufffdb')).toBe(1);
  expect(served('ab')).toBe(0);
  expect(served('a')).toBe(0);
  expect(served('a\ufffd\ufffdb')).toBe(0);
});
