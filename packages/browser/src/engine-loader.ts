import type { Platform } from '@avsb/core/page';
import { PageEngine } from '@avsb/engine';

/** The engine's code as `createClient` takes it: compiled (or being compiled), a response of the `.wasm`, or its bytes. */
export type EngineInput = WebAssembly.Module | PromiseLike<WebAssembly.Module> | Response | PromiseLike<Response> | BufferSource;

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

/**
 * In a page, starts compiling the engine now, in the background (`WebAssembly.compile`
 * runs off the main thread), so that the first client finds it compiled or
 * nearly; every client of the page then instantiates the same module. `null`
 * outside a page (server rendering, workers): nothing runs at import there.
 */
export function compileInPage(bytes: () => Uint8Array): Promise<WebAssembly.Module> | null {
  if (typeof (globalThis as { document?: unknown }).document === 'undefined' || typeof WebAssembly?.compile !== 'function') return null;
  const compiled = WebAssembly.compile(bytes() as BufferSource);
  compiled.catch(() => {}); // reported by the client that uses it (waitForReady's engine error), not as an unhandled rejection
  return compiled;
}
