import { afterEach, expect, it, vi } from 'vitest';
import { decodeBase64 } from './base64';
import { engineWasmBytes } from './wasm-inline';
import { wasmBytes } from '../test/support/wasm';

type FromBase64 = { fromBase64?: (text: string) => Uint8Array };

afterEach(() => {
  delete (Uint8Array as FromBase64).fromBase64;
  vi.unstubAllGlobals();
});

it('decodes the inlined binary to exactly the release .wasm', () => {
  const release = wasmBytes('release');
  expect(Buffer.from(engineWasmBytes()).equals(release)).toBe(true);
  expect(Buffer.from(decodeBase64(release.toString('base64'))).equals(release)).toBe(true);
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

it('decodes with Buffer where there is no Uint8Array.fromBase64 (Node 20), not atob', () => {
  const atob = vi.fn(globalThis.atob);
  vi.stubGlobal('atob', atob);
  const release = wasmBytes('release');
  expect(Buffer.from(decodeBase64(release.toString('base64'))).equals(release)).toBe(true);
  expect(atob).not.toHaveBeenCalled();
});

it('without Uint8Array.fromBase64 or Buffer (an older browser, Deno, an edge worker), atob and its loop give the same bytes as Buffer, padding and every length modulo 3 too', () => {
  const release = wasmBytes('release');
  const inputs = [release, ...['', 'a', 'ab', 'abc', 'abcd', 'hello, wörld'].map((s) => Buffer.from(s))];
  const texts = inputs.map((bytes) => bytes.toString('base64'));
  const atob = vi.fn(globalThis.atob);
  vi.stubGlobal('atob', atob);
  vi.stubGlobal('Buffer', undefined);
  const decoded = texts.map((text) => decodeBase64(text));
  vi.unstubAllGlobals();
  expect(atob).toHaveBeenCalledTimes(inputs.length);
  decoded.forEach((bytes, i) => expect(Buffer.from(bytes).equals(inputs[i]!), texts[i]!.slice(0, 20)).toBe(true));
});

it('throws, as atob does, where the runtime has no decoder at all', () => {
  vi.stubGlobal('atob', undefined);
  vi.stubGlobal('Buffer', undefined);
  expect(() => decodeBase64('YQ==')).toThrow(TypeError);
});
