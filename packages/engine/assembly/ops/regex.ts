// Regular expressions for the `matches` operator: an RE2-style subset run by a
// Pike VM, so matching is linear in the input for every accepted pattern.
// Syntax, rejected constructs and case folding: docs/regex.md.
import { Parser } from "./regex/parser";
import { compileTree, MAX_PROGRAM } from "./regex/compiler";
import { Regex } from "./regex/program";

export { Regex } from "./regex/program";
export { regexMatch } from "./regex/vm";

let lastError: string = "";

/** Compiles `pattern`. Returns null on error; then `regexError()` returns a one-line message. */
export function compileRegex(pattern: string): Regex | null {
  lastError = "";
  const p = new Parser(pattern);
  const root = p.parse();
  if (root === null) {
    const err = p.err;
    lastError = err !== null ? err : "invalid pattern";
    return null;
  }
  const re = compileTree(root);
  if (re === null) {
    lastError = "pattern too large: the compiled program exceeds the limit of " +
      MAX_PROGRAM.toString() + " instructions (counted repetition is expanded)";
  }
  return re;
}

/** The message of the last failed compileRegex(), "" after a success. */
export function regexError(): string {
  return lastError;
}
