import { expect, it } from 'vitest';
import { decodeBase64, decodeBase64Js } from './base64';
import { engineWasmBytes } from './wasm-inline';
import { wasmBytes } from '../test/support/wasm';

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
