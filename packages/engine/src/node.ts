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
  // by its href: a bundler that rewrites `new URL(…, import.meta.url)` to point at the asset it emitted
  // (Turbopack in Next.js) hands back its own URL class, which node:fs refuses as not an instance of URL
  compiled ??= new WebAssembly.Module(nodeFs().readFileSync(new URL(engineWasmUrl().href)));
  return compiled;
}
