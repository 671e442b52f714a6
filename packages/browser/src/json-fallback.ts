import type { Logger, PageSink, PageStore, Platform } from '@avsb/core/page';
import { EngineFallback, JsonPageStore } from '@avsb/core/page';
import type { EngineSource, PageEngine, WasmModule } from '@avsb/engine';
import { compileModule } from '@avsb/engine';

/**
 * What a client needs to serve JSON datafiles: the engine's JSON load, and on
 * the evaluator the switch to the full engine when the service answers JSON.
 * Opt-in (`createClient({ …, jsonDatafiles })`), so that a page on compiled
 * datafiles, which every current A vs B service answers, neither bundles it
 * (431 B gzipped) nor gets `avsb-engine.wasm` (49 KB) emitted by Vite or
 * webpack.
 */
export interface JsonDatafiles {
  /** The page's store: one that loads JSON datafiles too, and tells their changed keys with segments followed (a compiled one's are told without them). */
  readonly store: (engine: PageEngine, logger: Logger) => PageStore;
  /** On the evaluator: the switch to `avsb-engine.wasm` (fetched from `url` if given) in front of the client's core, `sink()`. */
  readonly fallback: (engine: PageEngine, url: string | undefined, platform: Platform, logger: Logger, sink: () => PageSink) => EngineFallback;
}

/**
 * The `JsonDatafiles` of an entry, whose full engine, when the client names no `fallbackWasmUrl`, is `fullEngine()`:
 * fetched from beside the bundle (`@avsb/browser/json-datafiles`) or inlined (`@avsb/browser/inline`). Each entry
 * holds only its own source, so that no bundler emits a `.wasm` a page cannot fetch (full-engine-url.ts).
 */
export function jsonDatafilesWith(fullEngine: (platform: Platform) => EngineSource | PromiseLike<WasmModule>): JsonDatafiles {
  return {
    store: (engine, logger) => new JsonPageStore(engine, logger),
    fallback: (engine, url, platform, logger, sink) =>
      new EngineFallback(
        engine,
        async () => compileModule(await (url !== undefined ? (platform.fetch(url, {}) as unknown as Promise<Response>) : fullEngine(platform))),
        logger,
        sink,
      ),
  };
}
