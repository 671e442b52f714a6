/**
 * Where the full engine, `avsb-engine.wasm`, is fetched from by default (only for a service that answers JSON
 * datafiles): beside the bundle, or beside the page from a CommonJS bundle.
 *
 * Only `@avsb/browser/json-datafiles` reaches this file. Vite and webpack 5 emit the asset of every
 * `new URL(…, import.meta.url)` in each module they load, before they drop unused code: in the default entry's module
 * this URL made every page's build carry the 49 KB engine, which only a page that imports `jsonDatafiles` can fetch.
 */
export function defaultFallbackWasmUrl(): string {
  try {
    // this exact expression lets Vite and webpack 5 emit the file shipped beside dist/json-datafiles.js as an asset
    return new URL('./avsb-engine.wasm', import.meta.url).href;
  } catch {
    return 'avsb-engine.wasm';
  }
}
