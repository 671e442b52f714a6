// Regular expressions for the `matches` operator: an RE2-style subset run by a
// Pike VM, so matching is linear in the input for every accepted pattern.
// Syntax, rejected constructs and case folding: docs/regex.md.
import { Parser } from "./regex/parser";
import { Regex } from "./regex/program";
import { decimal } from "../util/decimal";

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
export const MAX_PATTERN_BYTES: i32 = 32768;

let lastError: string = "";

/** The error for a pattern of `bytes` UTF-8 bytes over the limit, "" when within it. */
export function patternSizeError(bytes: i32): string {
  if (bytes <= MAX_PATTERN_BYTES) return "";
  return "pattern too large: " + decimal(bytes) + " bytes of UTF-8 exceed the limit of " +
    decimal(MAX_PATTERN_BYTES);
}

/** Compiles `pattern`. Returns null on error; then `regexError()` returns a one-line message. */
export function compileRegex(pattern: string): Regex | null {
  lastError = patternSizeError(<i32>String.UTF8.byteLength(pattern));
  if (lastError.length > 0) return null;
  const p = new Parser(pattern);
  const re = p.parse();
  if (re === null) lastError = p.err!;
  return re;
}

/** The message of the last failed compileRegex(), "" after a success. */
export function regexError(): string {
  return lastError;
}
