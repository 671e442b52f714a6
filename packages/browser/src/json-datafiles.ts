// `@avsb/browser/json-datafiles`: an entry of its own, so that only a page that imports it holds the full engine's URL
// (full-engine-url.ts says why).
import type { JsonLoader, Logger, PageSink, Platform } from '@avsb/core/page';
import { EngineFallback } from '@avsb/core/page';
import type { PageEngine } from '@avsb/engine';
import { compileModule, loadDatafile } from '@avsb/engine';
import { defaultFallbackWasmUrl } from './full-engine-url';

/**
 * What a client needs to serve JSON datafiles: the engine's JSON load, and on
 * the evaluator the switch to the full engine when the service answers JSON.
 * Opt-in (`createClient({ …, jsonDatafiles })`), so that a page on compiled
 * datafiles, which every current A vs B service answers, neither bundles it
 * (431 B gzipped) nor gets `avsb-engine.wasm` (49 KB) emitted by Vite or
 * webpack.
 */
export interface JsonDatafiles {
  /** The JSON load of a `PageEngine` (the page's store calls it). */
  readonly load: JsonLoader;
  /** On the evaluator: the switch to `avsb-engine.wasm` (fetched from `url` then) in front of the client's core, `sink()`. */
  readonly fallback: (engine: PageEngine, url: string | undefined, platform: Platform, logger: Logger, sink: () => PageSink) => EngineFallback;
}

/**
 * Pass it to `createClient` for a service that answers JSON datafiles (one
 * that predates compiled datafiles), or an `engine` that is
 * `avsb-engine.wasm`; `@avsb/browser/inline` passes it itself.
 *
 * ```ts
 * import { createClient } from '@avsb/browser';
 * import { jsonDatafiles } from '@avsb/browser/json-datafiles';
 * const client = createClient({ clientKey, context, jsonDatafiles });
 * ```
 */
export const jsonDatafiles: JsonDatafiles = {
  load: loadDatafile,
  fallback: (engine, url, platform, logger, sink) =>
    new EngineFallback(engine, () => compileModule(platform.fetch(url ?? defaultFallbackWasmUrl(), {}) as unknown as Promise<Response>), logger, sink),
};
