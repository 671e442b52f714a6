const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

type NativeDecoders = {
  Buffer?: { from(text: string, encoding: 'base64'): Uint8Array };
  atob?: (text: string) => string;
};

type NativeEncoders = {
  Buffer?: { from(bytes: ArrayBufferLike, offset: number, length: number): { toString(encoding: 'base64'): string } };
  btoa?: (binary: string) => string;
};

/** Encodes bytes as base64 (`Buffer` where there is one, `btoa` elsewhere). */
export function encodeBase64(bytes: Uint8Array): string {
  const native = globalThis as NativeEncoders;
  if (typeof native.Buffer?.from === 'function') return native.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  // in pieces: String.fromCharCode takes its arguments on the stack
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return native.btoa!(binary);
}

/**
 * Decodes base64 in any runtime. Native decoders come first: the pure-JS loop
 * runs cold at start-up, where it costs milliseconds.
 */
export function decodeBase64(text: string): Uint8Array {
  const native = globalThis as NativeDecoders;
  if (typeof native.Buffer?.from === 'function') {
    const b = native.Buffer.from(text, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  return typeof native.atob === 'function' ? atobBytes(text) : decodeBase64Js(text);
}

/**
 * Decodes base64 with `atob`, which every runtime a page or an evaluator runs
 * in has (browsers, Node 16+, Deno, Bun, workers): the decoder of compiled
 * datafiles, which a page bundles. Throws on what is not base64.
 */
export function atobBytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The fallback, exported for tests. */
export function decodeBase64Js(text: string): Uint8Array {
  const lookup = new Uint8Array(128);
  for (let i = 0; i < ALPHABET.length; i++) lookup[ALPHABET.charCodeAt(i)] = i;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  const out = new Uint8Array((end * 3) >> 2);
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    value = (value << 6) | lookup[text.charCodeAt(i)]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
