// Bracketed character classes: [abc] [a-z] [^...] [\d_] [[:alpha:]]. Cold path.
import { Parser } from "./parser";
import { addRange, normalizeRanges, negateRanges, foldRanges, addPerlClass, addPosixClass } from "./ranges";
import { parseEscape, ESC_CLASS } from "./escape";
import { utf8 } from "../../util/text";

/**
 * One member at p.i, which moves past it: a code point, -2 after adding a
 * \d-style class to r, -1 on error.
 */
function member(p: Parser, r: Array<i32>): i32 {
  const c = p.peek();
  if (c != 0x5c) {
    p.i++;
    return c;
  }
  const kind = parseEscape(p, true);
  if (kind == ESC_CLASS) {
    addPerlClass(r, p.cp, p.i - 1);
    return -2;
  }
  return kind < 0 ? -1 : p.value;
}

/**
 * Parses the class whose [ is at p.i and moves p.i past its ]: its
 * normalized [lo, hi] pairs, or null after p.fail(). As in RE2, a ] right
 * after [ or [^ is a literal and - is literal where it cannot form a range.
 * `fold` adds the other ASCII case before negation, so (?i)[^a] matches
 * neither a nor A.
 */
export function parseClass(p: Parser, fold: bool): Array<i32> | null {
  const open = p.i++;
  const negate = p.peek() == 0x5e;
  if (negate) p.i++;
  const r = new Array<i32>();
  let first = true;
  while (true) {
    const i = p.i;
    const c = p.peek();
    if (c < 0) {
      p.fail(utf8("missing closing \"]\" for character class"), open);
      return null;
    }
    if (c == 0x5d && !first) break;
    first = false;
    if (c == 0x5b && p.at(i + 1) == 0x3a) { // [:name:] or [:^name:]
      let j = i + 2;
      while (p.at(j + 1) >= 0 && !(p.at(j) == 0x3a && p.at(j + 1) == 0x5d)) j++;
      if (p.at(j + 1) >= 0) {
        const neg = p.at(i + 2) == 0x5e;
        if (!addPosixClass(r, p.cp, i + (neg ? 3 : 2), j, neg)) {
          p.described(utf8("invalid character class name"), i, j + 2);
          return null;
        }
        p.i = j + 2;
        continue;
      }
    }
    const lo = member(p, r);
    if (lo == -1) return null;
    if (lo == -2) continue;
    let hi = lo;
    if (p.peek() == 0x2d && p.peek(1) != 0x5d && p.peek(1) >= 0) { // a-z
      p.i++;
      hi = member(p, r);
      if (hi == -1) return null;
      if (hi == -2 || hi < lo) {
        p.described(utf8("invalid character class range"), i, p.i);
        return null;
      }
    }
    addRange(r, lo, hi);
  }
  p.i++;
  const out = fold ? foldRanges(r) : normalizeRanges(r);
  return negate ? negateRanges(out) : out;
}
