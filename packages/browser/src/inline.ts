import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import type { AvsbBrowserClient } from './browser-client';
import { createClient as createWithEngine } from './create-client';
import { compileInPage } from './engine-loader';
import type { BrowserClientOptions } from './options';

export * from './index';

/** In a page, the engine compiles from the moment this entry is imported; see README "Start-up". */
const compiled = compileInPage(engineWasmBytes);

/**
 * `createClient` of `@avsb/browser` with the engine inlined in the bundle
 * (about 80 KB of base64, 25 KB gzipped): for bundlers that cannot emit the
 * `.wasm` as a file. Nothing is fetched but the datafile.
 */
export function createClient(options: BrowserClientOptions): AvsbBrowserClient {
  const o = (typeof options === 'object' && options !== null ? options : {}) as BrowserClientOptions;
  return createWithEngine(o.engine !== undefined || o.wasmUrl !== undefined ? o : { ...o, engine: compiled ?? engineWasmBytes() });
}
