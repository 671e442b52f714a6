// Bracketed character classes: [abc] [a-z] [^...] [\d_] [[:alpha:]]. Cold path.
import {
  addRange, normalizeRanges, negateRanges, foldRanges, addPerlClass, addPosixClass,
} from "./ranges";
import { parseEscape, described, ESC_CLASS, EscapeResult } from "./escape";
import { decimal } from "../../util/decimal";

export class ClassResult {
  ranges: Array<i32> = new Array<i32>(); // normalized [lo, hi] pairs
  end: i32 = 0; // index just past the closing ]
  err: string = "";
}

function fail(res: ClassResult, msg: string): bool {
  res.err = msg;
  return false;
}

/**
 * One member at cp[i]: a code point, -2 after adding a \d-style class to r,
 * -1 on error. esc.end is the index after the member.
 */
function member(cp: Array<i32>, i: i32, r: Array<i32>, esc: EscapeResult): i32 {
  const c = cp[i];
  if (c != 0x5c) {
    esc.end = i + 1;
    return c;
  }
  if (!parseEscape(cp, i, true, esc)) return -1;
  if (esc.kind == ESC_CLASS) {
    addPerlClass(r, cp, i + 1);
    return -2;
  }
  return esc.value;
}

/**
 * Parses the class whose [ is at cp[open]. As in RE2, a ] right after [ or [^
 * is a literal and - is literal where it cannot form a range. `fold` adds the
 * other ASCII case before negation, so (?i)[^a] matches neither a nor A.
 */
export function parseClass(cp: Array<i32>, open: i32, fold: bool, esc: EscapeResult, res: ClassResult): bool {
  const n = cp.length;
  let i = open + 1;
  let negate = false;
  if (i < n && cp[i] == 0x5e) { negate = true; i++; }
  const r = new Array<i32>();
  let first = true;
  while (true) {
    if (i >= n) return fail(res, "missing closing \"]\" for character class at offset " + decimal(open));
    const c = cp[i];
    if (c == 0x5d && !first) { i++; break; }
    first = false;
    if (c == 0x5b && i + 1 < n && cp[i + 1] == 0x3a) { // [:name:] or [:^name:]
      let j = i + 2;
      while (j + 1 < n && !(cp[j] == 0x3a && cp[j + 1] == 0x5d)) j++;
      if (j + 1 < n) {
        const neg = cp[i + 2] == 0x5e;
        if (!addPosixClass(r, cp, i + (neg ? 3 : 2), j, neg)) {
          return fail(res, described("invalid character class name", cp, i, j + 2));
        }
        i = j + 2;
        continue;
      }
    }
    const at = i;
    const lo = member(cp, i, r, esc);
    if (lo == -1) return fail(res, esc.err);
    i = esc.end;
    if (lo == -2) continue;
    if (i + 1 < n && cp[i] == 0x2d && cp[i + 1] != 0x5d) { // a-z
      const hi = member(cp, i + 1, r, esc);
      if (hi == -1) return fail(res, esc.err);
      i = esc.end;
      if (hi == -2 || hi < lo) {
        return fail(res, described("invalid character class range", cp, at, i));
      }
      addRange(r, lo, hi);
    } else {
      addRange(r, lo, lo);
    }
  }
  let out = fold ? foldRanges(r) : normalizeRanges(r);
  if (negate) out = negateRanges(out);
  res.ranges = out;
  res.end = i;
  return true;
}
