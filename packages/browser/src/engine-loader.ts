import { AvsbEngine } from '@avsb/engine';

/** The engine's code as `createClient` takes it. */
export type EngineInput = WebAssembly.Module | Response | PromiseLike<Response> | BufferSource;

/** Where `avsb-engine.wasm` is fetched from by default: beside the bundle (or beside the page, from a CommonJS bundle). */
export function defaultWasmUrl(): string {
  try {
    // this exact expression lets Vite and webpack 5 emit the file shipped beside dist/index.js as an asset
    return new URL('./avsb-engine.wasm', import.meta.url).href;
  } catch {
    return 'avsb-engine.wasm';
  }
}

/**
 * Compiles and instantiates the engine from what the application gave:
 * a module as is; a response with `WebAssembly.compileStreaming` (compiling
 * while it downloads), falling back to compiling its bytes where streaming is
 * missing or refused (a server that does not send `application/wasm`); bytes
 * with `WebAssembly.compile`, off the main thread.
 */
export async function loadEngine(input: EngineInput | undefined, wasmUrl: string, fetchImpl: (url: string) => Promise<Response>): Promise<AvsbEngine> {
  const source = input ?? fetchImpl(wasmUrl);
  if (source instanceof WebAssembly.Module) return AvsbEngine.create(source);
  if (isPromiseLike(source) || isResponse(source)) return AvsbEngine.create(await compileResponse(await source, wasmUrl));
  return AvsbEngine.create(await WebAssembly.compile(source));
}

async function compileResponse(response: Response, wasmUrl: string): Promise<WebAssembly.Module> {
  if (!response.ok) {
    throw new Error(
      `could not load the engine from ${response.url || wasmUrl} (HTTP ${response.status}): serve avsb-engine.wasm ` +
        'of @avsb/browser beside your bundle, pass wasmUrl or engine, or import createClient from @avsb/browser/inline',
    );
  }
  if (typeof WebAssembly.compileStreaming === 'function') {
    try {
      return await WebAssembly.compileStreaming(response.clone());
    } catch {
      // wrong Content-Type, or no streaming compile here: compile the bytes below
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

function isPromiseLike(value: unknown): value is PromiseLike<Response> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function isResponse(value: unknown): value is Response {
  return typeof (value as { arrayBuffer?: unknown }).arrayBuffer === 'function' && typeof (value as { ok?: unknown }).ok === 'boolean';
}
