// Code point ranges of character classes, shared by the parser and the
// bracket-class parser, and the assertion kinds shared with the VM. Cold path
// only: everything here allocates.

/** Empty-width assertion kinds (the x of an OP_ASSERT instruction). */
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
    const lo = r[i];
    const hi = r[i + 1];
    // a-z -> A-Z
    let l = max<i32>(lo, 0x61);
    let h = min<i32>(hi, 0x7a);
    if (l <= h) addRange(r, l - 32, h - 32);
    // A-Z -> a-z
    l = max<i32>(lo, 0x41);
    h = min<i32>(hi, 0x5a);
    if (l <= h) addRange(r, l + 32, h + 32);
  }
  return normalizeRanges(r);
}

/** Adds the ranges of a Perl class letter (d, s, w; upper case = negated). */
export function addPerlClass(r: Array<i32>, letter: i32): void {
  const t = new Array<i32>();
  const lower = letter | 0x20;
  if (lower == 0x64) {
    addRange(t, 0x30, 0x39); // \d [0-9]
  } else if (lower == 0x73) {
    addRange(t, 0x09, 0x0a); // \s [\t\n\f\r ] as RE2 (no \v)
    addRange(t, 0x0c, 0x0d);
    addRange(t, 0x20, 0x20);
  } else {
    addRange(t, 0x30, 0x39); // \w [0-9A-Za-z_]
    addRange(t, 0x41, 0x5a);
    addRange(t, 0x5f, 0x5f);
    addRange(t, 0x61, 0x7a);
  }
  const s = letter == lower ? t : negateRanges(t);
  for (let i = 0; i < s.length; i++) r.push(s[i]);
}

/** Adds the ranges of a POSIX class name; false when the name is unknown. */
export function addPosixClass(r: Array<i32>, name: string, negate: bool): bool {
  const t = new Array<i32>();
  if (name == "alpha") {
    addRange(t, 0x41, 0x5a); addRange(t, 0x61, 0x7a);
  } else if (name == "digit") {
    addRange(t, 0x30, 0x39);
  } else if (name == "alnum") {
    addRange(t, 0x30, 0x39); addRange(t, 0x41, 0x5a); addRange(t, 0x61, 0x7a);
  } else if (name == "word") {
    addPerlClass(t, 0x77);
  } else if (name == "space") {
    addRange(t, 0x09, 0x0d); addRange(t, 0x20, 0x20);
  } else if (name == "blank") {
    addRange(t, 0x09, 0x09); addRange(t, 0x20, 0x20);
  } else if (name == "upper") {
    addRange(t, 0x41, 0x5a);
  } else if (name == "lower") {
    addRange(t, 0x61, 0x7a);
  } else if (name == "xdigit") {
    addRange(t, 0x30, 0x39); addRange(t, 0x41, 0x46); addRange(t, 0x61, 0x66);
  } else if (name == "punct") {
    addRange(t, 0x21, 0x2f); addRange(t, 0x3a, 0x40);
    addRange(t, 0x5b, 0x60); addRange(t, 0x7b, 0x7e);
  } else if (name == "cntrl") {
    addRange(t, 0x00, 0x1f); addRange(t, 0x7f, 0x7f);
  } else if (name == "print") {
    addRange(t, 0x20, 0x7e);
  } else if (name == "graph") {
    addRange(t, 0x21, 0x7e);
  } else if (name == "ascii") {
    addRange(t, 0x00, 0x7f);
  } else {
    return false;
  }
  const s = negate ? negateRanges(t) : t;
  for (let i = 0; i < s.length; i++) r.push(s[i]);
  return true;
}
