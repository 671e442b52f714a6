// `@avsb/browser/json-datafiles`: an entry of its own, so that only a page that imports it holds the full engine's URL
// (full-engine-url.ts says why).
import { defaultFallbackWasmUrl } from './full-engine-url';
import type { JsonDatafiles } from './json-fallback';
import { jsonDatafilesWith } from './json-fallback';

export type { JsonDatafiles } from './json-fallback';

/**
 * Pass it to `createClient` for a service that answers JSON datafiles (one
 * that predates compiled datafiles), or an `engine` that is
 * `avsb-engine.wasm`; `@avsb/browser/inline` passes its own (the full engine
 * inlined rather than fetched).
 *
 * ```ts
 * import { createClient } from '@avsb/browser';
 * import { jsonDatafiles } from '@avsb/browser/json-datafiles';
 * const client = createClient({ clientKey, context, jsonDatafiles });
 * ```
 */
export const jsonDatafiles: JsonDatafiles = jsonDatafilesWith((platform) => platform.fetch(defaultFallbackWasmUrl(), {}) as unknown as Promise<Response>);
