import type { ContextKeys } from './wire';

/** A context's identity: its keys by kind, and one string naming them all. */
export interface ContextIdentity {
  /** Kind → key (`{ user: "u_1" }`), frozen and shared by every event of this context. */
  readonly keys: ContextKeys;
  /** Equal for two contexts exactly when their kinds and keys are equal. */
  readonly id: string;
}

const KIND = /^[A-Za-z0-9._-]+$/;

// The reads of one request come one after another with the same context
// object: remembering the last one is enough, and costs far less than a
// WeakMap entry per request's new object (an ephemeron for the GC to trace).
let lastContext: object | null = null;
let lastIdentity: ContextIdentity | string = '';

/**
 * The identity of a context (engine SPEC.md §2: single-kind `{ kind?, key }`
 * or `{ kind: "multi", <kind>: { key }, … }`), or a message saying why it is
 * not a context. Worked out again for each new object (the last one is
 * remembered), so do not change a context's kinds or keys while it is in use.
 */
export function contextIdentity(context: unknown): ContextIdentity | string {
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    return 'context: must be an object with a key';
  }
  if (context === lastContext) return lastIdentity;
  const identity = compute(context as Record<string, unknown>);
  lastContext = context;
  lastIdentity = identity;
  return identity;
}

function compute(context: Record<string, unknown>): ContextIdentity | string {
  const kind = context.kind === undefined ? 'user' : context.kind;
  if (typeof kind !== 'string') return 'context.kind: must be a string';
  if (kind !== 'multi') {
    if (!isKindName(kind)) return `context.kind: ${JSON.stringify(kind)} is not a valid kind name`;
    const key = context.key;
    if (typeof key !== 'string' || key === '') return 'context.key: must be a non-empty string';
    return single(kind, key);
  }
  const pairs: [string, string][] = [];
  for (const name of Object.keys(context)) {
    if (name === 'kind') continue;
    if (!isKindName(name)) return `context.${name}: is not a valid kind name`;
    const part = context[name];
    if (typeof part !== 'object' || part === null || Array.isArray(part)) return `context.${name}: must be an object`;
    const key = (part as Record<string, unknown>).key;
    if (typeof key !== 'string' || key === '') return `context.${name}.key: must be a non-empty string`;
    pairs.push([name, key]);
  }
  if (pairs.length === 0) return 'context: a multi-kind context needs at least one kind';
  if (pairs.length === 1) return single(pairs[0]![0], pairs[0]![1]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const keys = dataRecord();
  for (const [name, key] of pairs) keys[name] = key;
  // a kind name has no ':' and a single-kind id never starts with '['
  return { keys: Object.freeze(keys), id: JSON.stringify(pairs) };
}

function single(kind: string, key: string): ContextIdentity {
  const keys = dataRecord();
  keys[kind] = key;
  return { keys: Object.freeze(keys), id: `${kind}:${key}` };
}

/** Kind → key, without a prototype: kinds are data, and `keys.constructor` must be a kind or nothing. */
function dataRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** A kind name: `[A-Za-z0-9._-]+`, not `kind` or `multi`. */
export function isKindName(name: string): boolean {
  return KIND.test(name) && name !== 'kind' && name !== 'multi';
}
