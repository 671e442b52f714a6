import type { AvsbEngine } from './avsb-engine';
import type { PageEngine } from './engine';
import { stringToBytes } from './byte-string';
import type { CompiledDatafile } from './compiled-document';
import { NOT_A_BYTE_STRING, compiledError } from './compiled-document';
import { FlagTable } from './flag-table';
import type { LoadResult } from './load-result';
import { NO_WARNINGS } from './load-result';
import { readUtf8 } from './utf8';

/**
 * Loads a compiled datafile document (`compileDatafile` of
 * `@avsb/engine/compiler`, as text, UTF-8 bytes or parsed) into an engine
 * created from the evaluator, `avsb-evaluator.wasm`. Everything else is
 * `load`'s: the same results, reads, details and limits, the previous
 * datafile kept when one is refused, a trap recovered from the bytes. A
 * compiled datafile has no warnings (they were the compiler's to report).
 * A function, not a method, so that a page on the full engine does not
 * bundle it.
 */
export function loadCompiled(engine: PageEngine, document: string | Uint8Array | object): LoadResult {
  let doc: unknown = document;
  if (typeof document === 'string' || document instanceof Uint8Array) {
    try {
      doc = JSON.parse(typeof document === 'string' ? document : readUtf8(document, 0, document.length));
    } catch (e) {
      return { ok: false, error: `datafile: not JSON (${(e as Error).message})` };
    }
  }
  const x = engine._x;
  if (typeof x.avsb_load_compiled !== 'function') return { ok: false, error: 'datafile: a compiled datafile: load it with avsb-evaluator.wasm (this is avsb-engine.wasm)' };
  const error = compiledError(doc);
  if (error !== null) return { ok: false, error };
  const { compiled, flags } = doc as CompiledDatafile;
  try {
    const status = loadBytes(engine, compiled);
    if (status !== 0) return { ok: false, error: status === 3 ? 'datafile: larger than 64 MiB' : status < 0 ? NOT_A_BYTE_STRING : engine._lastError() };
    const count = x.avsb_flag_count();
    if (count !== flags.length) {
      // the engine holds the new rules already: back to the last good datafile (counted as a fault: the document is corrupt)
      engine._recover();
      return { ok: false, error: `datafile: flags: ${flags.length} listed, ${count} compiled` };
    }
    if (engine._view !== null) x.avsb_collect();
  } catch {
    engine._recover();
    return { ok: false, error: 'datafile: the engine faulted while loading it; the previous datafile stays active' };
  }
  // an AvsbEngine created with lazyFlags makes each flag's values and reasons when a read first needs them, as a JSON
  // load does: at a cold start the first evaluation then pays for one flag, not for all (a PageEngine has no options)
  return engine._accept(
    (engine as Partial<AvsbEngine>)._lazyFlags?._table(x, doc as CompiledDatafile) ?? new FlagTable(doc as ConstructorParameters<typeof FlagTable>[0]),
    () => loadBytes(engine, compiled),
    NO_WARNINGS,
    0,
  );
}

/**
 * Decodes a compiled datafile's byte string into an evaluator's input buffer
 * and reads it: a status (ABI.md), or -1 for a code unit no byte string has.
 */
function loadBytes(engine: PageEngine, compiled: string): number {
  const x = engine._x;
  const n = compiled.length;
  const at = x.avsb_input(n);
  if (at === 0) return 3;
  // the input buffer is the datafile's now
  engine._contextInput = 0;
  // a server's engine (lazyFlags) decodes by the platform's code, a page's by the loop (it bundles no more)
  return ((engine as Partial<AvsbEngine>)._lazyFlags?._bytes ?? stringToBytes)(compiled, new Uint8Array(x.memory.buffer, at, n)) === null ? -1 : x.avsb_load_compiled!(n);
}
