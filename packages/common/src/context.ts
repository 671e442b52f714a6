import { NOT_AN_OBJECT, NOT_A_KIND_NAME, NO_KINDS, absent, contextKeysOf, isObject } from './context-rules';

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
 * works out its kinds, keys and canonical key: `contextKeysOf`'s rules and
 * result, with a problem that names the type found in place of its short
 * reason. Members JSON leaves out (`undefined`, functions) count as absent,
 * as they do for the engine. The engine alone checks what needs the
 * serialised text: the 1 MiB size limit, nesting deeper than 64 and values
 * that cannot be serialised.
 *
 * The result is remembered for `input`, so {@link validatedContext} on the
 * same object (the event pipeline, later in the same request) reuses it.
 */
export function validateContext(input: unknown): ContextValidation {
  const identity = contextKeysOf(input);
  const result = typeof identity === 'string' ? invalid(problemOf(input, identity)) : identity;
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

function invalid(problem: string): InvalidContext {
  return { valid: false, problem };
}

/**
 * The message for a context that `contextKeysOf` refused with `reason`: the
 * rule broken at the reason's path, and the type found there.
 */
function problemOf(input: unknown, reason: string): string {
  if (reason === NOT_AN_OBJECT) return `the context must be an object such as { kind: 'user', key: 'u_1' }, not ${describe(input)}`;
  if (reason === NO_KINDS) return 'a multi-kind context needs at least one kind';
  const context = input as Record<string, unknown>;
  if (reason === NOT_A_KIND_NAME) {
    // a kind left out is "user", a kind name: this kind is given
    const kind = context.kind;
    if (kind === 'multi') return 'a multi-kind context has a member that is not a kind name ([A-Za-z0-9._-])';
    if (typeof kind !== 'string') return `context.kind: must be a string, not ${describe(kind)}`;
    return 'context.kind: must be a kind name such as "user" or "org" ([A-Za-z0-9._-])';
  }
  // `context: …` or `context.<kind>: …` (a kind name has no ':')
  const path = reason.slice(0, reason.indexOf(':'));
  if (path === 'context') return keyProblem(path, context.key);
  const member = context[path.slice('context.'.length)];
  if (!isObject(member)) return `${path}: must be an object with a key, not ${describe(member)}`;
  if (!absent(member.kind)) return `${path}: "kind" is not allowed inside a multi-kind context`;
  return keyProblem(path, member.key);
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
