// Regular expressions for the `matches` operator: an RE2-style subset run by a
// Pike VM, so matching is linear in the input for every accepted pattern.
// Syntax, rejected constructs and case folding: docs/regex.md.
import { Parser } from "./regex/parser";
import { Regex } from "./regex/program";
import { errInt, errText } from "../util/error";
import { utf8 } from "../util/text";

export { Regex } from "./regex/program";
export {
  regexMatch, regexBudgetStart, regexBudgetSpent, regexBudgetExhaustions, regexStepsUsed,
  countRegexExhaustion, REGEX_STEP_BUDGET,
} from "./regex/vm";

/**
 * Longest pattern, in UTF-8 bytes. Checked before anything is parsed or
 * allocated: the parser's tree costs tens of bytes per code point, so a
 * 10 MiB pattern used to grow memory past 1 GiB before the program-size
 * check refused it. 32 KiB is far above any accepted program (5,000
 * instructions) written out, plus long character classes.
 */
export const MAX_PATTERN_BYTES: i32 = 32768; // spelled out in writeRegexError()

// The last failed compileRegex(): the oversized pattern's length, or the
// parser that refused it (its message is written only when asked for).
let lastSize: i32 = 0;
let lastParser: Parser | null = null;

/**
 * Compiles the pattern whose UTF-8 is the `bytes` at `ptr` (a datafile's
 * string in its tree: nothing is decoded to UTF-16). Returns null on error;
 * then `writeRegexError()` appends a one-line message.
 */
export function compileRegex(ptr: usize, bytes: i32): Regex | null {
  lastSize = bytes;
  if (lastSize > MAX_PATTERN_BYTES) return null;
  const p = new Parser(ptr, bytes);
  const re = p.parse();
  lastParser = re === null ? p : null;
  return re;
}

/** Appends the message of the last failed compileRegex() to the error buffer (util/error.ts). */
export function writeRegexError(): void {
  if (lastSize > MAX_PATTERN_BYTES) {
    errText(utf8("pattern too large: "));
    errInt(lastSize);
    errText(utf8(" bytes of UTF-8 exceed the limit of 32768"));
  } else if (lastParser !== null) {
    lastParser!.writeError();
  }
}
