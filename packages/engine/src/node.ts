import { createRequire } from 'node:module';

interface NodeFs {
  readFileSync(path: URL): Uint8Array<ArrayBuffer>;
}

let compiled: WebAssembly.Module | null = null;

/**
 * node:fs without an ESM `import` of it, which costs a fresh process 1.3 ms
 * (Node builds a module record of all its exports): `process.getBuiltinModule`
 * (Node 20.16+, Bun, Deno) takes 0.03 ms, `require` elsewhere under 1 ms.
 */
function nodeFs(): NodeFs {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (proc?.getBuiltinModule?.('node:fs') ?? createRequire(import.meta.url)('node:fs')) as NodeFs;
}

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
  compiled ??= new WebAssembly.Module(nodeFs().readFileSync(engineWasmUrl()));
  return compiled;
}
