import { isObject } from '@avsb/common';
import { setOwn, toJsonObject } from './json-safe';
import type { JsonObject, JsonValue } from './wire';

/** A parsed attribute reference: the path of member names. */
type Path = readonly string[];

/** Attributes that identify a context and are never private. */
const PUBLIC = new Set(['kind', 'key', 'anonymous']);

/** A longer list of references is not read (a sparse array can claim 2^32−1 items): the context fails closed. */
const MAX_REFERENCES = 10_000;

/**
 * The references of `privateAttributes` (the option, or a context's `_meta`), or `'all'` (everything private) when
 * they cannot be read as meant: privacy fails closed. None is an empty list and one string a list of one
 * (`'email'` for `['email']`, as a JavaScript caller may write); anything else that is not a list, a list too long
 * to read, or a member that is no reference (`'/email/'`, a number) keeps every attribute but kind, key and
 * anonymous private. {@link privateAttributesProblem} says what was wrong.
 */
function parseReferences(refs: unknown): Path[] | 'all' {
  const list = typeof refs === 'string' ? [refs] : (refs ?? []);
  if (!Array.isArray(list) || list.length > MAX_REFERENCES) return 'all';
  // a hole of a sparse list maps to one too, which includes() finds as undefined
  const paths = list.map(parseReference);
  return paths.includes(undefined) ? 'all' : (paths as Path[]);
}

/**
 * What is wrong with a `privateAttributes` value that makes every attribute private (see `parseReferences`), or
 * `null`: for the server pipeline's warning (a page keeps the bytes; its events fail closed all the same).
 */
export function privateAttributesProblem(refs: unknown): string | null {
  if (parseReferences(refs) !== 'all') return null;
  if (!Array.isArray(refs)) return `privateAttributes must be a list of attribute names or /a/b references such as ['email'], not ${typeOf(refs)}`;
  if (refs.length > MAX_REFERENCES) return `privateAttributes lists more than ${MAX_REFERENCES} references`;
  const at = refs.findIndex((ref) => parseReference(ref) === undefined);
  return `privateAttributes[${at}] is not an attribute name or /a/b reference (${typeOf(refs[at])}; a path is /name/name, without an empty part)`;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === '') return 'an empty string';
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Parses an attribute reference (engine SPEC.md §3): `"plan"` is the
 * top-level attribute `plan`; `"/address/city"` a path into nested objects,
 * with `~1` for `/` and `~0` for `~`. `undefined` for an invalid reference.
 */
export function parseReference(ref: unknown): Path | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined;
  if (!ref.startsWith('/')) return [ref];
  const parts = ref.slice(1).split('/');
  if (parts.includes('')) return undefined;
  return parts.map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Options of {@link ContextRedactor}. */
export interface RedactionOptions {
  /** References private for every context kind. */
  readonly privateAttributes?: readonly string[];
  /** Every attribute but `kind`, `key` and `anonymous` is private. */
  readonly allAttributesPrivate?: boolean;
}

/**
 * Turns a context into what a `context` event sends: a JSON copy without
 * its private attributes (the configured ones, and each kind's own
 * `_meta.privateAttributes`) and without `_meta`; the references removed
 * are listed in `_meta.redactedAttributes` (names only, never values).
 * The application's object is never modified.
 */
export class ContextRedactor {
  protected readonly _global: readonly Path[];
  protected readonly _all: boolean;

  constructor(options: RedactionOptions = {}) {
    const global = parseReferences(options.privateAttributes);
    this._global = global === 'all' ? [] : global;
    this._all = options.allAttributesPrivate === true || global === 'all';
  }

  /** The context to send, or `undefined` when it cannot be represented as JSON. */
  redact(context: Record<string, unknown>): JsonObject | undefined {
    if (context.kind !== 'multi') return this._redactKind(context, true);
    const out: JsonObject = { kind: 'multi' };
    for (const kind of Object.keys(context)) {
      if (kind === 'kind') continue;
      const part = this._redactKind(context[kind] as Record<string, unknown>, false);
      if (part === undefined) return undefined;
      setOwn(out, kind, part);
    }
    return out;
  }

  /** One kind's part of the context sent (a multi-context's parts leave `kind` out). */
  protected _redactKind(source: Record<string, unknown>, withKind: boolean): JsonObject | undefined {
    const own = ownPrivateAttributes(source);
    const copy: Record<string, unknown> = {};
    for (const name of Object.keys(source)) {
      if (name === '_meta' || (!withKind && name === 'kind')) continue;
      setOwn(copy, name, source[name]);
    }
    const out = toJsonObject(copy);
    if (out === undefined) return undefined;
    const redacted: string[] = [];
    // everything private: each top-level attribute, named as it is
    const all = this._all || own === 'all';
    for (const path of all ? Object.keys(out).map((name) => [name]) : [...this._global, ...own]) {
      if (remove(out, path)) redacted.push(all ? path[0]! : format(path));
    }
    if (redacted.length > 0) out._meta = { redactedAttributes: redacted };
    return out;
  }
}

function ownPrivateAttributes(source: Record<string, unknown>): Path[] | 'all' {
  const meta = source._meta;
  if (typeof meta !== 'object' || meta === null) return [];
  return parseReferences((meta as { privateAttributes?: unknown }).privateAttributes);
}

/** Deletes the member at `path` of a JSON copy; whether it was there. `kind`, `key` and `anonymous` stay. */
function remove(target: JsonObject, path: Path): boolean {
  if (path.length === 1 && PUBLIC.has(path[0]!)) return false;
  let node: JsonValue | undefined = target;
  for (let i = 0; ; i++) {
    if (!isObject(node) || !Object.prototype.hasOwnProperty.call(node, path[i]!)) return false;
    if (i === path.length - 1) return delete node[path[i]!];
    node = node[path[i]!];
  }
}

function format(path: Path): string {
  if (path.length === 1 && !path[0]!.startsWith('/')) return path[0]!;
  return `/${path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
