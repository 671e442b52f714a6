/**
 * The `format` member of a compiled datafile document
 * (docs/compiled-datafile.md): what `compileDatafile` of
 * `@avsb/engine/compiler` writes and an evaluator's `load` reads.
 */
export const COMPILED_FORMAT = 'avsb.compiled-datafile';
/** The document's version, which is also the compiled bytes' format version (their byte 5). */
export const COMPILED_VERSION = 1;
/** The media type a server answers it with (and an SDK asks for in `Accept`). */
export const COMPILED_MEDIA_TYPE = 'application/vnd.avsb.compiled-datafile; v=1';

/** The engine's input limit, 64 MiB: one code unit of `compiled` per byte. */
const MAX_BYTES = 64 << 20;

/** What the host keeps of one flag (the shape `FlagTable` reads from a JSON datafile's flags). */
export interface CompiledFlag {
  readonly key: string;
  /** The flag's variation values, served as they are. */
  readonly variations: readonly unknown[];
  /** One object per rule, with its `id` where the datafile gave one (for `RULE_MATCH` reasons). */
  readonly rules: readonly { readonly id?: string }[];
  /** One object per prerequisite, with its flag `key` (for `PREREQUISITE_FAILED` reasons). */
  readonly prerequisites: readonly { readonly key: string }[];
  /** Present (`true`) when the flag is delivered to client-side keys. */
  readonly clientSide?: true;
  /**
   * Changes whenever the flag's definition or a segment it uses (directly or
   * through another segment) changes, so that comparing two documents' flags
   * tells which definitions changed, as comparing two datafiles' flags does.
   */
  readonly hash: string;
}

/**
 * A compiled datafile as it travels: JSON, so that it goes through the paths
 * a datafile takes (a `fetch` body, a `localStorage` entry, a stream event).
 * `compiled` is the binary an evaluator loads (ABI.md, `avsb_load_compiled`)
 * as a byte string (one code unit per byte, byte-string.ts); `flags` is what the host answers with (keys,
 * variation values, rule ids, prerequisite keys), which the binary does not carry.
 */
export interface CompiledDatafile {
  readonly format: typeof COMPILED_FORMAT;
  readonly version: typeof COMPILED_VERSION;
  readonly revision?: number;
  readonly flags: readonly CompiledFlag[];
  readonly compiled: string;
}

/** Whether `value` says it is a compiled datafile document (of any version): a cheap test by its `format`. */
export function isCompiledDatafile(value: unknown): value is CompiledDatafile {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === COMPILED_FORMAT;
}

/** The error for a `compiled` member that is no byte string (byte-string.ts) of up to 64 MiB. */
export const NOT_A_BYTE_STRING = 'datafile: compiled: must be a byte string of up to 64 MiB';

/**
 * What is wrong with a compiled datafile document, or `null` (a JSON
 * datafile, which has a `schemaVersion`, is told apart). Checks what
 * the host relies on (the version, unique string keys, the byte string's
 * length); the byte string's code units are checked as they are decoded into
 * the evaluator's input (compiled-load.ts, one pass), and the bytes by the
 * evaluator's reader.
 */
export function compiledError(doc: unknown): string | null {
  if (!isCompiledDatafile(doc)) {
    return (doc as { schemaVersion?: unknown } | null)?.schemaVersion !== undefined
      ? 'datafile: a JSON datafile: load it with avsb-engine.wasm and load()'
      : `datafile: format: must be "${COMPILED_FORMAT}"`;
  }
  // the bytes' own version is checked by the reader ("compiled for another format version than 1")
  if (doc.version !== COMPILED_VERSION) return `datafile: version: must be ${COMPILED_VERSION}`;
  const { flags, compiled, revision } = doc;
  if (revision !== undefined && typeof revision !== 'number') return 'datafile: revision: must be a number';
  if (typeof compiled !== 'string' || compiled.length > MAX_BYTES) return NOT_A_BYTE_STRING;
  if (!Array.isArray(flags)) return 'datafile: flags: must be an array';
  const keys = new Set<string>();
  for (let i = 0; i < flags.length; i++) {
    const key = (flags[i] as { key?: unknown } | null)?.key;
    if (typeof key !== 'string' || keys.has(key)) return `datafile: flags[${i}].key: must be a unique string`;
    keys.add(key);
  }
  return null;
}
