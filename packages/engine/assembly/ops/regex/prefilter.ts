// The first-byte prefilter: which ASCII bytes can start a match. An
// unanchored search with no live thread skips every other ASCII byte without
// running the VM, so a literal-led rule over a long attribute costs a byte
// scan, not a VM step per byte. Cold path (compile time).
import {
  Regex, OP_CHAR, OP_CHARI, OP_CLASS, OP_SPLIT,
} from "./program";

function setBit(set: StaticArray<u32>, b: i32): void {
  set[b >> 5] |= 1 << (b & 31);
}

/**
 * Fills re.firstBytes from the instructions reachable from pc 0 by epsilon
 * moves. A start that can be non-ASCII (a code point >= 0x80, U+FFFD for a
 * bad byte) makes the VM stop at every non-ASCII byte; otherwise it lands
 * only on ASCII bytes, which are always whole code points.
 */
export function computeFirstBytes(re: Regex): void {
  const set = re.firstBytes;
  const seen = new StaticArray<bool>(re.n);
  let ascii = true;
  const todo = new Array<i32>();
  todo.push(0);
  seen[0] = true;
  while (todo.length > 0) {
    const pc = todo.pop();
    const o = re.op[pc];
    if (o == OP_SPLIT) {
      const a = re.x[pc];
      if (!seen[a]) { seen[a] = true; todo.push(a); }
      const b = re.y[pc];
      if (!seen[b]) { seen[b] = true; todo.push(b); }
    } else if (o == OP_CHAR) {
      const c = re.x[pc];
      if (c < 0x80) setBit(set, c);
      else ascii = false;
    } else if (o == OP_CHARI) {
      const c = re.x[pc];
      setBit(set, c);
      setBit(set, c & ~0x20);
    } else if (o == OP_CLASS) {
      const start = re.x[pc];
      const end = start + (re.y[pc] << 1);
      for (let k = start; k < end; k += 2) {
        if (re.ranges[k + 1] >= 0x80) ascii = false;
        const hi = min<i32>(re.ranges[k + 1], 0x7f);
        for (let b = re.ranges[k]; b <= hi; b++) setBit(set, b);
      }
    } else {
      // OP_MATCH (an empty match), an assertion, or any character: no skipping
      return;
    }
  }
  let count: i32 = 0;
  for (let w = 0; w < 4; w++) count += <i32>popcnt<u32>(set[w]);
  re.canSkip = count < 96; // `[^x]`-like starts would skip almost nothing
  re.asciiStart = ascii;
}
