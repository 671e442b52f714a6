import type { SchemaError, SchemaValidator } from './generated/schemas';
import { datafile, project } from './generated/schemas';
import type { Found } from './problem';
import { child } from './problem';

/** The protocol's JSON Schemas as validators compiled at build time (ajv standalone, `allErrors`: every problem). */
export interface Schemas {
  readonly datafile: SchemaValidator;
  readonly project: SchemaValidator;
}

/** The datafile and project-document validators. */
export function schemaValidators(): Schemas {
  return { datafile, project };
}

/** Runs `validate` and turns its errors into problems with JSON paths and plain messages. */
export function structureProblems(validate: SchemaValidator, value: unknown, prefix = ''): Found[] {
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf');
  const dropped = new Set<SchemaError>();
  // A value that matches none of a oneOf's forms: when something deeper is
  // wrong, the deeper problems say what (a rollout's weight); else one message.
  const combined: Found[] = [];
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
    const at = e.instancePath;
    const here = errors.filter((o) => o.instancePath === at);
    const deeper = errors.some((o) => o.instancePath.startsWith(`${at}/`));
    for (const o of here) dropped.add(o);
    if (!deeper) combined.push({ path: pathOf(prefix, at), message: alternatives(here, valueAt(value, at)), source: 'schema' });
  }
  const out: Found[] = [...combined];
  for (const e of errors) {
    if (dropped.has(e)) continue;
    const path = pathOf(prefix, e.instancePath);
    if (e.keyword === 'required') {
      out.push({ path: child(path, (e.params as { missingProperty: string }).missingProperty), message: 'is required', source: 'schema' });
    } else {
      out.push({ path: path === '' ? '(document)' : path, message: describe(e, valueAt(value, e.instancePath)), source: 'schema' });
    }
  }
  return out;
}

/** The value at a JSON Pointer (`/flags/0/on`) of `root`. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const member = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[member] : undefined;
  }
  return value;
}

/** `/flags/0/rules/1` → `flags[0].rules[1]` (with `prefix` in front). */
function pathOf(prefix: string, pointer: string): string {
  let path = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const member = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(member) ? child(path, Number(member)) : child(path, member);
  }
  return path;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return ARTICLE[typeof value] ?? typeof value;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The schema's complaint in the engine's style (`must be a boolean, not a string`). */
function describe(e: SchemaError, data: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const types = (Array.isArray(p.type) ? p.type : String(p.type).split(',')).filter((t) => t !== 'null');
      return `must be ${orList(types.map((t) => ARTICLE[t] ?? t))}, not ${typeOf(data)}`;
    }
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(data)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'minimum':
      return `must be ≥ ${String(p.limit)}, not ${JSON.stringify(data)}`;
    case 'maximum':
      return `must be ≤ ${String(p.limit)}, not ${JSON.stringify(data)}`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    case 'not':
      return `${JSON.stringify(data)} is not allowed here`;
    default:
      return e.message ?? `breaks the schema's "${e.keyword}" rule`;
  }
}

/** One message for a value that matches none of its allowed forms. */
function alternatives(here: readonly SchemaError[], data: unknown): string {
  const types = [...new Set(here.filter((e) => e.keyword === 'type').map((e) => String((e.params as { type: string }).type)))];
  if (types.length > 0 && here.every((e) => e.keyword === 'type' || e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    return `must be ${orList(types.map((t) => ARTICLE[t] ?? t))}, not ${typeOf(data)}`;
  }
  const members = [...new Set(here.filter((e) => e.keyword === 'required').map((e) => (e.params as { missingProperty: string }).missingProperty))];
  if (members.length > 1) return `must have exactly one of ${members.map((m) => JSON.stringify(m)).join(' or ')}`;
  return 'matches none of the forms the format allows';
}
