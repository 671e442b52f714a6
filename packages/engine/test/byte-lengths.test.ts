import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { wasmModule, type Binary } from './support/wasm';

// A key's limit (1 to 256 bytes) and a pattern's (32,768 bytes) count the
// string's UTF-8 as the lexer leaves it: a byte that is not UTF-8 in a
// datafile passed as bytes reads as U+FFFD, three bytes. The engine takes
// that length from the lexer, never by decoding and re-counting the string.

const datafile = (key: Uint8Array, pattern: Uint8Array): Uint8Array => {
  const flag = (k: string) => `{"key":${k},"on":true,"variations":[0,1],"fallthrough":{"variation":0},"rules":[{"clauses":[{"attribute":"a","op":"matches","values":["PATTERN"]}],"serve":{"variation":1}}]}`;
  const [before, after] = `{"schemaVersion":1,"flags":[${flag('"KEY"')}]}`.split('KEY');
  const [mid, end] = after!.split('PATTERN');
  const enc = new TextEncoder();
  return new Uint8Array([...enc.encode(before), ...key, ...enc.encode(mid), ...pattern, ...enc.encode(end)]);
};

const bytes = (n: number, b: number): Uint8Array => new Uint8Array(n).fill(b);

it.each<Binary>(['release', 'debug'])('counts a key\'s and a pattern\'s bytes as they are in the datafile, valid UTF-8 or not (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  const tooLong = { ok: false, error: 'flags[0].key: must be 1 to 256 bytes long' };
  expect(engine.load(datafile(bytes(256, 0x61), bytes(1, 0x61)))).toMatchObject({ ok: true, warnings: [] });
  expect(engine.load(datafile(bytes(257, 0x61), bytes(1, 0x61)))).toEqual(tooLong);
  expect(engine.load(datafile(bytes(85, 0xff), bytes(1, 0x61)))).toMatchObject({ ok: true, warnings: [] }); // 255 bytes
  expect(engine.load(datafile(bytes(86, 0xff), bytes(1, 0x61)))).toEqual(tooLong); // 258 bytes
  const inClass = new Uint8Array([0x5b, ...bytes(10_922, 0xc3), 0x5d]); // [\uFFFD…]: 32,768 bytes
  expect(engine.load(datafile(bytes(1, 0x6b), inClass))).toMatchObject({ ok: true, warnings: [] });
  const big = engine.load(datafile(bytes(1, 0x6b), bytes(10_923, 0xc3)));
  expect(big.ok && big.warnings.map((w) => w.message)).toEqual([
    'invalid regular expression: pattern too large: 32769 bytes of UTF-8 exceed the limit of 32768',
  ]);
});
