import type { AvsbEngine } from './avsb-engine';
import type { PageEngine } from './engine';
import { FlagTable } from './flag-table';
import type { LoadResult, LoadWarning } from './load-result';
import { readWarnings } from './load-result';
import { readUtf8 } from './utf8';

/**
 * Loads a datafile (JSON text, UTF-8 bytes or a parsed object) of up to
 * 64 MiB of UTF-8 (invalid UTF-8 becomes U+FFFD). What cannot be a
 * datafile (not JSON, wrong top-level shape, unsupported schemaVersion,
 * duplicate keys, too large) is refused with a message naming the JSON
 * path, and the previous datafile keeps serving. Problems inside flags and
 * segments are `warnings` of a successful load.
 *
 * A host that parsed the JSON text itself passes the result as `parsed`
 * (`JSON.parse(datafile)`): the flag table is built from it instead of a
 * second parse, and it is kept instead of the text, so the datafile lives
 * once on the host side. Its variation values are frozen in place; do not
 * mutate it afterwards.
 *
 * An evaluator (`avsb-evaluator.wasm`) has no JSON datafile load: it loads
 * compiled datafiles with `loadCompiled(engine, document)`, and this
 * fails on it as an engine fault would. A compiled datafile given here is
 * refused as any JSON without `schemaVersion` is.
 *
 * `AvsbEngine`'s `load` method; a function, so that a page on the evaluator
 * (`PageEngine` and `loadCompiled`) does not bundle it. An `AvsbEngine`
 * created with `lazyFlags` parses the datafile's flags one by one, when
 * reads first need them, whichever of the two loads it.
 */
export function loadDatafile(engine: PageEngine, datafile: string | Uint8Array | object, parsed?: object): LoadResult {
  let json: string;
  try {
    json =
      typeof datafile === 'string'
        ? datafile
        : datafile instanceof Uint8Array
          ? readUtf8(datafile, 0, datafile.length)
          : JSON.stringify(datafile);
  } catch (e) {
    return { ok: false, error: `datafile: cannot be serialised as JSON (${(e as Error).message})` };
  }
  let warnings: readonly LoadWarning[] = [];
  let warningCount = 0;
  let len: number;
  try {
    len = engine._write(json);
    if (len < 0) return { ok: false, error: 'datafile: larger than 64 MiB of UTF-8' };
    if (engine._x.avsb_load(len) !== 0) return { ok: false, error: engine._lastError() };
    warningCount = engine._x.avsb_warning_count();
    warnings = readWarnings(engine._mem(), engine._x.avsb_warnings_ptr(), engine._x.avsb_warnings_len());
    // nothing to free before the first datafile; skipping it keeps cold start short
    if (engine._view !== null) engine._x.avsb_collect();
  } catch {
    engine._recover();
    return { ok: false, error: 'datafile: the engine faulted while loading it; the previous datafile stays active' };
  }
  // the engine accepted it, so it is valid JSON of the documented shape
  // an AvsbEngine created with lazyFlags parses each flag when a read first needs it (a PageEngine has no options)
  return engine._accept((engine as Partial<AvsbEngine>)._lazyFlags?._table(engine._x, parsed, json, len) ?? new FlagTable(parsed ?? JSON.parse(json)), () => reload(engine, parsed ?? json), warnings, warningCount);
}

/** Loads the last good datafile again after a trap: the text as it came, or the parsed object as JSON. */
function reload(engine: PageEngine, kept: string | object): void {
  engine._x.avsb_load(engine._write(typeof kept === 'string' ? kept : JSON.stringify(kept)));
}
