// Syntax tree -> Thompson NFA program. Counted repetition is expanded, so the
// size is computed (saturating) and checked before anything is emitted.
import {
  Node, N_EMPTY, N_LIT, N_CLASS, N_ANY, N_ANYNL, N_ASSERT, N_CONCAT, N_ALT,
  N_REPEAT, A_BEGIN_TEXT,
} from "./ast";
import {
  Regex, OP_MATCH, OP_CHAR, OP_CHARI, OP_CLASS, OP_ANY, OP_ANYNL, OP_ASSERT,
  OP_JMP, OP_SPLIT,
} from "./program";
import { computeFirstBytes } from "./prefilter";

export const MAX_PROGRAM: i32 = 5000;
const CAP: i64 = <i64>MAX_PROGRAM + 1;

/** Instruction count of `n` (capped at MAX_PROGRAM + 1); stored in n.size. */
function sizeOf(n: Node): i32 {
  let s: i64 = 0;
  const k = n.kind;
  if (k == N_EMPTY) {
    s = 0;
  } else if (k == N_CONCAT || k == N_ALT) {
    const kids = n.kids!;
    for (let i = 0; i < kids.length; i++) s += <i64>sizeOf(kids[i]);
    if (k == N_ALT) s += <i64>(kids.length - 1) * 2;
  } else if (k == N_REPEAT) {
    const x = <i64>sizeOf(n.kids![0]);
    const lo = <i64>n.a;
    if (x == 0) s = 0; // repeating the empty string is the empty string
    else if (n.b < 0) s = lo == 0 ? x + 2 : lo * x + 1;
    else s = lo * x + (<i64>n.b - lo) * (x + 1);
  } else {
    s = 1;
  }
  n.size = <i32>min<i64>(s, CAP);
  return n.size;
}

class Emitter {
  prog: Array<i32> = new Array<i32>();
  ranges: Array<i32> = new Array<i32>();

  // @ts-ignore: decorator
  @inline get pc(): i32 { return this.prog.length / 3; }

  add(op: i32, x: i32, y: i32): i32 {
    const pc = this.pc;
    this.prog.push(op);
    this.prog.push(x);
    this.prog.push(y);
    return pc;
  }

  setX(pc: i32, v: i32): void { this.prog[pc * 3 + 1] = v; }
  setY(pc: i32, v: i32): void { this.prog[pc * 3 + 2] = v; }

  emit(n: Node): void {
    if (n.size == 0) return;
    const k = n.kind;
    if (k == N_LIT) {
      this.add(n.b != 0 ? OP_CHARI : OP_CHAR, n.a, 0);
    } else if (k == N_CLASS) {
      if (n.a < 0) { // first emission: copy the ranges; later copies share them
        n.a = this.ranges.length;
        const r = n.ranges!;
        for (let i = 0; i < r.length; i++) this.ranges.push(r[i]);
      }
      this.add(OP_CLASS, n.a, n.ranges!.length >> 1);
    } else if (k == N_ANY) {
      this.add(OP_ANY, 0, 0);
    } else if (k == N_ANYNL) {
      this.add(OP_ANYNL, 0, 0);
    } else if (k == N_ASSERT) {
      this.add(OP_ASSERT, n.a, 0);
    } else if (k == N_CONCAT) {
      const kids = n.kids!;
      for (let i = 0; i < kids.length; i++) this.emit(kids[i]);
    } else if (k == N_ALT) {
      // split L1, L2; L1: kid0; jmp end; L2: split ...; last kid; end:
      const kids = n.kids!;
      const jumps = new Array<i32>();
      for (let i = 0; i < kids.length - 1; i++) {
        const split = this.add(OP_SPLIT, 0, 0);
        this.setX(split, this.pc);
        this.emit(kids[i]);
        jumps.push(this.add(OP_JMP, 0, 0));
        this.setY(split, this.pc);
      }
      this.emit(kids[kids.length - 1]);
      for (let i = 0; i < jumps.length; i++) this.setX(jumps[i], this.pc);
    } else if (k == N_REPEAT) {
      this.emitRepeat(n.kids![0], n.a, n.b);
    }
  }

  emitRepeat(x: Node, lo: i32, hi: i32): void {
    if (hi < 0) {
      if (lo == 0) { // L: split L+1, end; x; jmp L; end:
        const split = this.add(OP_SPLIT, 0, 0);
        this.setX(split, this.pc);
        this.emit(x);
        this.add(OP_JMP, split, 0);
        this.setY(split, this.pc);
      } else { // x{lo-1} L: x; split L, end
        for (let i = 0; i < lo - 1; i++) this.emit(x);
        const top = this.pc;
        this.emit(x);
        this.add(OP_SPLIT, top, this.pc + 1);
      }
      return;
    }
    for (let i = 0; i < lo; i++) this.emit(x);
    // (x(x(x)?)?)? : every split exits to the common end.
    const holes = new Array<i32>();
    for (let i = lo; i < hi; i++) {
      const split = this.add(OP_SPLIT, 0, 0);
      this.setX(split, this.pc);
      holes.push(split);
      this.emit(x);
    }
    for (let i = 0; i < holes.length; i++) this.setY(holes[i], this.pc);
  }
}

function isAnchored(n: Node): bool {
  if (n.kind == N_CONCAT) n = n.kids![0];
  return n.kind == N_ASSERT && n.a == A_BEGIN_TEXT;
}

/** Compiles the tree; null when the program would exceed MAX_PROGRAM instructions. */
export function compileTree(root: Node): Regex | null {
  if (sizeOf(root) + 1 > MAX_PROGRAM) return null;
  const e = new Emitter();
  e.emit(root);
  e.add(OP_MATCH, 0, 0);
  const re = new Regex(e.prog, e.ranges, isAnchored(root));
  computeFirstBytes(re);
  return re;
}
