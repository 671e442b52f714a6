import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import { AvsbBrowserClient } from './browser-client';
import { compileInPage } from './engine-loader';
import { jsonDatafilesWith } from './json-fallback';
import type { BrowserClientOptions } from './options';

// not index.ts: this entry reaches no module that holds a .wasm's URL, so that Vite and webpack 5 emit no .wasm for
// a page built from it (evaluator-url.ts, full-engine-url.ts)
export * from './client-exports';

/** In a page, the engine compiles from the moment this entry is imported; see README "Start-up". */
const compiled = compileInPage(engineWasmBytes);

/** The inlined engine: compiled at import in a page, else (server rendering) compiled from the bytes when needed. */
const inlined = (): PromiseLike<WebAssembly.Module> | Uint8Array => compiled ?? engineWasmBytes();

/**
 * `jsonDatafiles` whose full engine is the inlined one: a page given an evaluator (`engine` or `wasmUrl`) that meets
 * a service answering JSON switches to it without a request, unless `fallbackWasmUrl` names a file to fetch.
 */
const jsonDatafiles = jsonDatafilesWith(inlined);

/**
 * `createClient` of `@avsb/browser` with the engine inlined in the bundle
 * (about 80 KB of base64, 25 KB gzipped): for bundlers that cannot emit the
 * `.wasm` as a file. Nothing is fetched but the datafile. The engine loads
 * JSON datafiles (`jsonDatafiles` is passed unless the options give one).
 */
export function createClient(options: BrowserClientOptions): AvsbBrowserClient {
  const o = (typeof options === 'object' && options !== null ? options : {}) as BrowserClientOptions;
  // the inlined engine is avsb-engine.wasm, which loads JSON datafiles
  const withJson = { jsonDatafiles, ...o };
  return new AvsbBrowserClient(o.engine !== undefined || o.wasmUrl !== undefined ? withJson : { ...withJson, engine: inlined() });
}
