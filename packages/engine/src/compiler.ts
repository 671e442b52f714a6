// `@avsb/engine/compiler`: a server's side of compiled datafiles
// (docs/compiled-datafile.md). Node only; not for pages.
import { createRequire } from 'node:module';
import { bytesToString } from './byte-string';
import type { CompiledDatafile, CompiledFlag } from './compiled-document';
import { COMPILED_FORMAT, COMPILED_VERSION } from './compiled-document';
import { definitionHashes } from './definition-hash';
import { AvsbEngine } from './avsb-engine';
import { compiledOf } from './engine';
import type { LoadWarning } from './load-result';
import type { NodeFs } from './wasm-file';
import { shippedModule } from './wasm-file';

export type { CompiledDatafile, CompiledFlag } from './compiled-document';
export { COMPILED_FORMAT, COMPILED_MEDIA_TYPE, COMPILED_VERSION, isCompiledDatafile } from './compiled-document';

/** What `compileDatafile` answers: the document, with the JSON load's warnings; or why the datafile was refused. */
export type CompileResult =
  | { readonly ok: true; readonly document: CompiledDatafile; readonly warnings: readonly LoadWarning[]; readonly warningCount: number }
  | { readonly ok: false; readonly error: string };

type Json = Record<string, unknown>;

const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const member = (item: unknown, name: string): unknown => (typeof item === 'object' && item !== null ? (item as Json)[name] : undefined);

let compiler: AvsbEngine | null = null;

/**
 * Compiles a JSON datafile (text, UTF-8 bytes or parsed) into the document
 * an evaluator (`avsb-evaluator.wasm`) loads: checked by the full engine
 * first, so it refuses what `load` refuses, with the same message, and
 * reports the same warnings. Synchronous; one compiler engine per process
 * (`avsb-compiler.wasm` of `dist/`: the full engine with the writer).
 */
export function compileDatafile(datafile: string | Uint8Array | object): CompileResult {
  const engine = (compiler ??= AvsbEngine.createSync(compilerWasmModule()));
  // the engine reads it first, so that what it refuses is refused with its message (the JSON path)
  const loaded = engine.load(datafile);
  if (!loaded.ok) return loaded;
  // it read a copy (and froze that copy's variations): the caller's object stays as it was
  const parsed: object =
    typeof datafile === 'string' ? JSON.parse(datafile) : datafile instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(datafile)) : datafile;
  const bytes = compiledOf(engine);
  if (bytes === null) {
    compiler = null; // it trapped: a fresh one next time
    return { ok: false, error: 'datafile: the compiler faulted while writing it' };
  }
  const doc = parsed as { revision?: unknown; flags?: unknown };
  const hashes = definitionHashes(doc);
  const flags: CompiledFlag[] = list(doc.flags).map((f, i) => {
    const id = (r: unknown): { id?: string } => {
      const v = member(r, 'id');
      return typeof v === 'string' ? { id: v } : {};
    };
    const key = member(f, 'key') as string; // the engine accepted it: a unique string
    const flag: CompiledFlag = {
      key,
      variations: list(member(f, 'variations')),
      rules: list(member(f, 'rules')).map(id),
      prerequisites: list(member(f, 'prerequisites')).map((p) => {
        const k = member(p, 'key');
        return { key: typeof k === 'string' ? k : '' };
      }),
      hash: hashes[i]!,
    };
    return member(f, 'clientSide') === true ? { ...flag, clientSide: true } : flag;
  });
  const document: CompiledDatafile = {
    format: COMPILED_FORMAT,
    version: COMPILED_VERSION,
    ...(typeof doc.revision === 'number' ? { revision: doc.revision } : {}),
    flags,
    compiled: bytesToString(bytes),
  };
  return { ok: true, document, warnings: loaded.warnings, warningCount: loaded.warningCount };
}

/** The compiler `.wasm` (`dist/avsb-compiler.wasm`), compiled once per process. */
function compilerWasmModule(): WebAssembly.Module {
  return shippedModule('@avsb/engine/compiler', 'avsb-compiler.wasm', () => new URL('./avsb-compiler.wasm', import.meta.url), () => createRequire(import.meta.url)('node:fs') as NodeFs);
}
