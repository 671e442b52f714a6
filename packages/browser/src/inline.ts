import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import { AvsbBrowserClient } from './browser-client';
import { jsonDatafilesWith } from './json-fallback';
import type { BrowserClientOptions } from './options';

// not index.ts: this entry reaches no module that holds a .wasm's URL, so that Vite and webpack 5 emit no .wasm for
// a page built from it (evaluator-url.ts, full-engine-url.ts)
export * from './client-exports';

/** The inlined engine compiled, once a client of the page (or its JSON fallback) needed it. */
let compiled: WebAssembly.Module | undefined;

/**
 * The inlined engine, decoded and compiled when the page's first client (or its JSON fallback) needs it, then shared
 * by every client: not at import, so that a page that passes its own `engine` or `wasmUrl` never pays for it. It
 * compiles synchronously: with lazy function compilation (V8, which allows up to 8 MB on the main thread since
 * Chrome 114; Firefox and Safari set no limit) that is a validation of about a millisecond, where a
 * `WebAssembly.compile` started as late settled in 4–6 ms (README "Start-up").
 */
const inlined = (): WebAssembly.Module | Promise<never> => {
  try {
    return (compiled ??= new WebAssembly.Module(engineWasmBytes() as BufferSource));
  } catch (e) {
    // WebAssembly refused (a Content-Security-Policy without 'wasm-unsafe-eval'): waitForReady reports it, kind engine
    return Promise.reject(e);
  }
};

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
