// Pike VM without captures (a Thompson NFA simulation): one pass over the
// input, each step touching every instruction at most once, so the time is
// O(len * program size) whatever the pattern. That product can still reach
// 5 × 10^9 for a 1 MiB attribute, so every clause gets a step budget
// (REGEX_STEP_BUDGET, or less when the evaluation's own budget has less
// left): a search that spends it ends as "no match", and the clause decides
// what that means (eval/match.ts). HOT PATH: no allocation; every array used
// here was preallocated by the Regex constructor.
import {
  Regex, OP_MATCH, OP_CHAR, OP_CHARI, OP_CLASS, OP_ANY, OP_ANYNL, OP_ASSERT, OP_SPLIT,
} from "./program";
import { A_BEGIN_TEXT, A_END_TEXT, A_BEGIN_LINE, A_END_LINE, A_WORD } from "./ranges";

/**
 * VM steps one clause may spend on `matches` (all its values, all items of an
 * array attribute). A step is one instruction visited at one input position,
 * plus one per position. SPEC.md §10 states the time this bounds.
 */
export const REGEX_STEP_BUDGET: i32 = 1 << 18;

let stepsLeft: i32 = REGEX_STEP_BUDGET;
let stepsGiven: i32 = REGEX_STEP_BUDGET;
let exhaustions: u32 = 0;

/** Gives the next searches a fresh budget of `steps` (once per clause). */
export function regexBudgetStart(steps: i32 = REGEX_STEP_BUDGET): void {
  stepsLeft = steps;
  stepsGiven = steps;
}

/** Whether a search since the last regexBudgetStart() ran out of steps. */
export function regexBudgetSpent(): bool {
  return stepsLeft < 0;
}

/** Steps spent since the last regexBudgetStart(), at most the steps given. */
export function regexStepsUsed(): i32 {
  return stepsLeft < 0 ? stepsGiven : stepsGiven - stepsLeft;
}

/** Counts one clause that ran out of its own REGEX_STEP_BUDGET. */
export function countRegexExhaustion(): void {
  exhaustions++;
}

/** How many clause evaluations ran out of steps since the module started (wraps at 2^32). */
export function regexBudgetExhaustions(): u32 {
  return exhaustions;
}

const REPLACEMENT: i32 = 0xfffd;

/** Byte width of the code point last returned by decode(). */
export let decodedWidth: i32 = 1;

/**
 * Decodes one code point at p (rem >= 1 bytes available). Invalid or
 * truncated UTF-8 yields U+FFFD with width 1, as Go's utf8.DecodeRune.
 */
// @ts-ignore: decorator
@inline
export function decode(p: usize, rem: i32): i32 {
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
  let c = b0 & (0x7f >> need);
  for (let k = 1; k < need; k++) {
    const b = <i32>load<u8>(p + <usize>k);
    if ((b & 0xc0) != 0x80) return REPLACEMENT;
    c = (c << 6) | (b & 0x3f);
  }
  // Overlong forms (a 2-byte one starts below 0xc2), surrogates and > U+10FFFF.
  if (c < (need == 3 ? 0x800 : need == 4 ? 0x10000 : 0) || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) {
    return REPLACEMENT;
  }
  decodedWidth = need;
  return c;
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

/** Binary search: a class may hold thousands of ranges (sorted, disjoint). */
function inClass(rg: StaticArray<i32>, start: i32, pairs: i32, c: i32): bool {
  let lo = start >> 1;
  let hi = lo + pairs - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = mid << 1;
    if (c < unchecked(rg[k])) hi = mid - 1;
    else if (c > unchecked(rg[k + 1])) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Extra steps a class test costs: a binary search over thousands of ranges
 * takes about as long as four plain steps, so the budget bounds time too.
 */
// @ts-ignore: decorator
@inline
function classCost(pairs: i32): i32 {
  return (32 - <i32>clz<u32>(<u32>pairs)) >> 2;
}

/**
 * Whether `re` matches anywhere in the UTF-8 bytes at ptr/len. Spends the
 * current budget (regexBudgetStart); with none left the answer is false.
 */
export function regexMatch(re: Regex, ptr: usize, len: i32): bool {
  let left = stepsLeft;
  if (left < 0) return false;
  const code = re.code;
  const rg = re.ranges;
  const mark = re.mark;
  const queued = re.queued;
  const stack = re.stack;
  const anchored = re.anchored;
  const skip = re.canSkip && !anchored;
  const first = re.firstBytes;
  const asciiStart = re.asciiStart;
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
    if (skip && curN == 0 && c >= 0 &&
      (c < 0x80 ? (unchecked(first[c >> 5]) & (1 << (c & 31))) == 0 : asciiStart)) {
      // No thread alive and this ASCII byte cannot start a match: find one that can.
      // Landing on an ASCII byte or the first non-ASCII one keeps pos on a code
      // point boundary. `prev` is only read by assertions, and none is
      // reachable from pc 0 when skipping is on, so a byte stands in for it.
      let p = pos + 1;
      while (p < len) {
        const b = <i32>load<u8>(ptr + <usize>p);
        if (b >= 0x80) {
          if (!asciiStart) break;
        } else if ((unchecked(first[b >> 5]) & (1 << (b & 31))) != 0) break;
        p++;
      }
      if (p >= len) break; // the start needs a byte, and none is left
      prev = <i32>load<u8>(ptr + <usize>(p - 1));
      pos = p;
      c = decode(ptr + <usize>pos, len - pos);
      w = decodedWidth;
    }
    if (gen >= i32.MAX_VALUE - 1) { // stamps wrap: forget them all (no allocation)
      for (let k = 0; k < re.n; k++) { unchecked(mark[k] = 0); unchecked(queued[k] = 0); }
      gen = 0;
    }
    gen++;
    const cf = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    let sp: i32 = 0;
    let nxtN: i32 = 0;
    let steps: i32 = 1;
    // Threads carried over (cur[0..curN)) come first: they are distinct
    // (queued once) and unmarked so far, so a consuming one runs at once and
    // the others wait on the stack, under the start thread (pc 0) pushed
    // after them. Only epsilon moves need the stack.
    let k: i32 = 0;
    while (true) {
      let pc: i32;
      const carried = k < curN;
      if (carried) {
        pc = unchecked(cur[k++]);
        unchecked(mark[pc] = gen);
      } else {
        if (k == curN) {
          k++;
          if ((!anchored || pos == 0) && unchecked(mark[0]) != gen) {
            unchecked(mark[0] = gen);
            unchecked(stack[sp++] = 0);
          }
        }
        if (sp == 0) break;
        pc = unchecked(stack[--sp]);
      }
      const o = unchecked(code[pc * 3]);
      const x = unchecked(code[pc * 3 + 1]);
      steps++;
      let advance = false;
      if (o == OP_CHAR) advance = c == x;
      else if (o == OP_CHARI) advance = cf == x;
      else if (o == OP_CLASS) {
        const pairs = unchecked(code[pc * 3 + 2]);
        advance = inClass(rg, x, pairs, c);
        steps += classCost(pairs);
      }
      else if (carried) {
        unchecked(stack[sp++] = pc);
        steps--; // counted when popped
        continue;
      }
      else if (o == OP_ANYNL) advance = c >= 0 && c != 0x0a;
      else if (o == OP_ANY) advance = c >= 0;
      else if (o == OP_MATCH) {
        re.gen = gen;
        stepsLeft = left - steps;
        return true;
      } else {
        // Epsilon moves: follow them within this step.
        let t1: i32 = -1;
        let t2: i32 = -1;
        if (o == OP_SPLIT) { t1 = unchecked(code[pc * 3 + 2]); t2 = x; }
        else if (assertHolds(x, pos, len, prev, c)) t1 = pc + 1;
        if (t1 >= 0 && unchecked(mark[t1]) != gen) { unchecked(mark[t1] = gen); unchecked(stack[sp++] = t1); }
        if (t2 >= 0 && unchecked(mark[t2]) != gen) { unchecked(mark[t2] = gen); unchecked(stack[sp++] = t2); }
      }
      if (advance) {
        const t = pc + 1;
        if (unchecked(queued[t]) != gen) { unchecked(queued[t] = gen); unchecked(nxt[nxtN++] = t); }
      }
    }
    left -= steps;
    if (left < 0) break; // out of budget: no answer, so no match (the caller tells the cases apart)
    if (pos >= len || (anchored && nxtN == 0)) break;
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
  re.gen = gen;
  stepsLeft = left;
  return false;
}
