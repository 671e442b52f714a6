// Code point ranges of character classes, shared by the parser and the
// bracket-class parser, and the assertion kinds shared with the VM. Cold path
// only: everything here allocates.
import { Text, textLen, textPtr, utf8 } from "../../util/text";

/** Empty-width assertion kinds (the x of an OP_ASSERT instruction). */
// escape.ts pairs \A \z \b \B with these values in its ASSERTIONS table.
export const A_BEGIN_TEXT: i32 = 0; // ^ (default), \A
export const A_END_TEXT: i32 = 1; // $ (default), \z
export const A_BEGIN_LINE: i32 = 2; // ^ under (?m)
export const A_END_LINE: i32 = 3; // $ under (?m)
export const A_WORD: i32 = 4; // \b
export const A_NOT_WORD: i32 = 5; // \B

export const MAX_CODE_POINT: i32 = 0x10ffff;

/** Appends [lo, hi]; normalize later. */
// @ts-ignore: decorator
@inline
export function addRange(r: Array<i32>, lo: i32, hi: i32): void {
  r.push(lo);
  r.push(hi);
}

/** Sorts ranges by lower bound and merges overlapping or adjacent ones. */
export function normalizeRanges(r: Array<i32>): Array<i32> {
  const n = r.length >> 1;
  // Insertion sort of pairs: classes are small and this is the cold path.
  for (let i = 1; i < n; i++) {
    const lo = r[i << 1];
    const hi = r[(i << 1) + 1];
    let j = i - 1;
    while (j >= 0 && r[j << 1] > lo) {
      r[(j + 1) << 1] = r[j << 1];
      r[((j + 1) << 1) + 1] = r[(j << 1) + 1];
      j--;
    }
    r[(j + 1) << 1] = lo;
    r[((j + 1) << 1) + 1] = hi;
  }
  const out = new Array<i32>();
  for (let i = 0; i < n; i++) {
    const lo = r[i << 1];
    const hi = r[(i << 1) + 1];
    const m = out.length;
    if (m > 0 && lo <= out[m - 1] + 1) {
      if (hi > out[m - 1]) out[m - 1] = hi;
    } else {
      out.push(lo);
      out.push(hi);
    }
  }
  return out;
}

/** Complement of normalized ranges over [0, U+10FFFF]. */
export function negateRanges(r: Array<i32>): Array<i32> {
  const out = new Array<i32>();
  let next: i32 = 0;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] > next) addRange(out, next, r[i] - 1);
    next = r[i + 1] + 1;
  }
  if (next <= MAX_CODE_POINT) addRange(out, next, MAX_CODE_POINT);
  return out;
}

/** Adds the other ASCII case of every letter in `r` (then normalizes). */
export function foldRanges(r: Array<i32>): Array<i32> {
  const n = r.length;
  for (let i = 0; i < n; i += 2) {
    for (let b = 0x41; b <= 0x61; b += 0x20) { // A-Z, then a-z: bit 0x20 flips the case
      const l = max<i32>(r[i], b);
      const h = min<i32>(r[i + 1], b + 25);
      if (l <= h) addRange(r, l ^ 0x20, h ^ 0x20);
    }
  }
  return normalizeRanges(r);
}

// Named ASCII classes, one entry after another: the name's length, the name,
// the number of [lo, hi] pairs, the pairs. A table read by one loop is smaller
// code than a branch per name; as static UTF-8 texts (all ASCII), each is
// half the bytes of a string.
const PERL = utf8("\x01d\x0109\x01s\x03\t\n\f\r  \x01w\x0409AZ__az"); // \d \s \w as RE2 (no \v in \s)
// prettier-ignore
const POSIX = utf8("\x05alpha\x02AZaz\x05digit\x0109\x05alnum\x0309AZaz\x04word\x0409AZ__az\x05space\x02\t\r  \x05blank\x02\t\t  \x05upper\x01AZ\x05lower\x01az\x06xdigit\x0309AFaf\x05punct\x04!/:@[`{~\x05cntrl\x02\x00\x1f\x7f\x7f\x05print\x01 ~\x05graph\x01!~\x05ascii\x01\x00\x7f");

/**
 * Adds the ranges of the class in `table` named cp[from..to) (each code point
 * OR `mask`), complemented when `negate`; false when no entry has that name.
 */
function addNamed(table: Text, r: Array<i32>, cp: Array<i32>, from: i32, to: i32, mask: i32, negate: bool): bool {
  const p = textPtr(table);
  for (let k = 0, n = textLen(table); k < n;) {
    const len = <i32>load<u8>(p + k);
    const at = k + len + 2;
    const end = at + 2 * <i32>load<u8>(p + at - 1);
    let same = len == to - from;
    for (let j = 0; same && j < len; j++) same = (cp[from + j] | mask) == <i32>load<u8>(p + k + 1 + j);
    if (same) {
      let t = new Array<i32>();
      for (let j = at; j < end; j++) t.push(<i32>load<u8>(p + j));
      if (negate) t = negateRanges(t);
      for (let j = 0; j < t.length; j++) r.push(t[j]);
      return true;
    }
    k = end;
  }
  return false;
}

/** Adds the ranges of the Perl class whose letter (d s w, upper case negated) is cp[at]. */
export function addPerlClass(r: Array<i32>, cp: Array<i32>, at: i32): void {
  addNamed(PERL, r, cp, at, at + 1, 0x20, cp[at] < 0x61);
}

/** Adds the ranges of the POSIX class named cp[from..to); false when the name is unknown. */
export function addPosixClass(r: Array<i32>, cp: Array<i32>, from: i32, to: i32, negate: bool): bool {
  return addNamed(POSIX, r, cp, from, to, 0, negate);
}
