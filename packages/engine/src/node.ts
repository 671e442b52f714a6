import { readFileSync } from 'node:fs';

let module: WebAssembly.Module | null = null;

/** The location of the release `avsb-engine.wasm`, which ships beside this entry in `dist/`. */
export function engineWasmUrl(): URL {
  return new URL('./avsb-engine.wasm', import.meta.url);
}

/**
 * The release engine for Node, read with `readFileSync` and compiled once per
 * process, so every `AvsbEngine.createSync(engineWasmModule())` after the
 * first shares the compiled code. It never touches `fetch`, `Request` or
 * `Response`, whose first use makes Node load its fetch implementation
 * (15–20 ms).
 */
export function engineWasmModule(): WebAssembly.Module {
  module ??= new WebAssembly.Module(readFileSync(engineWasmUrl()));
  return module;
}
