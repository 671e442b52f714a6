const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes `text` as UTF-8 at `bytes[at]` and returns the byte count. `bytes`
 * must have room for text.length * 3 bytes. Short ASCII strings (most
 * contexts) are copied by hand: cheaper than a TextEncoder call.
 */
export function writeUtf8(text: string, bytes: Uint8Array, at: number): number {
  const n = text.length;
  if (n < 512) {
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      bytes[at + i] = c;
    }
    if (i === n) return n;
  }
  return encoder.encodeInto(text, bytes.subarray(at, at + n * 3)).written;
}

export function readUtf8(bytes: Uint8Array, at: number, len: number): string {
  return decoder.decode(bytes.subarray(at, at + len));
}
