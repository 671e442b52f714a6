// Pike VM without captures (a Thompson NFA simulation): one pass over the
// input, each step touching every instruction at most once, so the time is
// O(len * program size) whatever the pattern. HOT PATH: no allocation; every
// array used here was preallocated by the Regex constructor.
import {
  Regex, OP_MATCH, OP_CHAR, OP_CHARI, OP_CLASS, OP_ANY, OP_ANYNL, OP_ASSERT,
  OP_JMP, OP_SPLIT,
} from "./program";
import { A_BEGIN_TEXT, A_END_TEXT, A_BEGIN_LINE, A_END_LINE, A_WORD } from "./ast";

const REPLACEMENT: i32 = 0xfffd;

/** Byte width of the code point last returned by decode(). */
let decodedWidth: i32 = 1;

/**
 * Decodes one code point at p (rem >= 1 bytes available). Invalid or
 * truncated UTF-8 yields U+FFFD with width 1, as Go's utf8.DecodeRune.
 */
// @ts-ignore: decorator
@inline
function decode(p: usize, rem: i32): i32 {
  const b0 = <i32>load<u8>(p);
  if (b0 < 0x80) {
    decodedWidth = 1;
    return b0;
  }
  return decodeMulti(p, rem, b0);
}

function decodeMulti(p: usize, rem: i32, b0: i32): i32 {
  decodedWidth = 1;
  if (b0 < 0xc2 || b0 > 0xf4) return REPLACEMENT;
  const need: i32 = b0 < 0xe0 ? 2 : b0 < 0xf0 ? 3 : 4;
  if (rem < need) return REPLACEMENT;
  // The second byte's range excludes overlongs, surrogates and > U+10FFFF.
  let lo: i32 = 0x80;
  let hi: i32 = 0xbf;
  if (b0 == 0xe0) lo = 0xa0;
  else if (b0 == 0xed) hi = 0x9f;
  else if (b0 == 0xf0) lo = 0x90;
  else if (b0 == 0xf4) hi = 0x8f;
  const b1 = <i32>load<u8>(p + 1);
  if (b1 < lo || b1 > hi) return REPLACEMENT;
  if (need == 2) {
    decodedWidth = 2;
    return ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  }
  const b2 = <i32>load<u8>(p + 2);
  if ((b2 & 0xc0) != 0x80) return REPLACEMENT;
  if (need == 3) {
    decodedWidth = 3;
    return ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
  }
  const b3 = <i32>load<u8>(p + 3);
  if ((b3 & 0xc0) != 0x80) return REPLACEMENT;
  decodedWidth = 4;
  return ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
}

// @ts-ignore: decorator
@inline
function isWord(c: i32): bool {
  const l = c | 0x20;
  return (c >= 0x30 && c <= 0x39) || (l >= 0x61 && l <= 0x7a) || c == 0x5f;
}

/** prev / cur are the code points before / at pos, -1 outside the input. */
function assertHolds(kind: i32, pos: i32, len: i32, prev: i32, cur: i32): bool {
  if (kind == A_BEGIN_TEXT) return pos == 0;
  if (kind == A_END_TEXT) return pos == len;
  if (kind == A_BEGIN_LINE) return pos == 0 || prev == 0x0a;
  if (kind == A_END_LINE) return pos == len || cur == 0x0a;
  const boundary = isWord(prev) != isWord(cur);
  return kind == A_WORD ? boundary : !boundary;
}

function inClass(rg: StaticArray<i32>, start: i32, pairs: i32, c: i32): bool {
  const end = start + (pairs << 1);
  for (let k = start; k < end; k += 2) {
    if (c < unchecked(rg[k])) return false; // ranges are sorted
    if (c <= unchecked(rg[k + 1])) return true;
  }
  return false;
}

export function regexMatch(re: Regex, ptr: usize, len: i32): bool {
  const op = re.op;
  const xs = re.x;
  const ys = re.y;
  const mark = re.mark;
  const queued = re.queued;
  const stack = re.stack;
  const anchored = re.anchored;
  let cur = re.seedsA;
  let nxt = re.seedsB;
  let curN: i32 = 0;
  let gen = re.gen;
  let pos: i32 = 0;
  let prev: i32 = -1;
  let c: i32 = -1;
  let w: i32 = 0;
  if (len > 0) {
    c = decode(ptr, len);
    w = decodedWidth;
  }
  // All pcs below come from the program (targets < n) and each pc is pushed
  // or queued at most once per step, so stack/nxt (length n) cannot overflow.
  while (true) {
    if (gen >= i32.MAX_VALUE - 1) { // stamps wrap: forget them all (no allocation)
      for (let k = 0; k < re.n; k++) { unchecked(mark[k] = 0); unchecked(queued[k] = 0); }
      gen = 0;
    }
    gen++;
    const cf = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    let sp: i32 = 0;
    let nxtN: i32 = 0;
    if (!anchored || pos == 0) {
      unchecked(mark[0] = gen);
      unchecked(stack[sp++] = 0);
    }
    for (let k = 0; k < curN; k++) {
      const pc = unchecked(cur[k]);
      if (unchecked(mark[pc]) != gen) { unchecked(mark[pc] = gen); unchecked(stack[sp++] = pc); }
    }
    while (sp > 0) {
      const pc = unchecked(stack[--sp]);
      const o = unchecked(op[pc]);
      let advance = false;
      if (o == OP_CHAR) advance = c == unchecked(xs[pc]);
      else if (o == OP_CHARI) advance = cf == unchecked(xs[pc]);
      else if (o == OP_CLASS) advance = inClass(re.ranges, unchecked(xs[pc]), unchecked(ys[pc]), c);
      else if (o == OP_ANYNL) advance = c >= 0 && c != 0x0a;
      else if (o == OP_ANY) advance = c >= 0;
      else if (o == OP_MATCH) {
        re.gen = gen;
        return true;
      } else {
        // Epsilon moves: follow them within this step.
        let t1: i32 = -1;
        let t2: i32 = -1;
        if (o == OP_JMP) t1 = unchecked(xs[pc]);
        else if (o == OP_SPLIT) { t1 = unchecked(ys[pc]); t2 = unchecked(xs[pc]); }
        else if (o == OP_ASSERT && assertHolds(unchecked(xs[pc]), pos, len, prev, c)) t1 = pc + 1;
        if (t1 >= 0 && unchecked(mark[t1]) != gen) { unchecked(mark[t1] = gen); unchecked(stack[sp++] = t1); }
        if (t2 >= 0 && unchecked(mark[t2]) != gen) { unchecked(mark[t2] = gen); unchecked(stack[sp++] = t2); }
      }
      if (advance) {
        const t = pc + 1;
        if (unchecked(queued[t]) != gen) { unchecked(queued[t] = gen); unchecked(nxt[nxtN++] = t); }
      }
    }
    if (pos >= len || (anchored && nxtN == 0)) {
      re.gen = gen;
      return false;
    }
    const tmp = cur;
    cur = nxt;
    nxt = tmp;
    curN = nxtN;
    pos += w;
    prev = c;
    if (pos < len) {
      c = decode(ptr + <usize>pos, len - pos);
      w = decodedWidth;
    } else {
      c = -1;
      w = 0;
    }
  }
  return false;
}
