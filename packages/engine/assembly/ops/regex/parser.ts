// Recursive-descent parser for the RE2-style subset (see docs/regex.md).
// Cold path: allocates freely. Errors set `err` and make callers return null.
import {
  Node, classNode, normalizeRanges, foldRanges, addPerlClass, N_EMPTY, N_LIT,
  N_ANY, N_ANYNL, N_ASSERT, N_CONCAT, N_ALT, N_REPEAT, A_BEGIN_TEXT, A_END_TEXT,
  A_BEGIN_LINE, A_END_LINE,
} from "./ast";
import { parseEscape, ESC_CLASS, ESC_ASSERT, EscapeResult } from "./escape";
import { parseClass, ClassResult } from "./charclass";
import { decimal } from "../../util/decimal";

export const MAX_REPEAT: i32 = 1000;
export const MAX_DEPTH: i32 = 250;

export const F_ICASE: i32 = 1; // (?i)
export const F_MULTILINE: i32 = 2; // (?m)
export const F_DOTNL: i32 = 4; // (?s)

// @ts-ignore: decorator
@inline function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }
// @ts-ignore: decorator
@inline function isWordChar(c: i32): bool {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c == 0x5f;
}

export function quote(s: string): string { return '"' + s + '"'; }

export class Parser {
  cp: Array<i32> = new Array<i32>();
  i: i32 = 0;
  flags: i32 = 0;
  err: string | null = null;
  esc: EscapeResult = new EscapeResult();
  cls: ClassResult = new ClassResult();
  // Quantifier just parsed by parseQuantifier().
  qmin: i32 = 0;
  qmax: i32 = 0;

  constructor(pattern: string) {
    const n = pattern.length;
    for (let k = 0; k < n; k++) {
      let c = <i32>pattern.charCodeAt(k);
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < n) {
        const d = <i32>pattern.charCodeAt(k + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          k++;
        }
      }
      this.cp.push(c);
    }
  }

  fail(msg: string): Node | null {
    if (this.err === null) this.err = msg;
    return null;
  }

  // @ts-ignore: decorator
  @inline peek(k: i32 = 0): i32 {
    const j = this.i + k;
    return j < this.cp.length ? this.cp[j] : -1;
  }

  text(from: i32, to: i32): string {
    let s = "";
    for (let k = from; k < to && k < this.cp.length; k++) s += String.fromCodePoint(this.cp[k]);
    return s;
  }

  parse(): Node | null {
    const node = this.parseAlt(0);
    if (this.err !== null) return null;
    if (this.i < this.cp.length) return this.fail("unmatched \")\" at offset " + decimal(this.i));
    return node;
  }

  parseAlt(depth: i32): Node | null {
    const kids = new Array<Node>();
    while (true) {
      const k = this.parseConcat(depth);
      if (k === null) return null;
      kids.push(k);
      if (this.peek() != 0x7c) break; // '|'
      this.i++;
    }
    if (kids.length == 1) return kids[0];
    const alt = new Node(N_ALT);
    alt.kids = kids;
    return alt;
  }

  parseConcat(depth: i32): Node | null {
    const items = new Array<Node>();
    let canRepeat = false;
    while (this.i < this.cp.length) {
      const c = this.peek();
      if (c == 0x7c || c == 0x29) break; // '|' ')'
      const at = this.i;
      if (this.parseQuantifier()) {
        if (this.err !== null) return null;
        if (!canRepeat) {
          return this.fail("quantifier " + quote(this.text(at, this.i)) + " at offset " +
            decimal(at) + " has nothing to repeat");
        }
        if (this.peek() == 0x3f) this.i++; // lazy: same answer for a boolean match
        const rep = new Node(N_REPEAT, this.qmin, this.qmax);
        rep.kids = [items[items.length - 1]];
        items[items.length - 1] = rep;
        const next = this.i;
        if (this.parseQuantifier() || this.err !== null) {
          if (this.err !== null) return null;
          const what = this.text(at, this.i);
          if (this.cp[next] == 0x2b) {
            return this.fail("unsupported possessive quantifier " + quote(what) + " at offset " + decimal(at));
          }
          return this.fail("nested quantifier " + quote(what) + " at offset " + decimal(at));
        }
        canRepeat = false;
        continue;
      }
      if (c == 0x5c && this.peek(1) == 0x51) { // \Q...\E: literal text
        this.i += 2;
        while (this.i < this.cp.length && !(this.peek() == 0x5c && this.peek(1) == 0x45)) {
          items.push(this.lit(this.cp[this.i++]));
          canRepeat = true;
        }
        if (this.i < this.cp.length) this.i += 2;
        continue;
      }
      const atom = this.parseAtom(depth);
      if (this.err !== null) return null;
      if (atom === null) { canRepeat = false; continue; } // (?flags)
      items.push(atom);
      canRepeat = c == 0x28 || atom.kind != N_ASSERT; // (^)* is fine, ^* is not
    }
    const kids = new Array<Node>();
    for (let k = 0; k < items.length; k++) if (items[k].kind != N_EMPTY) kids.push(items[k]);
    if (kids.length == 0) return new Node(N_EMPTY);
    if (kids.length == 1) return kids[0];
    const cat = new Node(N_CONCAT);
    cat.kids = kids;
    return cat;
  }

  /** Consumes `* + ? {n} {n,} {n,m}` into qmin/qmax; false (nothing consumed) otherwise. */
  parseQuantifier(): bool {
    const c = this.peek();
    if (c == 0x2a) { this.i++; this.qmin = 0; this.qmax = -1; return true; }
    if (c == 0x2b) { this.i++; this.qmin = 1; this.qmax = -1; return true; }
    if (c == 0x3f) { this.i++; this.qmin = 0; this.qmax = 1; return true; }
    if (c != 0x7b) return false;
    // `{` is a literal unless a well-formed repeat follows (as in RE2).
    const at = this.i;
    let j = at + 1;
    let lo: i32 = 0;
    let hi: i32 = -1;
    const n = this.cp.length;
    const s0 = j;
    while (j < n && isDigit(this.cp[j])) { lo = min<i32>(lo * 10 + this.cp[j] - 0x30, 100000); j++; }
    if (j == s0 || j >= n) return false;
    if (this.cp[j] == 0x2c) {
      j++;
      const s1 = j;
      let v: i32 = 0;
      while (j < n && isDigit(this.cp[j])) { v = min<i32>(v * 10 + this.cp[j] - 0x30, 100000); j++; }
      if (j > s1) hi = v;
    } else {
      hi = lo;
    }
    if (j >= n || this.cp[j] != 0x7d) return false;
    this.i = j + 1;
    const spec = quote(this.text(at, this.i));
    if (lo > MAX_REPEAT || hi > MAX_REPEAT) {
      this.fail("repeat count in " + spec + " at offset " + decimal(at) +
        " exceeds the limit of " + decimal(MAX_REPEAT));
    } else if (hi >= 0 && lo > hi) {
      this.fail("invalid repeat " + spec + " at offset " + decimal(at) + ": min is greater than max");
    }
    this.qmin = lo;
    this.qmax = hi;
    return true;
  }

  lit(c: i32): Node {
    if ((this.flags & F_ICASE) != 0 && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) {
      return new Node(N_LIT, c | 0x20, 1);
    }
    return new Node(N_LIT, c, 0);
  }

  parseAtom(depth: i32): Node | null {
    const c = this.peek();
    if (c == 0x28) return this.parseGroup(depth); // (
    if (c == 0x5b) return this.parseClass(); // [
    if (c == 0x5c) return this.parseEscapeAtom();
    this.i++;
    if (c == 0x2e) return new Node((this.flags & F_DOTNL) != 0 ? N_ANY : N_ANYNL); // .
    if (c == 0x5e) return new Node(N_ASSERT, (this.flags & F_MULTILINE) != 0 ? A_BEGIN_LINE : A_BEGIN_TEXT);
    if (c == 0x24) return new Node(N_ASSERT, (this.flags & F_MULTILINE) != 0 ? A_END_LINE : A_END_TEXT);
    return this.lit(c);
  }

  parseEscapeAtom(): Node | null {
    const r = this.esc;
    if (!this.escape(false)) return null;
    if (r.kind == ESC_ASSERT) return new Node(N_ASSERT, r.value);
    if (r.kind == ESC_CLASS) {
      const ranges = new Array<i32>();
      addPerlClass(ranges, r.value);
      return classNode((this.flags & F_ICASE) != 0 ? foldRanges(ranges) : normalizeRanges(ranges));
    }
    return this.lit(r.value);
  }

  escape(inClass: bool): bool {
    const r = this.esc;
    if (!parseEscape(this.cp, this.i, inClass, r)) {
      this.fail(r.err);
      return false;
    }
    this.i = r.end;
    return true;
  }

  parseGroup(depth: i32): Node | null {
    const open = this.i;
    const off = " at offset " + decimal(open);
    if (depth >= MAX_DEPTH) return this.fail("nesting depth exceeds the limit of " + decimal(MAX_DEPTH) + off);
    this.i++;
    const saved = this.flags;
    if (this.peek() == 0x3f) { // (?
      const c = this.peek(1);
      const c2 = this.peek(2);
      if (c == 0x3d || c == 0x21) return this.fail("unsupported lookahead " + quote(this.text(open, open + 3)) + off);
      if (c == 0x3c && (c2 == 0x3d || c2 == 0x21)) {
        return this.fail("unsupported lookbehind " + quote(this.text(open, open + 4)) + off);
      }
      if (c == 0x50 && c2 == 0x3d) return this.fail("unsupported backreference \"(?P=\"" + off);
      if (c == 0x3e) return this.fail("unsupported atomic group \"(?>\"" + off);
      if (c == 0x3a) {
        this.i += 2; // (?:
      } else if (c == 0x3c || (c == 0x50 && c2 == 0x3c)) { // (?<name> (?P<name>
        this.i += c == 0x3c ? 2 : 3;
        const s = this.i;
        while (this.i < this.cp.length && isWordChar(this.cp[this.i])) this.i++;
        if (this.i == s || this.peek() != 0x3e) return this.fail("invalid group name" + off);
        this.i++;
      } else {
        // Flags: (?imsU-imsU) or (?imsU-imsU:...)
        this.i++;
        let neg = false;
        let any = false;
        let f = this.flags;
        while (true) {
          const d = this.peek();
          let bit: i32 = 0;
          if (d == 0x69) bit = F_ICASE;
          else if (d == 0x6d) bit = F_MULTILINE;
          else if (d == 0x73) bit = F_DOTNL;
          else if (d == 0x55) bit = -1; // ungreedy: irrelevant for a boolean match
          else if (d == 0x2d && !neg) { neg = true; any = false; this.i++; continue; }
          else if ((d == 0x29 || d == 0x3a) && any) break;
          else if (d < 0) return this.fail("missing closing \")\" for group" + off);
          else {
            return this.fail("unsupported group or flag syntax " + quote(this.text(open, this.i + 1)) + off);
          }
          if (bit > 0) f = neg ? f & ~bit : f | bit;
          any = true;
          this.i++;
        }
        this.flags = f;
        if (this.cp[this.i++] == 0x29) return null; // (?i): applies to the rest of the group
      }
    }
    const body = this.parseAlt(depth + 1);
    if (body === null) return null;
    if (this.peek() != 0x29) return this.fail("missing closing \")\" for group" + off);
    this.i++;
    this.flags = saved;
    return body;
  }

  parseClass(): Node | null {
    const res = this.cls;
    if (!parseClass(this.cp, this.i, (this.flags & F_ICASE) != 0, this.esc, res)) return this.fail(res.err);
    this.i = res.end;
    return classNode(res.ranges);
  }
}
