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
 * into place), or `null` for a code unit it never writes. `at`: where this
 * call starts (it calls itself for each next run of units).
 */
export function stringToBytes(text: string, out: Uint8Array, at = 0): Uint8Array | null {
  // In runs, a call each, of 4,096 units and 1/16 more each time (56 calls for 124,567 units, about 160 deep at the
  // 64 MiB limit): V8 optimizes a loop that runs long only for that loop's entry (OSR), so one loop over the whole
  // text ran a process's second document unoptimized (the 1,000-flag one: 2-4 ms, where optimized code takes 0.2),
  // and runs of 65,536 units paid a second compile in the first. Short runs make V8 optimize the function itself.
  for (const end = at + 4096 + (at >> 4); at < text.length; at++) {
    const c = text.charCodeAt(at);
    // U+0020..U+00FF is that byte, U+0100..U+011F (SHIFT + CONTROL) byte c - 0x100: a Uint8Array keeps the low 8 bits
    // (the numbers written out: a page's bundler keeps module constants as variables)
    if (c < 0x20 || c > 0x11f) return null;
    // (this shape bundles 2 bytes smaller than the run's end in the loop's test, or a store before it)
    if (at === end) return stringToBytes(text, out, at);
    out[at] = c;
  }
  return out;
}
