import { afterEach, expect, it, vi } from 'vitest';
import { decodeBase64, decodeBase64Js } from './base64';
import { engineWasmBytes } from './wasm-inline';
import { wasmBytes } from '../test/support/wasm';

type FromBase64 = { fromBase64?: (text: string) => Uint8Array };

afterEach(() => {
  delete (Uint8Array as FromBase64).fromBase64;
  vi.unstubAllGlobals();
});

it('decodes the inlined binary to exactly the release .wasm, natively and in plain JS', () => {
  const release = wasmBytes('release');
  expect(Buffer.from(engineWasmBytes()).equals(release)).toBe(true);
  const text = release.toString('base64');
  expect(Buffer.from(decodeBase64Js(text)).equals(release)).toBe(true);
  expect(Buffer.from(decodeBase64(text)).equals(release)).toBe(true);
});

it('decodes padding and every length modulo 3', () => {
  for (const s of ['', 'a', 'ab', 'abc', 'abcd', 'hello, wörld']) {
    const b64 = Buffer.from(s).toString('base64');
    expect(Buffer.from(decodeBase64Js(b64)).toString()).toBe(s);
  }
});

it('uses Uint8Array.fromBase64 where the runtime has it, and nothing else', () => {
  // Node 20 has none: one that decodes with Buffer stands in for a browser's, counting its calls (the page test in
  // @avsb/browser's loading.test.ts runs Chromium's own)
  const calls: string[] = [];
  (Uint8Array as FromBase64).fromBase64 = (text) => {
    calls.push(text);
    return new Uint8Array(Buffer.from(text, 'base64'));
  };
  const atob = vi.fn(globalThis.atob);
  vi.stubGlobal('atob', atob);
  const release = wasmBytes('release');
  const text = release.toString('base64');
  expect(Buffer.from(decodeBase64(text)).equals(release)).toBe(true);
  expect(calls).toEqual([text]);
  expect(atob).not.toHaveBeenCalled();
});

it('without Uint8Array.fromBase64 or Buffer (an older browser), atob and its loop give the same bytes as Buffer', () => {
  const release = wasmBytes('release');
  const text = release.toString('base64');
  const atob = vi.fn(globalThis.atob);
  vi.stubGlobal('atob', atob);
  vi.stubGlobal('Buffer', undefined);
  const decoded = decodeBase64(text);
  vi.unstubAllGlobals();
  expect(atob).toHaveBeenCalledTimes(1);
  expect(Buffer.from(decoded).equals(release)).toBe(true);
  for (const s of ['', 'a', 'ab', 'abc', 'abcd', 'hello, wörld']) {
    const b64 = Buffer.from(s).toString('base64');
    vi.stubGlobal('Buffer', undefined);
    const bytes = decodeBase64(b64);
    vi.unstubAllGlobals();
    expect(Buffer.from(bytes).toString()).toBe(s);
  }
});
