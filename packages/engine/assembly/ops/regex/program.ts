// The compiled program: a Thompson NFA, three words per instruction (op, x,
// y), plus the VM's scratch space, all sized once at compile time.
import { A_BEGIN_TEXT } from "./ranges";

export const OP_MATCH: i32 = 0;
export const OP_CHAR: i32 = 1; // x = code point
export const OP_CHARI: i32 = 2; // x = lower-case ASCII letter, matches either case
export const OP_CLASS: i32 = 3; // x = first index into ranges, y = number of [lo, hi] pairs
export const OP_ANY: i32 = 4; // any code point
export const OP_ANYNL: i32 = 5; // any code point but \n
export const OP_ASSERT: i32 = 6; // x = A_* kind (see ranges.ts)
export const OP_SPLIT: i32 = 7; // x, y = targets; a jump when they are equal

export class Regex {
  /** Number of instructions; every jump target is < n. */
  n: i32;
  /** op, x, y of instruction pc at 3 * pc. */
  code: StaticArray<i32>;
  ranges: StaticArray<i32>;
  /** The pattern starts with \A (or ^ without (?m)): no restart after offset 0. */
  anchored: bool;
  /**
   * Bit b set (b < 128): a match can start with the ASCII byte b. The VM skips
   * ASCII bytes outside the set while no thread is alive (prefilter.ts).
   * `canSkip` is false when the start needs no byte (an assertion, an empty
   * match) or admits almost any byte.
   */
  firstBytes: StaticArray<u32> = new StaticArray<u32>(4);
  canSkip: bool = false;
  /** No match starts with a non-ASCII code point: skipping passes non-ASCII bytes too. */
  asciiStart: bool = false;

  // VM scratch (see vm.ts). Stamps hold the step number that last touched a pc.
  mark: StaticArray<i32>; // pc already in this step's closure
  queued: StaticArray<i32>; // pc already queued for the next step
  seedsA: StaticArray<i32>;
  seedsB: StaticArray<i32>;
  stack: StaticArray<i32>;
  gen: i32 = 0;

  /** `prog` holds op, x, y per instruction; `ranges` the classes' [lo, hi] pairs. */
  constructor(prog: Array<i32>, ranges: Array<i32>) {
    const n = prog.length / 3;
    this.n = n;
    this.code = StaticArray.fromArray<i32>(prog);
    this.anchored = prog[0] == OP_ASSERT && prog[1] == A_BEGIN_TEXT;
    this.ranges = StaticArray.fromArray<i32>(ranges);
    this.mark = new StaticArray<i32>(n);
    this.queued = new StaticArray<i32>(n);
    this.seedsA = new StaticArray<i32>(n);
    this.seedsB = new StaticArray<i32>(n);
    this.stack = new StaticArray<i32>(n);
  }
}
