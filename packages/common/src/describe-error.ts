/**
 * An error's message, without throwing (a thrown value's `String()` can throw: an object without a prototype). One copy
 * for every package, so that a page that bundles several carries it once.
 */
export function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
