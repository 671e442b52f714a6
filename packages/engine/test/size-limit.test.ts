import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { wasmModule } from './support/wasm';

// The datafile limit is 64 MiB of UTF-8 (ABI.md, "Text"), whatever the text
// is made of: the host no longer reserves 3 bytes per UTF-16 unit, which
// refused a 22 MiB ASCII datafile as "larger than 64 MiB".

const LIMIT = 64 * 1024 * 1024;
const HEAD = '{"schemaVersion":1,"flags":[{"key":"f","on":true,"fallthrough":{"variation":0},"variations":["';
const TAIL = '"]}]}';

/** A one-flag datafile of exactly `bytes` bytes of UTF-8, padded with `pad` in a variation value or as whitespace. */
function datafileOf(bytes: number, pad: 'ascii' | 'é' | 'whitespace'): string {
  const room = bytes - HEAD.length - TAIL.length;
  if (pad === 'whitespace') return `${HEAD}x${TAIL}${' '.repeat(room - 1)}`;
  if (pad === 'é') return HEAD + 'é'.repeat(Math.floor(room / 2)) + 'a'.repeat(room % 2) + TAIL;
  return HEAD + 'a'.repeat(room) + TAIL;
}

it('loads a 22 MiB ASCII datafile and serves its value', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  const json = datafileOf(22 * 1024 * 1024, 'ascii');
  expect(engine.load(json)).toMatchObject({ ok: true, flagCount: 1, warningCount: 0 });
  const h = engine.registerContext({ key: 'u' });
  expect((engine.evaluate<string>(h, 'f').value ?? '').length).toBe(json.length - HEAD.length - TAIL.length);
}, 120_000);

it('loads 46 MiB of UTF-8 that is 23 million UTF-16 units of "é" (69 MiB at 3 bytes a unit)', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  const json = datafileOf(46 * 1024 * 1024, 'é');
  expect(new TextEncoder().encode(json).length).toBe(46 * 1024 * 1024);
  expect(engine.load(json)).toMatchObject({ ok: true, flagCount: 1 });
}, 120_000);

it('loads a datafile one byte under 64 MiB and refuses one a byte over, keeping the previous one', () => {
  const engine = AvsbEngine.createSync(wasmModule('release'));
  expect(engine.load(datafileOf(LIMIT - 1, 'whitespace'))).toMatchObject({ ok: true, flagCount: 1 });
  expect(engine.load(datafileOf(LIMIT, 'whitespace'))).toMatchObject({ ok: true, flagCount: 1 });
  expect(engine.load(datafileOf(LIMIT + 1, 'whitespace'))).toEqual({ ok: false, error: 'datafile: larger than 64 MiB of UTF-8' });
  expect(engine.load(new TextEncoder().encode(datafileOf(LIMIT + 1, 'whitespace')))).toMatchObject({ ok: false });
  expect(engine.flagKeys).toEqual(['f']);
  // the input buffer is the text's size rounded up, not three times it
  expect(engine.memoryBytes).toBeLessThan(3 * LIMIT);
}, 120_000);
