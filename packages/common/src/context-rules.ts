import type { AvsbContext, ContextKeys, ValidatedContext } from './context';
import { isKindName } from './kind-name';

/** What a web page needs of a valid context (a `ValidatedContext` is one). */
export interface ContextIdentity {
  /** Kind → key, in the order of the kinds' names (inherits nothing). */
  readonly keys: ContextKeys;
  /** As `ValidatedContext.canonicalKey`: equal for two contexts exactly when their kinds and keys are. */
  readonly canonicalKey: string;
}

// The short reasons that are not a path. `validateContext` turns every reason into its detailed message.
export const NOT_AN_OBJECT = 'the context is not an object';
export const NOT_A_KIND_NAME = 'a kind is not a kind name';
export const NO_KINDS = 'a multi-kind context without kinds';

/**
 * The rules of SPEC.md §2, written once: a valid context's kinds, keys and
 * canonical key, frozen (what `validateContext` answers), or a short reason
 * it is not one that never holds a value: {@link NOT_AN_OBJECT},
 * {@link NOT_A_KIND_NAME}, {@link NO_KINDS}, or `context: …` (a single
 * kind's key) or `context.<kind>: …` (a member of a multi-kind context).
 * A web page checks its visitor's context with this alone; a server's
 * `validateContext` adds messages naming what was found, and remembers its
 * last result. Reading `input` may throw what its getters throw.
 */
export function contextKeysOf(input: unknown): ValidatedContext | string {
  if (!isObject(input)) return NOT_AN_OBJECT;
  const kind = absent(input.kind) ? 'user' : input.kind;
  if (kind !== 'multi') {
    if (typeof kind !== 'string' || (kind !== lastKind && !isKindName(kind))) return NOT_A_KIND_NAME;
    const key = input.key;
    return isKey(key) ? single(input, kind, key) : 'context: needs a non-empty string key';
  }
  const pairs: [string, string][] = [];
  for (const name of Object.keys(input)) {
    const member = input[name];
    if (name === 'kind' || absent(member)) continue;
    if (!isKindName(name)) return NOT_A_KIND_NAME;
    // a member has a key and no kind of its own
    if (!isObject(member) || !absent(member.kind) || !isKey(member.key)) return `context.${name}: needs a non-empty string key and no kind`;
    pairs.push([name, member.key]);
  }
  if (pairs.length < 2) return pairs.length ? single(input, ...pairs[0]!) : NO_KINDS;
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const keys = new KindKeys();
  for (const [name, key] of pairs) keys[name] = key;
  // a kind name has no ':' and a single-kind canonical key never starts with '['
  return validated(input, Object.freeze(pairs.map(([name]) => name)), keys, JSON.stringify(pairs));
}

// A server validates a new object of the same kind for every request: the
// kind's name check (a regular expression) and its frozen one-element `kinds`
// are kept for the last single kind instead of being made again each time
// (≈ 55 of ≈ 130 ns per validation). `kinds` is frozen, so sharing it is safe.
let lastKind: string | undefined;
let lastKinds: readonly string[] = [];

function single(context: object, kind: string, key: string): ValidatedContext {
  const keys = new KindKeys();
  keys[kind] = key;
  if (kind !== lastKind) {
    lastKinds = Object.freeze([kind]);
    lastKind = kind;
  }
  return validated(context, lastKinds, keys, `${kind}:${key}`);
}

function validated(context: object, kinds: readonly string[], keys: Record<string, string>, canonicalKey: string): ValidatedContext {
  return { valid: true, context: context as AvsbContext, kinds, keys: Object.freeze(keys), canonicalKey };
}

/**
 * Kind → key objects inherit nothing: kinds are data, so `keys.__proto__` and
 * `keys.constructor` are kinds or nothing. Their prototype is an empty frozen
 * object whose own prototype is `null`, rather than `Object.create(null)`:
 * V8 keeps null-prototype objects in slow dictionary mode, and these are made
 * for every new context and serialised into every event (building and
 * serialising one took twice as long, ≈ 0.2 µs more per new context).
 */
const KindKeys = function KindKeys(): void {} as unknown as new () => Record<string, string>;
KindKeys.prototype = Object.freeze(Object.create(null) as object);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKey(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** What `JSON.stringify` leaves out of an object, and so the engine never sees. */
export function absent(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
