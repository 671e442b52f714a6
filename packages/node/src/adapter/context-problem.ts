import { validateContext } from '@avsb/core';

/**
 * What is wrong with a context by the rules of the datafile format (SPEC.md
 * §2, checked by `validateContext` of `@avsb/common`, the same rules the
 * engine applies), or `null`. Messages name the path and the type, never a
 * value (values can be personal data). The result is remembered, so the
 * event pipeline reuses it for the same context object.
 */
export function contextProblem(context: unknown): string | null {
  const result = validateContext(context);
  return result.valid ? null : result.problem;
}
