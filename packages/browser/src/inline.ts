import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import type { AvsbBrowserClient } from './browser-client';
import { createClient as createWithEngine } from './create-client';
import { compileInPage } from './engine-loader';
import { jsonDatafiles } from './json-datafiles';
import type { BrowserClientOptions } from './options';

export * from './index';

/** In a page, the engine compiles from the moment this entry is imported; see README "Start-up". */
const compiled = compileInPage(engineWasmBytes);

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
  return createWithEngine(o.engine !== undefined || o.wasmUrl !== undefined ? withJson : { ...withJson, engine: compiled ?? engineWasmBytes() });
}
