// The first-byte prefilter: which ASCII bytes can start a match. An
// unanchored search with no live thread skips every other ASCII byte without
// running the VM, so a literal-led rule over a long attribute costs a byte
// scan, not a VM step per byte. Cold path (compile time).
import { Regex, OP_CHAR, OP_CHARI, OP_CLASS, OP_SPLIT } from "./program";

/** Sets the bits of the ASCII bytes in [lo, hi]; whether the range reaches past ASCII. */
function addBytes(set: StaticArray<u32>, lo: i32, hi: i32): bool {
  for (let b = lo; b <= min<i32>(hi, 0x7f); b++) set[b >> 5] |= 1 << (b & 31);
  return hi >= 0x80;
}

/**
 * Fills re.firstBytes from the instructions reachable from pc 0 by epsilon
 * moves. A start that can be non-ASCII (a code point >= 0x80, U+FFFD for a
 * bad byte) makes the VM stop at every non-ASCII byte; otherwise it lands
 * only on ASCII bytes, which are always whole code points. The walk borrows
 * the VM's stack, and its `mark` with stamp 1, which re.gen starts past.
 */
export function computeFirstBytes(re: Regex): void {
  const set = re.firstBytes;
  const seen = re.mark;
  const todo = re.stack;
  let wide = false;
  let sp = 1; // todo[0] is pc 0
  seen[0] = 1;
  re.gen = 1;
  while (sp > 0) {
    const pc = todo[--sp];
    const o = re.code[pc * 3];
    const x = re.code[pc * 3 + 1];
    const y = re.code[pc * 3 + 2];
    if (o == OP_SPLIT) {
      if (seen[x] == 0) { seen[x] = 1; todo[sp++] = x; }
      if (seen[y] == 0) { seen[y] = 1; todo[sp++] = y; }
    } else if (o == OP_CHAR || o == OP_CHARI) {
      wide |= addBytes(set, x, x);
      if (o == OP_CHARI) addBytes(set, x & ~0x20, x & ~0x20);
    } else if (o == OP_CLASS) {
      for (let k = x; k < x + (y << 1); k += 2) wide |= addBytes(set, re.ranges[k], re.ranges[k + 1]);
    } else {
      // OP_MATCH (an empty match), an assertion, or any character: no skipping
      return;
    }
  }
  let count: i32 = 0;
  for (let w = 0; w < 4; w++) count += <i32>popcnt<u32>(set[w]);
  re.canSkip = count < 96; // `[^x]`-like starts would skip almost nothing
  re.asciiStart = !wide;
}
