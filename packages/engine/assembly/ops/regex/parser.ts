// Recursive-descent parser for the RE2-style subset (see docs/regex.md) that
// emits the Pike VM's program as it goes: there is no syntax tree. A
// quantifier cuts the instructions its operand emitted and pastes them back
// as many times as the repetition needs, relocating jump targets; `|` does the
// same to put a split in front of the alternative before it. Cold path:
// allocates freely. Errors set `err`; the first one wins. A message is kept
// as its parts (static UTF-8 texts, a piece of the pattern, an offset) and
// written out by writeError() only when someone reads it.
import {
  Regex, OP_MATCH, OP_CHAR, OP_CHARI, OP_CLASS, OP_ANY, OP_ANYNL, OP_ASSERT, OP_SPLIT,
} from "./program";
import {
  normalizeRanges, foldRanges, addPerlClass, A_BEGIN_TEXT, A_END_TEXT, A_BEGIN_LINE, A_END_LINE,
} from "./ranges";
import { parseEscape, hexValue, ESC_CLASS, ESC_ASSERT } from "./escape";
import { parseClass } from "./charclass";
import { computeFirstBytes } from "./prefilter";
import { decode, decodedWidth } from "./vm";
import { Text, utf8 } from "../../util/text";
import { errByte, errCodePoint, errInt, errText } from "../../util/error";

// The messages spell these limits out (static texts); src/regex.test.ts pins them.
export const MAX_REPEAT: i32 = 1000;
export const MAX_DEPTH: i32 = 250;
/** Instructions in a program, the final MATCH included (counted repetition is expanded). */
export const MAX_PROGRAM: i32 = 5000;

const F_ICASE: i32 = 1; // (?i)
const F_MULTILINE: i32 = 2; // (?m)
const F_DOTNL: i32 = 4; // (?s)

// What parseAtom() emitted, for the quantifier that may follow.
const ATOM_NONE: i32 = 0; // (?flags): nothing to repeat
const ATOM_ASSERT: i32 = 1; // ^ $ \b ...: repeating one is refused, as in RE2
const ATOM_OTHER: i32 = 2;

// @ts-ignore: decorator
@inline function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }
// @ts-ignore: decorator
@inline function isWordChar(c: i32): bool {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c == 0x5f;
}

export class Parser {
  cp: Array<i32> = new Array<i32>();
  i: i32 = 0;
  flags: i32 = 0;
  /** The first error's opening text, 0 while there is none; the fields after it complete it. */
  err: Text = 0;
  /** Quote cp[errFrom..errTo) after `err`. */
  errQuote: bool = false;
  errFrom: i32 = 0;
  errTo: i32 = 0;
  /** " at offset N", -1 for none. */
  errOff: i32 = -1;
  /** Text after the offset (or before it with errTailFirst), 0 for none. */
  errTail: Text = 0;
  errTailFirst: bool = false;
  /** The value of the escape parseEscape() just read. */
  value: i32 = 0;
  /** op, x, y per instruction (program.ts). */
  prog: Array<i32> = new Array<i32>();
  ranges: Array<i32> = new Array<i32>();
  /**
   * The program outgrew MAX_PROGRAM: pastes stop (so memory stays bounded)
   * but parsing goes on, since a syntax error later in the pattern is the
   * better message, and an enclosing `{0}` drops the operand that grew.
   */
  big: bool = false;
  // Quantifier just parsed by parseQuantifier().
  qmin: i32 = 0;
  qmax: i32 = 0;

  /** `len` bytes of UTF-8 at `ptr`, read as the VM reads its input (a bad byte is one U+FFFD). */
  constructor(ptr: usize, len: i32) {
    for (let k: i32 = 0; k < len; k += decodedWidth) this.cp.push(decode(ptr + <usize>k, len - k));
  }

  /** Fails with `msg at offset off` (just `msg` when off is -1). */
  fail(msg: Text, off: i32): bool {
    if (this.err == 0) {
      this.err = msg;
      this.errOff = off;
    }
    return false;
  }

  /**
   * Fails with `what "cp[from..to)" at offset from` + tail (or with the tail
   * before the offset): how every message names a piece of the pattern. -1.
   */
  described(what: Text, from: i32, to: i32, tail: Text = 0, tailFirst: bool = false): i32 {
    if (this.err == 0) {
      this.fail(what, from);
      this.errQuote = true;
      this.errFrom = from;
      this.errTo = min<i32>(to, this.cp.length);
      this.errTail = tail;
      this.errTailFirst = tailFirst;
    }
    return -1;
  }

  /** Appends the error's message to the error buffer (util/error.ts). */
  writeError(): void {
    errText(this.err);
    if (this.errQuote) {
      errText(utf8(" \""));
      for (let k = this.errFrom; k < this.errTo; k++) errCodePoint(<u32>this.cp[k]);
      errByte(0x22);
    }
    const tail = this.errTail;
    if (tail != 0 && this.errTailFirst) errText(tail);
    if (this.errOff >= 0) {
      errText(utf8(" at offset "));
      errInt(this.errOff);
    }
    if (tail != 0 && !this.errTailFirst) errText(tail);
  }

  /** The code point at j, -1 past the end. */
  at(j: i32): i32 {
    return j < this.cp.length ? unchecked(this.cp[j]) : -1;
  }

  peek(k: i32 = 0): i32 {
    return this.at(this.i + k);
  }

  // @ts-ignore: decorator
  @inline get pc(): i32 { return this.prog.length / 3; }

  add(op: i32, x: i32, y: i32): i32 {
    const pc = this.pc;
    this.prog.push(op);
    this.prog.push(x);
    this.prog.push(y);
    return pc;
  }

  /** Removes the instructions from `from` on and returns them (targets unchanged). */
  cut(from: i32): Array<i32> {
    const body = new Array<i32>();
    for (let k = from * 3; k < this.prog.length; k++) body.push(this.prog[k]);
    this.prog.length = from * 3;
    return body;
  }

  /** Appends `times` copies of `body`, cut at `from`, relocating its split targets. */
  paste(body: Array<i32>, from: i32, times: i32): void {
    const n = body.length;
    if (this.prog.length + n * times >= MAX_PROGRAM * 3) this.big = true;
    if (this.big) return;
    for (let t = 0; t < times; t++) {
      const d = this.pc - from;
      for (let k = 0; k < n; k += 3) {
        const op = body[k];
        const moved = op == OP_SPLIT ? d : 0;
        this.add(op, body[k + 1] + moved, body[k + 2] + moved);
      }
    }
  }

  /** The compiled pattern, or null with `err` set. */
  parse(): Regex | null {
    this.parseAlt(0);
    if (this.i < this.cp.length) this.fail(utf8("unmatched \")\""), this.i);
    if (this.big || this.pc >= MAX_PROGRAM) {
      this.fail(utf8("pattern too large: the compiled program exceeds the limit of 5000 instructions (counted repetition is expanded)"), -1);
    }
    if (this.err != 0) return null;
    this.add(OP_MATCH, 0, 0);
    const re = new Regex(this.prog, this.ranges);
    computeFirstBytes(re);
    return re;
  }

  parseAlt(depth: i32): bool {
    // split L1, L2; L1: first; jmp end; L2: split L3, L4; L3: second; jmp end; L4: last; end:
    // A jump is a split with both targets alike; until the end is known, the
    // jumps are a chain, each x holding the jump before it (-1 for none).
    let jump = -1;
    let start = this.pc;
    while (true) {
      if (!this.parseConcat(depth)) return false;
      if (this.peek() != 0x7c) break; // '|'
      this.i++;
      const body = this.cut(start);
      const split = this.add(OP_SPLIT, start + 1, 0);
      this.paste(body, start, 1);
      jump = this.add(OP_SPLIT, jump, 0);
      this.prog[split * 3 + 2] = start = this.pc;
    }
    while (jump >= 0) {
      const at = jump * 3;
      jump = this.prog[at + 1];
      this.prog[at + 1] = this.prog[at + 2] = this.pc;
    }
    return true;
  }

  parseConcat(depth: i32): bool {
    let last = -1; // where the operand of a quantifier starts, -1 when there is none
    let lastBig = false; // whether the program had outgrown the limit before it
    while (this.i < this.cp.length) {
      const c = this.peek();
      if (c == 0x7c || c == 0x29) break; // '|' ')'
      const at = this.i;
      if (this.parseQuantifier()) {
        if (this.err != 0) return false;
        if (last < 0) {
          this.described(utf8("quantifier"), at, this.i, utf8(" has nothing to repeat"));
          return false;
        }
        if (this.peek() == 0x3f) this.i++; // lazy: same answer for a boolean match
        const lo = this.qmin;
        const hi = this.qmax;
        const next = this.i;
        if (this.parseQuantifier() || this.err != 0) {
          if (this.err != 0) return false;
          this.described(this.at(next) == 0x2b ? utf8("unsupported possessive quantifier") : utf8("nested quantifier"), at, this.i);
          return false;
        }
        this.repeat(last, lo, hi, lastBig);
        last = -1;
        continue;
      }
      if (c == 0x5c && this.peek(1) == 0x51) { // \Q...\E: literal text (\Q\E leaves `last` as it was)
        this.i += 2;
        while (this.peek() >= 0 && !(this.peek() == 0x5c && this.peek(1) == 0x45)) {
          last = this.pc;
          lastBig = this.big;
          this.lit(this.peek());
          this.i++;
        }
        if (this.peek() >= 0) this.i += 2;
        continue;
      }
      last = this.pc;
      lastBig = this.big;
      const kind = this.parseAtom(depth);
      if (this.err != 0) return false;
      if (kind == ATOM_NONE || (kind == ATOM_ASSERT && c != 0x28)) last = -1; // (^)* is fine, ^* is not
    }
    return true;
  }

  /** Replaces the instructions from `from` on (the operand) by its repetition lo..hi (hi -1: no bound). */
  repeat(from: i32, lo: i32, hi: i32, wasBig: bool): void {
    const body = this.cut(from);
    if (hi == 0 && !wasBig) this.big = false; // x{0} drops x, however large it grew
    if (body.length == 0) return; // repeating the empty string is the empty string
    if (hi < 0) {
      if (lo == 0) { // L: split L+1, end; x; jmp L; end:
        const split = this.add(OP_SPLIT, from + 1, 0);
        this.paste(body, from, 1);
        this.add(OP_SPLIT, split, split);
        if (!this.big) this.prog[split * 3 + 2] = this.pc;
      } else { // x{lo-1} L: x; split L, end
        this.paste(body, from, lo - 1);
        const top = this.pc;
        this.paste(body, from, 1);
        this.add(OP_SPLIT, top, this.pc + 1);
      }
      return;
    }
    this.paste(body, from, lo);
    // (x(x(x)?)?)? : every split exits to the common end.
    const end = this.pc + (hi - lo) * (body.length / 3 + 1);
    for (let k = lo; k < hi && !this.big; k++) {
      this.add(OP_SPLIT, this.pc + 1, end);
      this.paste(body, from, 1);
    }
  }

  /** Consumes `* + ? {n} {n,} {n,m}` into qmin/qmax; false (nothing consumed) otherwise. */
  parseQuantifier(): bool {
    const c = this.peek();
    if (c == 0x2a) { this.i++; this.qmin = 0; this.qmax = -1; return true; }
    if (c == 0x2b) { this.i++; this.qmin = 1; this.qmax = -1; return true; }
    if (c == 0x3f) { this.i++; this.qmin = 0; this.qmax = 1; return true; }
    if (c != 0x7b) return false;
    // `{` is a literal unless a well-formed repeat follows (as in RE2).
    const at = this.i++;
    const lo = this.digits(10, i32.MAX_VALUE, 100000);
    if (lo < 0) return this.resume(at);
    let hi = lo;
    if (this.peek() == 0x2c) {
      this.i++;
      hi = this.digits(10, i32.MAX_VALUE, 100000);
    }
    if (this.peek() != 0x7d) return this.resume(at);
    this.i++;
    if (lo > MAX_REPEAT || hi > MAX_REPEAT) {
      this.described(utf8("repeat count in"), at, this.i, utf8(" exceeds the limit of 1000"));
    } else if (hi >= 0 && lo > hi) {
      this.described(utf8("invalid repeat"), at, this.i, utf8(": min is greater than max"));
    }
    this.qmin = lo;
    this.qmax = hi;
    return true;
  }

  /** Reads up to `most` digits of `base` at i, the value capped at `cap`: -1 when there are none. */
  digits(base: i32, most: i32, cap: i32): i32 {
    let v: i32 = -1;
    for (let d = hexValue(this.peek()); d >= 0 && d < base && most-- > 0; d = hexValue(this.peek())) {
      v = min<i32>(max<i32>(v, 0) * base + d, cap);
      this.i++;
    }
    return v;
  }

  /** Puts i back at `at` and reports that nothing was consumed. */
  resume(at: i32): bool {
    this.i = at;
    return false;
  }

  lit(c: i32): void {
    if ((this.flags & F_ICASE) != 0 && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) {
      this.add(OP_CHARI, c | 0x20, 0);
    } else {
      this.add(OP_CHAR, c, 0);
    }
  }

  /** Emits a class of normalized [lo, hi] pairs. */
  cls_(r: Array<i32>): void {
    this.add(OP_CLASS, this.ranges.length, r.length >> 1);
    for (let k = 0; k < r.length; k++) this.ranges.push(r[k]);
  }

  parseAtom(depth: i32): i32 {
    const c = this.peek();
    if (c == 0x28) return this.parseGroup(depth); // (
    if (c == 0x5b) { // [
      const r = parseClass(this, (this.flags & F_ICASE) != 0);
      if (r !== null) this.cls_(r);
      return ATOM_OTHER;
    }
    const m = (this.flags & F_MULTILINE) != 0;
    if (c == 0x5c) {
      const kind = parseEscape(this, false);
      const v = this.value;
      if (kind == ESC_ASSERT) {
        this.add(OP_ASSERT, v, 0);
        return ATOM_ASSERT;
      }
      if (kind == ESC_CLASS) {
        const ranges = new Array<i32>();
        addPerlClass(ranges, this.cp, this.i - 1);
        this.cls_((this.flags & F_ICASE) != 0 ? foldRanges(ranges) : normalizeRanges(ranges));
      } else if (kind >= 0) {
        this.lit(v);
      }
      return ATOM_OTHER;
    }
    this.i++;
    if (c == 0x5e || c == 0x24) { // ^ $
      this.add(OP_ASSERT, c == 0x5e ? (m ? A_BEGIN_LINE : A_BEGIN_TEXT) : (m ? A_END_LINE : A_END_TEXT), 0);
      return ATOM_ASSERT;
    }
    if (c == 0x2e) this.add((this.flags & F_DOTNL) != 0 ? OP_ANY : OP_ANYNL, 0, 0); // .
    else this.lit(c);
    return ATOM_OTHER;
  }

  parseGroup(depth: i32): i32 {
    const open = this.i++;
    const saved = this.flags;
    let msg: Text = 0; // a message that ends with the group's offset
    if (depth >= MAX_DEPTH) {
      msg = utf8("nesting depth exceeds the limit of 250");
    } else if (this.peek() == 0x3f) { // (?
      const c = this.peek(1);
      const c2 = this.peek(2);
      let what: Text = 0;
      let len = 3;
      if (c == 0x3d || c == 0x21) what = utf8("unsupported lookahead");
      else if (c == 0x3c && (c2 == 0x3d || c2 == 0x21)) { what = utf8("unsupported lookbehind"); len = 4; }
      else if (c == 0x50 && c2 == 0x3d) { what = utf8("unsupported backreference"); len = 4; }
      else if (c == 0x3e) what = utf8("unsupported atomic group");
      this.i++;
      if (what != 0) {
        this.described(what, open, open + len);
      } else if (c == 0x3a) {
        this.i++; // (?:
      } else if (c == 0x3c || (c == 0x50 && c2 == 0x3c)) { // (?<name> (?P<name>
        this.i += c == 0x3c ? 1 : 2;
        const s = this.i;
        while (isWordChar(this.peek())) this.i++;
        if (this.i == s || this.peek() != 0x3e) msg = utf8("invalid group name");
        this.i++;
      } else {
        // Flags: (?imsU-imsU) or (?imsU-imsU:...). U (ungreedy) sets a bit
        // nothing reads: it cannot change a boolean match.
        let neg = false;
        let any = false;
        let f = this.flags;
        while (true) {
          const d = this.peek();
          const bit = d == 0x69 ? F_ICASE : d == 0x6d ? F_MULTILINE : d == 0x73 ? F_DOTNL : d == 0x55 ? 8 : 0;
          if (bit != 0) {
            f = neg ? f & ~bit : f | bit;
            any = true;
          } else if (d == 0x2d && !neg) {
            neg = true;
            any = false;
          } else if ((d == 0x29 || d == 0x3a) && any) {
            break;
          } else {
            if (d < 0) msg = utf8("missing closing \")\" for group");
            else this.described(utf8("unsupported group or flag syntax"), open, this.i + 1);
            break;
          }
          this.i++;
        }
        this.flags = f;
        if (msg == 0 && this.err == 0 && this.at(this.i++) == 0x29) return ATOM_NONE; // (?i): to the group's end
      }
    }
    if (msg == 0 && this.err == 0 && this.parseAlt(depth + 1)) {
      if (this.peek() == 0x29) {
        this.i++;
        this.flags = saved;
        return ATOM_OTHER;
      }
      msg = utf8("missing closing \")\" for group");
    }
    if (msg != 0) this.fail(msg, open);
    return ATOM_NONE;
  }
}
