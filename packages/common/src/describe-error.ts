/**
 * An error's message, without throwing (a thrown value's `String()` can throw: an object without a prototype). One copy
 * for every package, so that a page that bundles several carries it once.
 */
export function describeError(error: unknown): string {
  try {
    // a message by shape, not instanceof: an Error from another realm (a vm context, an iframe) or a thrown plain
    // `{ message }` keeps its text
    return String((error as { message?: unknown } | null)?.message ?? error);
  } catch {
    return 'unknown error';
  }
}
