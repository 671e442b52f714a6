// How a compiled datafile's bytes travel inside its JSON document (docs/compiled-datafile.md).

/** Bytes below this would be escaped by JSON (`\u00XX`, six bytes): they are carried as U+0100 + byte instead. */
const CONTROL = 0x20;
const SHIFT = 0x100;

/**
 * Bytes as a string of one code unit each: byte `b` as U+00`b`, and bytes
 * below 0x20 as U+01`b` (JSON would escape them). Over UTF-8 and gzip this
 * costs about what the bytes do: the 1,000-flag datafile's 124,567 bytes
 * (3,340 gzipped) are 158,846 bytes and 3,665 gzipped this way, against
 * 166,092 and 6,439 as base64, whose 6-bit groups hide the bytes' repeats from gzip.
 */
export function bytesToString(bytes: Uint8Array): string {
  let out = '';
  // in pieces: String.fromCharCode takes its arguments on the stack
  for (let i = 0; i < bytes.length; i += 0x2000) {
    out += String.fromCharCode(...Array.from(bytes.subarray(i, i + 0x2000), (b) => (b < CONTROL ? b + SHIFT : b)));
  }
  return out;
}

/**
 * The bytes of `bytesToString`'s text, written into `out` (at least as long:
 * an evaluator's input buffer, so that the document's bytes are decoded once,
 * into place), or `null` for a code unit it never writes.
 */
export function stringToBytes(text: string, out: Uint8Array = new Uint8Array(text.length)): Uint8Array | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < CONTROL || (c > 0xff && (c < SHIFT || c >= SHIFT + CONTROL))) return null;
    out[i] = c;
  }
  return out;
}
