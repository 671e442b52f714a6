import { validatedContext } from '@avsb/common';
import type { ValidatedContext } from '@avsb/common';

/**
 * The validated context of `@avsb/common` (engine SPEC.md §2) with its keys
 * by kind and canonical key, or a message saying why it is not a context.
 * The last result is reused for the same object (the middleware that checked
 * the context, then every event of the request), so do not change a
 * context's kinds or keys while it is in use.
 */
export function contextIdentity(context: unknown): ValidatedContext | string {
  const result = validatedContext(context);
  return result.valid ? result : result.problem;
}

/**
 * {@link contextIdentity}, taking `given` (a validated context the caller
 * already has, e.g. a scoped client's) when it is the validation of this
 * very object, instead of validating again.
 */
export function identityOf(context: unknown, given: ValidatedContext | undefined): ValidatedContext | string {
  return given !== undefined && given.valid === true && given.context === context ? given : contextIdentity(context);
}
