import datafileSchema from '@avsb/protocol/datafile.schema.json';
import projectSchema from '@avsb/protocol/project.schema.json';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import type { Found } from './problem';
import { child } from './problem';

/** The protocol's JSON Schemas, compiled once (ajv with `allErrors`: every problem, not the first). */
export interface Schemas {
  readonly datafile: ValidateFunction;
  readonly project: ValidateFunction;
}

/** Compiles the datafile and project-document schemas. */
export function compileSchemas(): Schemas {
  // ajv's ESM typing exposes the class as the default export's default under some resolutions
  const AjvClass = ((Ajv2020 as unknown as { default?: typeof Ajv2020 }).default ?? Ajv2020) as typeof Ajv2020;
  const ajv = new AjvClass({ allErrors: true, strict: false, verbose: true });
  ajv.addSchema(datafileSchema);
  return { datafile: ajv.getSchema(datafileSchema.$id)!, project: ajv.compile(projectSchema) };
}

/** Runs `validate` and turns its errors into problems with JSON paths and plain messages. */
export function structureProblems(validate: ValidateFunction, value: unknown, prefix = ''): Found[] {
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf');
  const dropped = new Set<ErrorObject>();
  // A value that matches none of a oneOf's forms: when something deeper is
  // wrong, the deeper problems say what (a rollout's weight); else one message.
  const combined: Found[] = [];
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
    const at = e.instancePath;
    const here = errors.filter((o) => o.instancePath === at);
    const deeper = errors.some((o) => o.instancePath.startsWith(`${at}/`));
    for (const o of here) dropped.add(o);
    if (!deeper) combined.push({ path: pathOf(prefix, at), message: alternatives(here), source: 'schema' });
  }
  const out: Found[] = [...combined];
  for (const e of errors) {
    if (dropped.has(e)) continue;
    const path = pathOf(prefix, e.instancePath);
    if (e.keyword === 'required') {
      out.push({ path: child(path, (e.params as { missingProperty: string }).missingProperty), message: 'is required', source: 'schema' });
    } else {
      out.push({ path: path === '' ? '(document)' : path, message: describe(e), source: 'schema' });
    }
  }
  return out;
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
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const types = (Array.isArray(p.type) ? p.type : String(p.type).split(',')).filter((t) => t !== 'null');
      return `must be ${orList(types.map((t) => ARTICLE[t] ?? t))}, not ${typeOf(e.data)}`;
    }
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(e.data)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'minimum':
      return `must be ≥ ${String(p.limit)}, not ${JSON.stringify(e.data)}`;
    case 'maximum':
      return `must be ≤ ${String(p.limit)}, not ${JSON.stringify(e.data)}`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    case 'not':
      return `${JSON.stringify(e.data)} is not allowed here`;
    default:
      return e.message ?? `breaks the schema's "${e.keyword}" rule`;
  }
}

/** One message for a value that matches none of its allowed forms. */
function alternatives(here: readonly ErrorObject[]): string {
  const types = [...new Set(here.filter((e) => e.keyword === 'type').map((e) => String((e.params as { type: string }).type)))];
  if (types.length > 0 && here.every((e) => e.keyword === 'type' || e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    return `must be ${orList(types.map((t) => ARTICLE[t] ?? t))}, not ${typeOf(here[0]!.data)}`;
  }
  const members = [...new Set(here.filter((e) => e.keyword === 'required').map((e) => (e.params as { missingProperty: string }).missingProperty))];
  if (members.length > 1) return `must have exactly one of ${members.map((m) => JSON.stringify(m)).join(' or ')}`;
  return 'matches none of the forms the format allows';
}
