import { AvsbEngine } from '@avsb/engine';
import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import { MAX_DATAFILE_BYTES, MAX_JSON_DEPTH, nestsDeeperThan } from '@avsb/protocol';
import { meaningProblems } from './meaning';
import type { Found, Problem } from './problem';
import { DOCUMENT, finish } from './problem';
import { clientPrerequisiteProblems, itemKeyProblems, projectProblems } from './rules';
import type { Schemas } from './structure';
import { schemaValidators, structureProblems } from './structure';

/** What a validation found: `ok` when `problems` is empty. */
export interface ValidationResult {
  readonly ok: boolean;
  /** Every problem, one per JSON path, in document order. */
  readonly problems: readonly Problem[];
}

/** Options of {@link Validator.validateDatafile}. */
export interface DatafileOptions {
  /**
   * Also hold flag and segment keys to the service's key rule (`KEY_PATTERN`
   * of `@avsb/protocol`), as project documents always are. Off by default:
   * the datafile format itself allows any key of 1–256 bytes.
   */
  readonly keyRule?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The one validator of datafiles (SPEC.md) and project documents
 * (ADMIN-API.md) for authoring tools: the server's API, `avsb validate` and
 * `avsb import`, `@avsb/testing`. One pass finds every problem: structure
 * from the protocol's JSON Schema, meaning from the rules engine's load
 * (each problem it would work around is one an author must fix), and the
 * rules across flags that a service enforces.
 */
export class Validator {
  private readonly _schemas: Schemas = schemaValidators();

  private constructor(private readonly _engine: AvsbEngine) {}

  /** A validator with its own engine instance (compiled asynchronously). */
  static async create(): Promise<Validator> {
    return new Validator(await AvsbEngine.create(engineWasmBytes()));
  }

  /** {@link Validator.create}, compiling the engine synchronously. */
  static createSync(): Validator {
    return new Validator(AvsbEngine.createSync(engineWasmBytes()));
  }

  /** Validates a datafile given as JSON text, UTF-8 bytes or a parsed value. */
  validateDatafile(input: string | Uint8Array | object, options: DatafileOptions = {}): ValidationResult {
    const parsed = parse(input);
    if (!parsed.ok) return result([parsed.problem]);
    const doc = parsed.value;
    const found = structureProblems(this._schemas.datafile, doc);
    if (isObject(doc)) {
      found.push(...meaningProblems(this._engine, doc, ''), ...clientPrerequisiteProblems(doc.flags, ''));
      if (options.keyRule === true) found.push(...itemKeyProblems(doc, ''));
    }
    return result(found);
  }

  /** Validates a project document (`avsb export`'s output) given as JSON text, UTF-8 bytes or a parsed value. */
  validateProjectDocument(input: string | Uint8Array | object): ValidationResult {
    const parsed = parse(input);
    if (!parsed.ok) return result([parsed.problem]);
    const doc = parsed.value;
    const found = structureProblems(this._schemas.project, doc);
    if (!isObject(doc)) return result(found);
    found.push(...projectProblems(doc));
    const environments = Array.isArray(doc.environments) ? doc.environments : [];
    environments.forEach((env: unknown, i) => {
      if (!isObject(env)) return;
      const prefix = `environments[${i}].`;
      const items: Json = { flags: Array.isArray(env.flags) ? env.flags : [], segments: Array.isArray(env.segments) ? env.segments : [] };
      found.push(
        ...meaningProblems(this._engine, { schemaVersion: 1, ...items }, prefix),
        ...clientPrerequisiteProblems(items.flags, prefix),
        ...itemKeyProblems(items, prefix),
      );
    });
    return result(found);
  }
}

function result(found: readonly Found[]): ValidationResult {
  const problems = finish(found);
  return { ok: problems.length === 0, problems };
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem: Found };

function parse(input: string | Uint8Array | object): Parsed {
  const fail = (message: string): Parsed => ({ ok: false, problem: { path: DOCUMENT, message, source: 'rules' } });
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input).length : input.length;
    if (bytes > MAX_DATAFILE_BYTES) return fail(`is ${bytes} bytes; the limit is ${MAX_DATAFILE_BYTES}`);
    try {
      value = JSON.parse(typeof input === 'string' ? input : new TextDecoder().decode(input));
    } catch (error) {
      return fail(`is not JSON: ${(error as Error).message}`);
    }
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) return fail(`nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`);
  return { ok: true, value };
}

let shared: Validator | null = null;

/** The validator shared by the process's {@link validateDatafile} and {@link validateProjectDocument} calls. */
export function sharedValidator(): Validator {
  shared ??= Validator.createSync();
  return shared;
}

/** Validates a datafile with the shared validator; see {@link Validator.validateDatafile}. */
export function validateDatafile(input: string | Uint8Array | object, options?: DatafileOptions): ValidationResult {
  return sharedValidator().validateDatafile(input, options);
}

/** Validates a project document with the shared validator; see {@link Validator.validateProjectDocument}. */
export function validateProjectDocument(input: string | Uint8Array | object): ValidationResult {
  return sharedValidator().validateProjectDocument(input);
}
