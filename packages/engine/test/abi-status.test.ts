import { expect, it } from 'vitest';
import { ENGINE_FAULT_RESULT } from '../src/evaluation';
import { AvsbEngine } from '../src/index';
import { guideDatafile } from './support/fixtures';
import { rawEngine, wasmModule } from './support/wasm';

// Every status and error result ABI.md documents, produced by the case it
// gives, on the release binary: a host written from ABI.md alone can rely on
// each of them.

const datafile = JSON.stringify(guideDatafile);
const NO_DATAFILE = 0x45fff;
const error = (kind: number) => 0xfff | (5 << 12) | (kind << 16);

function engine() {
  const raw = rawEngine('release');
  const message = (): string => {
    expect(raw.x.avsb_error_len(), 'a non-zero status leaves a message').toBeGreaterThan(0);
    return raw.error();
  };
  return { ...raw, message };
}

it('avsb_input answers 0 for a negative length and above 64 MiB, a buffer up to 64 MiB', () => {
  const { x } = engine();
  expect(x.avsb_input(-1)).toBe(0);
  expect(x.avsb_input(64 * 1024 * 1024 + 1)).toBe(0);
  expect(x.avsb_input(64 * 1024 * 1024)).toBeGreaterThan(0);
});

it('avsb_load: 0 ok, 1 not JSON, 2 not a datafile, 3 beyond the requested input, each with a message', () => {
  const { x, put, message } = engine();
  expect(x.avsb_load(put(datafile))).toBe(0);
  expect(x.avsb_warning_count()).toBe(0);
  expect(x.avsb_load(put('{"flags":['))).toBe(1);
  expect(message()).toContain('JSON');
  expect(x.avsb_load(put(JSON.stringify({ ...guideDatafile, schemaVersion: 2 })))).toBe(2);
  expect(message()).toMatch(/^schemaVersion: /);
  const n = put(datafile);
  expect(x.avsb_load(n + 1)).toBe(3);
  expect(message()).toContain('avsb_input');
  expect(x.avsb_load(-1)).toBe(3);
  x.avsb_input(64 * 1024 * 1024 + 1);
  expect(x.avsb_load(n)).toBe(3); // a refused avsb_input requests nothing
  expect(x.avsb_flag_count()).toBe(3); // the first datafile is still active
});

it('avsb_load: 0 with warning records for problems inside a flag', () => {
  const { x, put, memoryBytes } = engine();
  const df = structuredClone(guideDatafile) as any;
  df.flags[0].rules[0].clauses[0].values = [];
  df.flags[2].fallthrough = { variation: 7 };
  expect(x.avsb_load(put(JSON.stringify(df)))).toBe(0);
  expect(x.avsb_warning_count()).toBe(2);
  const bytes = new Uint8Array(x.memory.buffer, x.avsb_warnings_ptr(), x.avsb_warnings_len());
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: string[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = view.getUint32(at, true);
    records.push(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  expect(records).toEqual([
    'flags[0].rules[0].clauses[0].values',
    'must have at least one value',
    'flags[2].fallthrough.variation',
    'must be an integer from 0 to 1, not 7',
  ]);
  expect(memoryBytes()).toBeGreaterThan(0);
  expect(x.avsb_eval(x.avsb_ctx_create(put('{"key":"u"}')), 2)).toBe(error(2)); // MALFORMED_FLAG
  expect(x.avsb_load(put('{"flags":['))).toBe(1);
  expect(x.avsb_warning_count()).toBe(0);
});

it('avsb_ctx_create: a handle, -2 invalid, -3 over 1 MiB or beyond the requested input, each with a message', () => {
  const { x, put, message } = engine();
  expect(x.avsb_ctx_create(put('{"key":"u"}'))).toBeGreaterThan(0);
  expect(x.avsb_ctx_create(put('{"plan":"pro"}'))).toBe(-2);
  expect(message()).toContain('key');
  expect(x.avsb_ctx_create(put(`{"key":"${'a'.repeat(1024 * 1024 - 9)}"}`))).toBe(-3); // 1,048,577 bytes
  expect(message()).toContain('1 MiB');
  expect(x.avsb_ctx_create(put('{"key":"u"}') + 1)).toBe(-3);
  expect(message()).toContain('avsb_input');
});

it('avsb_ctx_create: -4 for the 1,048,576th live context', () => {
  const { x, put, message } = engine();
  const len = put('{"key":"u"}');
  for (let i = 1; i <= 1_048_575; i++) {
    if (x.avsb_ctx_create(len) <= 0) throw new Error(`context ${i} refused`);
  }
  expect(x.avsb_live_contexts()).toBe(1_048_575);
  expect(x.avsb_ctx_create(len)).toBe(-4);
  expect(message()).toContain('1048575');
}, 120_000);

it('avsb_ctx_release: 0, then -2 with a message for the released handle', () => {
  const { x, put, message } = engine();
  const h = x.avsb_ctx_create(put('{"key":"u"}'));
  expect(x.avsb_ctx_release(h)).toBe(0);
  expect(x.avsb_ctx_release(h)).toBe(-2);
  expect(message()).toContain('handle');
  expect(x.avsb_ctx_release(0)).toBe(-2);
});

it('avsb_ctx_restore: 0 in ascending slot order, -2 for a used slot or an invalid context, -3 for a bad length', () => {
  const old = engine();
  const handles = [1, 2, 3].map(() => old.x.avsb_ctx_create(old.put('{"key":"u"}')));
  old.x.avsb_ctx_release(handles[1]);
  const h = old.x.avsb_ctx_create(old.put('{"key":"v"}')); // slot 2 again, next generation
  expect(h & 0xfffff).toBe(2);
  expect(h >>> 20).toBe(1);

  const { x, put, message } = engine();
  expect(x.avsb_load(put(datafile))).toBe(0);
  expect(x.avsb_ctx_restore(handles[0], put('{"key":"u"}'))).toBe(0);
  expect(x.avsb_ctx_restore(handles[0], put('{"key":"u"}'))).toBe(-2);
  expect(message()).toContain('restore');
  expect(x.avsb_ctx_restore(h, put('{"plan":1}'))).toBe(-2);
  expect(message()).toContain('key');
  expect(x.avsb_ctx_restore(h, put('{"key":"v"}') + 1)).toBe(-3);
  expect(x.avsb_ctx_restore(h, put('{"key":"v"}'))).toBe(0);
  expect(x.avsb_ctx_restore(handles[2], put('{"key":"w"}'))).toBe(0);
  expect(x.avsb_eval(h, 0) & 0x7000).not.toBe(5 << 12);
  expect(x.avsb_eval(handles[1], 0)).toBe(error(3)); // the released handle stays stale
});

it('avsb_eval: NO_DATAFILE before FLAG_NOT_FOUND before CONTEXT_INVALID before MALFORMED_FLAG', () => {
  const { x, put } = engine();
  expect(x.avsb_eval(12345, -1)).toBe(NO_DATAFILE);
  expect(x.avsb_flag_count()).toBe(0);
  x.avsb_eval_all(12345); // evaluates nothing: avsb_flag_count() results
  const df = structuredClone(guideDatafile) as any;
  df.flags[1].fallthrough = {};
  expect(x.avsb_load(put(JSON.stringify(df)))).toBe(0);
  const h = x.avsb_ctx_create(put('{"key":"u"}'));
  expect(x.avsb_eval(12345, -1)).toBe(error(1));
  expect(x.avsb_eval(12345, 3)).toBe(error(1));
  expect(x.avsb_eval(12345, 0)).toBe(error(3));
  expect(x.avsb_eval(h, 1)).toBe(error(2));
  expect(x.avsb_eval(h, 0) >>> 12).toBe(4); // FALLTHROUGH
  const all = new Int32Array(x.memory.buffer.slice(x.avsb_eval_all(0), x.avsb_eval_all(0) + 12));
  expect([...all]).toEqual([error(3), error(3), error(3)]);
});

it('documents the ENGINE_FAULT result a host reports after a trap', () => {
  expect(ENGINE_FAULT_RESULT).toBe(0x55fff);
  expect(ENGINE_FAULT_RESULT).toBe(352_255);
});

it('accepts invalid UTF-8 as bytes, while the TypeScript host turns it into U+FFFD first (ABI.md, "Text")', () => {
  const { x, put } = engine();
  const enc = new TextEncoder();
  const head = enc.encode('{"schemaVersion":1,"flags":[{"key":"f","on":true,"variations":["a');
  const tail = enc.encode('"],"fallthrough":{"variation":0}}]}');
  const bytes = new Uint8Array([...head, 0xff, 0xc3, ...tail]);
  expect(x.avsb_load(put(bytes))).toBe(0);
  const host = AvsbEngine.createSync(wasmModule('release'));
  expect(host.load(bytes)).toMatchObject({ ok: true });
  expect(host.evaluate(host.registerContext({ key: 'u' }), 'f').value).toBe('a\uFFFD\uFFFD');
});
