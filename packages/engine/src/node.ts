// What `import '@avsb/engine/node'` gets where the `module-sync` export
// condition does not apply (Node before 20.19 and 22.10, Bun, Deno,
// bundlers), and what the CJS build is made of. Node before 20.16 has no
// `process.getBuiltinModule`, and its ESM has no synchronous way to `node:fs`
// but this `node:module` import, which costs 0.4 ms at import; Node 20.19+
// imports node-sync.ts instead, the same without it.
import { createRequire } from 'node:module';
import type { NodeFs } from './wasm-file';
import { shippedWasmModule } from './wasm-file';

export { engineWasmUrl } from './wasm-file';

/**
 * The release engine for Node, read with `readFileSync` and compiled once per
 * process, so every `AvsbEngine.createSync(engineWasmModule())` after the
 * first shares the compiled code. It never touches `fetch`, `Request` or
 * `Response`, whose first use makes Node load its fetch implementation
 * (15–20 ms).
 */
export function engineWasmModule(): WebAssembly.Module {
  return shippedWasmModule(() => createRequire(import.meta.url)('node:fs') as NodeFs);
}
