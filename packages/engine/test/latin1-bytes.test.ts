import { readFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import { AvsbEngine, LazyFlags, loadCompiled } from '../src/index';
import type { CompiledDatafile } from '../src/index';
import { compileDatafile } from '../dist/compiler.js';
import { bytesToString, stringToBytes } from '../src/byte-string';
import { latin1Bytes } from '../src/latin1-bytes';
import { bigDatafile } from './support/fixtures';

// A server's engine (lazyFlags) decodes a compiled document's byte string with Node's Buffer instead of
// stringToBytes' loop, which a fresh process runs interpreted (tools/bench/earlier-measurements.md, "A 1,000-flag
// datafile's first load in a fresh process"): the same bytes, the same refusals.
const evaluatorModule = new WebAssembly.Module(readFileSync(new URL('../dist/avsb-evaluator.wasm', import.meta.url)));
const BAD = ['\u0000', '\u001f', '\u0120', '\u07ff', '\u0800', '\ud800', '\udc00', '\ud83d\ude00', '\uffff'];

afterEach(() => vi.restoreAllMocks());

it("writes stringToBytes' bytes for every unit a byte string has, and refuses every other unit anywhere", () => {
  const all = Uint8Array.from({ length: 4096 }, (_, i) => (i * 167 + (i >> 8)) & 0xff);
  const text = bytesToString(all);
  expect(latin1Bytes(text, new Uint8Array(text.length))).toEqual(all);
  expect(latin1Bytes('\u0020\u007f\u0080\u00ff\u0100\u011f', new Uint8Array(6))).toEqual(Uint8Array.from([0x20, 0x7f, 0x80, 0xff, 0x00, 0x1f]));
  // into a view of a larger buffer (an evaluator's input): its bytes only
  const memory = new Uint8Array(64).fill(0xee);
  expect(latin1Bytes('AB\u0101', memory.subarray(8, 11))).toEqual(Uint8Array.from([0x41, 0x42, 0x01]));
  expect([memory[7], memory[11]]).toEqual([0xee, 0xee]);
  for (const bad of BAD) {
    for (const at of [0, 1, 2047, 4095]) {
      const t = text.slice(0, at) + bad + text.slice(at + 1);
      const what = `U+${bad.codePointAt(0)!.toString(16)} at ${at}`;
      expect(stringToBytes(t, new Uint8Array(t.length)), what).toBeNull();
      expect(latin1Bytes(t, new Uint8Array(t.length)), what).toBeNull();
    }
  }
});

it("is stringToBytes itself where there is no Buffer (a page's or Deno's runtime)", () => {
  vi.stubGlobal('Buffer', undefined);
  const text = bytesToString(Uint8Array.from({ length: 300 }, (_, i) => i & 0xff));
  expect(latin1Bytes(text, new Uint8Array(300))).toEqual(stringToBytes(text, new Uint8Array(300)));
  expect(latin1Bytes(`${text}\u0120`, new Uint8Array(301))).toBeNull();
  vi.unstubAllGlobals();
});

it('decodes a server engine’s compiled document by Buffer’s write(text, \'latin1\'), not per unit, and refuses what a page’s engine refuses', () => {
  const made = compileDatafile(bigDatafile(1000));
  if (!made.ok) throw new Error(made.error);
  const doc = made.document as CompiledDatafile;
  const write = vi.spyOn(Buffer.prototype, 'write');
  const server = AvsbEngine.createSync(evaluatorModule, { lazyFlags: new LazyFlags() });
  expect(loadCompiled(server, doc)).toMatchObject({ ok: true, flagCount: 1000 });
  expect(write.mock.calls).toEqual([[doc.compiled, 'latin1']]);
  const page = AvsbEngine.createSync(evaluatorModule);
  expect(loadCompiled(page, doc)).toMatchObject({ ok: true, flagCount: 1000 });
  expect(write).toHaveBeenCalledTimes(1);
  const context = { key: 'user-7', country: 'de', plan: 'pro' };
  const a = server.registerContext(context);
  const b = page.registerContext(context);
  expect(server.flagKeys.map((k) => server.evaluate(a, k))).toEqual(page.flagKeys.map((k) => page.evaluate(b, k)));
  for (const bad of ['\u001f', '\u0120', '\ud800']) {
    const at = doc.compiled.length >> 1;
    const broken = { ...doc, compiled: doc.compiled.slice(0, at) + bad + doc.compiled.slice(at + 1) };
    const fresh = AvsbEngine.createSync(evaluatorModule, { lazyFlags: new LazyFlags() });
    expect(loadCompiled(fresh, broken)).toEqual(loadCompiled(AvsbEngine.createSync(evaluatorModule), broken));
    expect(loadCompiled(fresh, broken)).toEqual({ ok: false, error: 'datafile: compiled: must be a byte string of up to 64 MiB' });
    // the served document stays
    expect(loadCompiled(server, broken)).toMatchObject({ ok: false });
    expect(server.evaluate(a, server.flagKeys[3]!)).toEqual(page.evaluate(b, page.flagKeys[3]!));
  }
});
