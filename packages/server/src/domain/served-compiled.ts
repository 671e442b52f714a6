import { compileDatafile } from '@avsb/engine/compiler';
import type { ServedDatafile } from './served-datafile';

/** A served datafile's compiled representation (`application/vnd.avsb.compiled-datafile; v=1`). */
export interface ServedCompiled {
  readonly body: Buffer;
  /** The JSON representation's ETag with `-c1`: a representation of its own. */
  readonly etag: string;
}

/** By served datafile: the cache builds one per kind and revision, so this compiles once per revision. */
const compiled = new WeakMap<ServedDatafile, ServedCompiled | null>();

/**
 * The compiled datafile document of `served` (docs/compiled-datafile.md of
 * `@avsb/engine`), written once per revision by the full engine with the
 * writer; `null` when the engine refuses it (never for what the server
 * stores, which is validated: the caller then answers JSON).
 */
export function servedCompiled(served: ServedDatafile, onError: (message: string) => void): ServedCompiled | null {
  let entry = compiled.get(served);
  if (entry === undefined) {
    const result = compileDatafile(served.json);
    if (result.ok) {
      entry = { body: Buffer.from(JSON.stringify(result.document)), etag: `${served.etag.slice(0, -1)}-c1"` };
    } else {
      entry = null;
      onError(`could not compile the ${served.kind} datafile of revision ${served.revision}: ${result.error}`);
    }
    compiled.set(served, entry);
  }
  return entry;
}
