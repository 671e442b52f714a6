import type { Platform } from '@avsb/core/page';
import { PageEngine } from '@avsb/engine';
import type { WasmBytes, WasmModule } from '@avsb/engine';

/** The engine's code as `createClient` takes it: compiled (or being compiled), a response of the `.wasm`, or its bytes. */
export type EngineInput = WasmModule | PromiseLike<WasmModule> | Response | PromiseLike<Response> | WasmBytes;

/**
 * Compiles and instantiates the engine from what the application gave (or
 * the `.wasm` fetched from `wasmUrl`) through `PageEngine.create`, which
 * compiles a response while it downloads where it can. A failed download is
 * refused here, with what to do about it.
 */
export async function loadEngine(input: EngineInput | undefined, wasmUrl: string, platform: Pick<Platform, 'fetch'>): Promise<PageEngine> {
  const source = await (input ?? (platform.fetch(wasmUrl, {}) as unknown as Promise<Response>));
  // only a response has `ok` (a module or bytes have none): the engine's own test of a source is not exported
  if ((source as Partial<Response>).ok === false) {
    const response = source as Response;
    throw new Error(
      `could not load the engine from ${response.url || wasmUrl} (HTTP ${response.status}): serve avsb-evaluator.wasm of @avsb/browser ` +
        'beside your bundle (avsb-engine.wasm too if you pass jsonDatafiles), pass wasmUrl or engine, or import createClient from @avsb/browser/inline',
    );
  }
  return PageEngine.create(source);
}

