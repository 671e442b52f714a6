/** The longest kind name the engine accepts (SPEC.md §2). */
export const MAX_KIND_NAME_LENGTH = 256;

const KIND_NAME = /^[A-Za-z0-9._-]+$/;

/** A context kind name: 1–256 of `[A-Za-z0-9._-]`, and not `kind` or `multi` (SPEC.md §2). */
export function isKindName(name: string): boolean {
  return name.length <= MAX_KIND_NAME_LENGTH && KIND_NAME.test(name) && name !== 'kind' && name !== 'multi';
}
