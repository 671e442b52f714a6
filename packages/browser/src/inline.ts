import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import type { AvsbBrowserClient } from './browser-client';
import { createClient as createWithEngine } from './create-client';
import type { BrowserClientOptions } from './options';

export * from './index';

/**
 * `createClient` of `@avsb/browser` with the engine inlined in the bundle
 * (about 80 KB of base64, 25 KB gzipped): for bundlers that cannot emit the
 * `.wasm` as a file. Nothing is fetched but the datafile.
 */
export function createClient(options: BrowserClientOptions): AvsbBrowserClient {
  const o = (typeof options === 'object' && options !== null ? options : {}) as BrowserClientOptions;
  return createWithEngine(o.engine !== undefined || o.wasmUrl !== undefined ? o : { ...o, engine: engineWasmBytes() });
}
