import { afterEach, expect, it, vi } from 'vitest';
// the Node entry gives AvsbEngine the counted write (node-text-write.ts), as a server's import of it does
import { AvsbEngine, PageEngine, loadDatafile, useCountedWrite } from '../src/node';
import { writeCounted } from '../src/node-text-write';
import { wasmModule, type Binary } from './support/wasm';

// Where a server runs, AvsbEngine writes a datafile's text of more than 64 Ki
// units straight into the engine's input buffer: its UTF-8 length counted by
// Buffer.byteLength, that many bytes asked for, the text encoded into them;
// smaller texts (contexts) go through PageEngine's write, as a page's do.
// Whatever the text, the engine must get the bytes `encode` gives (a lone
// surrogate as U+FFFD), in a buffer no larger than the page's write asks for,
// and no temporary copy of them is made.

const binaries: Binary[] = ['release', 'debug'];
const enc = new TextEncoder();

interface Inner {
  _write(t: string): number;
  _x: { avsb_input(n: number): number; memory: WebAssembly.Memory };
}

/** Whether the engine's input bytes after `_write(text)` are `encode`'s (a byte compare: `toEqual` over 100,000 elements takes seconds). */
function writesAsEncode(engine: PageEngine, text: string): boolean {
  const inner = engine as unknown as Inner;
  const len = inner._write(text);
  if (len < 0) return false;
  // asking again for no more than the buffer holds returns it as it is
  const ptr = inner._x.avsb_input(len);
  return Buffer.from(inner._x.memory.buffer, ptr, len).equals(enc.encode(text));
}

const SIZE = 100_000; // past a context's size, in the range of datafiles
/** `SIZE` units of ASCII with `insert` at `at` (a unit offset from the start). */
const textWith = (insert: string, at: number): string => 'a'.repeat(at) + insert + 'b'.repeat(SIZE - at - insert.length);

const inserts: [string, string][] = [
  ['é (2 bytes)', 'é'],
  ['€ (3 bytes)', '€'],
  ['😀 (a surrogate pair, 4 bytes)', '😀'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udc00'],
  ['a low surrogate before a high one', '\udc00\ud800'],
];

const texts = (): string[] => [
  ...inserts.flatMap(([, insert]) => [0, 1, SIZE >> 1, SIZE - insert.length - 1, SIZE - insert.length].map((at) => textWith(insert, at))),
  // all of it outside ASCII, or lone surrogates
  ...['é'.repeat(SIZE), '€'.repeat(SIZE), '😀'.repeat(SIZE >> 1), '\ud800'.repeat(SIZE), `x${'\udc00'.repeat(SIZE)}`, 'a'.repeat(SIZE)],
  // small texts (contexts) and an empty buffer after a larger one
  '{}',
  '{"key":"é"}',
  '{"key":"\ud800"}',
  '{"key":"😀"}',
];

afterEach(() => {
  vi.restoreAllMocks();
});

it.each(binaries)('writes the bytes encode gives for non-ASCII and lone surrogates at the start, the middle and the end (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  for (const text of texts()) expect(writesAsEncode(engine, text), `${text.slice(0, 3)}… (${text.length} units)`).toBe(true);
});

it.each(binaries)('matches a target key that is non-ASCII or a lone surrogate at the end of a large datafile (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  for (const [name, insert] of inserts) {
    const key = `k${insert}`;
    const flags = [{ key: 'f', on: true, variations: [false, true], targets: [{ values: [key], variation: 1 }], fallthrough: { variation: 0 } }];
    // padding first, so that the key sits at the end of a text of more than a context's units
    const text = `{"schemaVersion":1,"pad":"${'p'.repeat(SIZE)}","flags":${JSON.stringify(flags)}}`;
    expect(engine.load(text), name).toMatchObject({ ok: true, flagCount: 1 });
    expect(engine.evaluate(engine.registerContext({ key }), 'f').value, name).toBe(true);
    expect(engine.evaluate(engine.registerContext({ key: 'k' }), 'f').value, name).toBe(false);
  }
});

it('hands a large datafile to the engine without encode, and refuses one of more units than 64 MiB uncounted and unwritten', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  const encode = vi.spyOn(TextEncoder.prototype, 'encode');
  const encodeInto = vi.spyOn(TextEncoder.prototype, 'encodeInto');
  const byteLength = vi.spyOn(Buffer, 'byteLength');
  const flags = Array.from({ length: 1000 }, (_, i) => ({ key: `flag-${i}`, on: true, variations: ['a', 'b'], fallthrough: { variation: 1 } }));
  expect(loadDatafile(engine, JSON.stringify({ schemaVersion: 1, flags }))).toMatchObject({ ok: true, flagCount: 1000 });
  expect(encode).not.toHaveBeenCalled();
  expect(encodeInto).toHaveBeenCalledTimes(1);
  expect(byteLength).toHaveBeenCalledTimes(1);
  encodeInto.mockClear();
  byteLength.mockClear();
  const over = ' '.repeat(64 * 1024 * 1024 + 1);
  expect(engine.load(over)).toEqual({ ok: false, error: 'datafile: larger than 64 MiB of UTF-8' });
  expect(encodeInto).not.toHaveBeenCalled();
  expect(byteLength).not.toHaveBeenCalled();
  expect(engine.flagKeys).toHaveLength(1000);
});

it('asks for the buffer the page write asks for: a datafile mostly outside ASCII grows memory no more', () => {
  // "é" from the first unit on: a first try into room for a byte a unit, then a larger buffer, grew it further
  const text = `{"schemaVersion":1,"flags":[{"key":"f","on":true,"fallthrough":{"variation":0},"variations":["${'é'.repeat(3 << 20)}"]}]}`;
  const server = AvsbEngine.createSync(wasmModule('release'));
  const page = PageEngine.createSync(wasmModule('release'));
  const encode = vi.spyOn(TextEncoder.prototype, 'encode');
  expect(server.load(text)).toMatchObject({ ok: true, flagCount: 1 });
  expect(encode).not.toHaveBeenCalled();
  expect(loadDatafile(page, text)).toMatchObject({ ok: true, flagCount: 1 });
  expect(encode).toHaveBeenCalledTimes(1);
  expect(server.memoryBytes).toBe((page as unknown as Inner)._x.memory.buffer.byteLength);
  expect(server.evaluate(server.registerContext({ key: 'u' }), 'f').value).toBe('é'.repeat(3 << 20));
});

it('refuses a text of fewer units than 64 MiB whose UTF-8 is over it, and then loads one just at it', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  const LIMIT = 64 * 1024 * 1024;
  const head = '{"schemaVersion":1,"flags":[{"key":"f","on":true,"fallthrough":{"variation":0},"variations":["';
  const tail = '"]}]}';
  // 2 bytes a unit: half the limit in units, a byte over it in UTF-8
  const room = LIMIT + 1 - head.length - tail.length;
  const over = head + 'é'.repeat(Math.floor(room / 2)) + 'a'.repeat(room % 2) + tail;
  expect(Buffer.byteLength(over)).toBe(LIMIT + 1);
  expect(engine.load(over)).toEqual({ ok: false, error: 'datafile: larger than 64 MiB of UTF-8' });
  // an "é" less, an "a" more: a byte under, at the limit
  const at = `${head}a${over.slice(head.length + 1)}`;
  expect(Buffer.byteLength(at)).toBe(LIMIT);
  expect(engine.load(at)).toMatchObject({ ok: true, flagCount: 1 });
}, 120_000);

it('writes the page way when a Buffer counts other than encodeInto writes, and refuses nothing it should load', () => {
  for (const skew of [-1, 1, -3, 3]) {
    // a class of its own: the lying count stays off the Node entry's AvsbEngine
    class Skewed extends AvsbEngine {}
    useCountedWrite(Skewed, { byteLength: (text) => Buffer.byteLength(text) + skew });
    const engine = Skewed.createSync(wasmModule('release'));
    for (const text of texts()) expect(writesAsEncode(engine, text), `${skew}: ${text.slice(0, 3)}…`).toBe(true);
  }
  // the count alone: undefined when it is wrong, the length when it is right
  const engine = AvsbEngine.createSync(wasmModule('release'));
  const text = textWith('😀', 7);
  expect(writeCounted(engine, text, { byteLength: () => SIZE + 1 })).toBeUndefined();
  expect(writeCounted(engine, text, { byteLength: () => SIZE + 3 })).toBeUndefined();
  expect(writeCounted(engine, text, { byteLength: () => SIZE + 2 })).toBe(SIZE + 2);
});
