/**
 * Where `createClient` of `@avsb/browser` fetches the engine from by default: `avsb-evaluator.wasm`, which loads
 * compiled datafiles, beside the bundle (or beside the page, from a CommonJS bundle).
 *
 * Only the default entry's `createClient` reaches this file, not `AvsbBrowserClient`, which both entries share: Vite
 * and webpack 5 emit the asset of every `new URL(…, import.meta.url)` in each module they load, used or not, so while
 * the client held this URL a page built from `@avsb/browser/inline` carried the evaluator beside its inlined engine.
 */
export function defaultWasmUrl(): string {
  try {
    // this exact expression lets Vite and webpack 5 emit the file shipped beside dist/index.js as an asset
    return new URL('./avsb-evaluator.wasm', import.meta.url).href;
  } catch {
    return 'avsb-evaluator.wasm';
  }
}
