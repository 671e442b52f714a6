import { stringToBytes } from './byte-string';

/** A code unit no byte string has (byte-string.ts: U+0020..U+011F only). */
const NOT_A_BYTE = /[^\u0020-\u011f]/;

/**
 * `stringToBytes`, the same bytes and the same `null`, by the platform's own
 * code where it has Node's `Buffer`: a regular expression finds a unit no
 * byte string has, and `write(text, 'latin1')` (documented, and in every
 * `Buffer` a runtime or a polyfill gives) keeps each unit's low 8 bits, which is
 * the byte (U+0100 + b stands for b). `stringToBytes`' loop runs in V8's
 * interpreter in a fresh process: 3–7 ms of CPU for the 1,000-flag
 * document's 124,567 units, its first load's largest host part; these two
 * ≈ 0.3 (tools/bench/earlier-measurements.md, "A 1,000-flag datafile's
 * first load in a fresh process"). Elsewhere, that loop.
 */
export function latin1Bytes(text: string, out: Uint8Array): Uint8Array | null {
  const platform = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (platform === undefined) return stringToBytes(text, out);
  if (NOT_A_BYTE.test(text)) return null;
  platform.from(out.buffer, out.byteOffset, out.length).write(text, 'latin1');
  return out;
}

/** What this file uses of Node's `Buffer` (the package is built without Node's types). */
interface NodeBuffer {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { write(text: string, encoding: 'latin1'): number };
}
