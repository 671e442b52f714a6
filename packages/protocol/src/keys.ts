/**
 * The rule for the keys of projects, environments, flags and segments that
 * a service stores, as an HTML `pattern` (valid in the `v` mode browsers
 * use, hence the escaped `-`): a letter or digit, then letters, digits, `.`,
 * `_` or `-`; at most 64. Keys sit in URL paths, so `.` and `..` (which URLs
 * resolve away) and characters that need escaping are out. Datafiles as
 * such allow any key of 1–256 bytes (SPEC.md); authoring tools use this rule.
 */
export const KEY_INPUT_PATTERN = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}';

/**
 * {@link KEY_INPUT_PATTERN} as a regular expression over a whole key. A literal (protocol.test.ts checks that it is
 * the input pattern's), not `new RegExp(…)`: a bundle that inlines another constant of this package (@avsb/core's
 * build does) can then drop it, where a constructor call is kept as if it had effects.
 */
export const KEY_PATTERN = /^(?:[A-Za-z0-9][A-Za-z0-9._\-]{0,63})$/;

/** The rule in words, for error messages and hints. */
export const KEY_RULE = 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';

/** Whether `key` follows the key rule ({@link KEY_PATTERN}). */
export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key);
}
