import type { ContextKeys } from './context';
import { isKindName } from './kind-name';

/** What {@link contextKeysOf} works out of a valid context. */
export interface ContextIdentity {
  /** Kind → key, in the order of the kinds' names (an object without a prototype). */
  readonly keys: ContextKeys;
  /** As `ValidatedContext.canonicalKey`: equal for two contexts exactly when their kinds and keys are. */
  readonly canonicalKey: string;
}

/**
 * The rules of SPEC.md §2 in their smallest form, for a web page, where a
 * context is checked once per visitor: a context's keys and canonical key
 * (the same as `validateContext`'s, which the tests hold it to, case by case
 * and on generated contexts), or a short reason it is not one (a path, never
 * a value). `validateContext` adds what a server wants: messages naming the
 * type found, the kinds, frozen results and caches for a new context per
 * request. Reading `input` may throw what its getters throw.
 */
export function contextKeysOf(input: unknown): ContextIdentity | string {
  if (!isObject(input)) return 'the context is not an object';
  const kind = absent(input.kind) ? 'user' : input.kind;
  const multi = kind === 'multi';
  const pairs: [string, string][] = [];
  for (const [name, member] of multi ? Object.entries(input) : [[kind, input] as const]) {
    if (multi && (name === 'kind' || absent(member))) continue;
    if (typeof name !== 'string' || !isKindName(name)) return 'a kind is not a kind name';
    // a multi-kind context's member has a key and no kind of its own
    if (!isObject(member) || (multi && !absent(member.kind)) || typeof member.key !== 'string' || member.key === '') {
      return `context${multi ? `.${name}` : ''}: needs a non-empty string key${multi ? ' and no kind' : ''}`;
    }
    pairs.push([name, member.key]);
  }
  if (pairs.length === 0) return 'a multi-kind context without kinds';
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  // kinds are data: no prototype, so a kind named `__proto__` is a member like any other
  const keys = Object.create(null) as Record<string, string>;
  for (const [name, key] of pairs) keys[name] = key;
  // a kind name has no ':' and a single-kind canonical key never starts with '['
  return { keys, canonicalKey: pairs.length === 1 ? `${pairs[0]![0]}:${pairs[0]![1]}` : JSON.stringify(pairs) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `JSON.stringify` leaves out of an object, and so the engine never sees. */
function absent(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
