import { isKindName } from './kind-name';

/**
 * Who a flag is evaluated for (the engine's SPEC.md §2). A single-kind
 * context has a `kind` (optional: left out, it is `"user"` for evaluation and
 * events alike), a non-empty `key` and any attributes:
 *
 * ```ts
 * { kind: 'user', key: 'u_1', plan: 'pro' }
 * ```
 *
 * `anonymous` and `_meta.privateAttributes` are read by the event pipeline:
 * private attributes never leave the process.
 */
export interface SingleKindContext {
  kind?: string;
  key: string;
  anonymous?: boolean;
  _meta?: { privateAttributes?: string[] };
  [attribute: string]: unknown;
}

/** A context with several kinds: `{ kind: 'multi', user: { key: 'u_1' }, org: { key: 'acme' } }`. */
export interface MultiKindContext {
  kind: 'multi';
  [kind: string]: Omit<SingleKindContext, 'kind'> | 'multi';
}

/** A single-kind or multi-kind context. */
export type AvsbContext = SingleKindContext | MultiKindContext;

/** Context kind → context key, e.g. `{ user: 'u_1', org: 'acme' }`: no prototype (kinds are data), frozen. */
export type ContextKeys = Readonly<Record<string, string>>;

/**
 * A context that follows the rules of SPEC.md §2, with what every consumer
 * needs worked out once: its kinds, its keys by kind and one canonical key.
 */
export interface ValidatedContext {
  readonly valid: true;
  /** The object as given (not copied: do not change its kinds or keys while it is in use). */
  readonly context: AvsbContext;
  /** The kind names, sorted: `['org', 'user']`. */
  readonly kinds: readonly string[];
  /** Kind → key. */
  readonly keys: ContextKeys;
  /**
   * Equal for two contexts exactly when their kinds and keys are equal:
   * `user:u_1` for a single kind (or a multi-kind context of one kind),
   * `[["org","acme"],["user","u_1"]]` for several.
   */
  readonly canonicalKey: string;
}

/** Why a value is not a context, for people: names the path and the type, never a value (values can be personal data). */
export interface InvalidContext {
  readonly valid: false;
  readonly problem: string;
}

/** What {@link validateContext} answers. */
export type ContextValidation = ValidatedContext | InvalidContext;

/**
 * Checks a context by the rules the engine applies when a context is
 * registered (SPEC.md §2; a test runs the same table through both) and
 * works out its kinds, keys and canonical key. Members JSON leaves out
 * (`undefined`, functions) count as absent, as they do for the engine. The
 * engine alone checks what needs the serialised text: the 1 MiB size limit,
 * nesting deeper than 64 and values that cannot be serialised.
 *
 * The result is remembered for `input`, so {@link validatedContext} on the
 * same object (the event pipeline, later in the same request) reuses it.
 */
export function validateContext(input: unknown): ContextValidation {
  const result = compute(input);
  if (typeof input === 'object' && input !== null) {
    lastInput = input;
    lastResult = result;
  }
  return result;
}

// The reads of one request come one after another with the same context
// object: remembering the last one is enough, and costs far less than a
// WeakMap entry per request's new object (an ephemeron for the GC to trace).
let lastInput: object | null = null;
let lastResult: ContextValidation | null = null;

/**
 * {@link validateContext}, reusing the last result when `input` is the same
 * object as last time: for code that sees one context many times (every
 * event of a request). Do not change a context's kinds or keys while it is in
 * use.
 */
export function validatedContext(input: unknown): ContextValidation {
  if (input === lastInput && lastResult !== null) return lastResult;
  return validateContext(input);
}

function compute(input: unknown): ContextValidation {
  if (!isObject(input)) return invalid(`the context must be an object such as { kind: 'user', key: 'u_1' }, not ${describe(input)}`);
  const kind = absent(input.kind) ? 'user' : input.kind;
  if (typeof kind !== 'string') return invalid(`context.kind: must be a string, not ${describe(kind)}`);
  if (kind !== 'multi') {
    if (kind !== lastKind && !isKindName(kind)) return invalid('context.kind: must be a kind name such as "user" or "org" ([A-Za-z0-9._-])');
    const key = input.key;
    if (!isKey(key)) return invalid(keyProblem('context', key));
    return single(input as AvsbContext, kind, key);
  }
  const pairs: [string, string][] = [];
  for (const name of Object.keys(input)) {
    const member = input[name];
    if (name === 'kind' || absent(member)) continue;
    if (!isKindName(name)) return invalid('a multi-kind context has a member that is not a kind name ([A-Za-z0-9._-])');
    if (!isObject(member)) return invalid(`context.${name}: must be an object with a key, not ${describe(member)}`);
    if (!absent(member.kind)) return invalid(`context.${name}: "kind" is not allowed inside a multi-kind context`);
    if (!isKey(member.key)) return invalid(keyProblem(`context.${name}`, member.key));
    pairs.push([name, member.key]);
  }
  if (pairs.length === 0) return invalid('a multi-kind context needs at least one kind');
  if (pairs.length === 1) return single(input as AvsbContext, pairs[0]![0], pairs[0]![1]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const keys = dataRecord();
  const kinds: string[] = [];
  for (const [name, key] of pairs) {
    keys[name] = key;
    kinds.push(name);
  }
  // a kind name has no ':' and a single-kind canonical key never starts with '['
  return validated(input as AvsbContext, kinds, keys, JSON.stringify(pairs));
}

// A server validates a new object of the same kind for every request: the
// kind's name check (a regular expression) and its frozen one-element `kinds`
// are kept for the last single kind instead of being made again each time
// (≈ 55 of ≈ 130 ns per validation). `kinds` is frozen, so sharing it is safe.
let lastKind: string | undefined;
let lastKinds: readonly string[] = [];

function single(context: AvsbContext, kind: string, key: string): ValidatedContext {
  const keys = dataRecord();
  keys[kind] = key;
  if (kind !== lastKind) {
    lastKinds = Object.freeze([kind]);
    lastKind = kind;
  }
  return { valid: true, context, kinds: lastKinds, keys: Object.freeze(keys), canonicalKey: `${kind}:${key}` };
}

function validated(context: AvsbContext, kinds: readonly string[], keys: Record<string, string>, canonicalKey: string): ValidatedContext {
  return { valid: true, context, kinds: Object.freeze(kinds), keys: Object.freeze(keys), canonicalKey };
}

function invalid(problem: string): InvalidContext {
  return { valid: false, problem };
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

function dataRecord(): Record<string, string> {
  return new KindKeys();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKey(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** What `JSON.stringify` leaves out of an object, and so the engine never sees. */
function absent(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function keyProblem(path: string, key: unknown): string {
  return `${path}.key: must be a non-empty string, not ${describe(key)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? type : `a ${type}`;
}
