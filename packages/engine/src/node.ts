// What `import '@avsb/engine/node'` gets where the `module-sync` export
// condition does not apply (Node before 20.19 and 22.10, Bun, Deno,
// bundlers), and what the CJS build is made of. Node before 20.16 has no
// `process.getBuiltinModule`, and its ESM has no synchronous way to `node:fs`
// but this `node:module` import, which costs 0.4 ms at import; Node 20.19+
// imports node-sync.ts instead, the same without it.
import { createRequire } from 'node:module';
import { AvsbEngine, useCountedWrite } from './index';
import type { NodeFs } from './wasm-file';
import { shippedEvaluatorModule, shippedWasmModule } from './wasm-file';
import type { WasmModule } from './wasm-types';

// the main entry's exports too, as node-sync.ts: one import for a Node host
export * from './index';
export { engineWasmUrl, evaluatorWasmUrl } from './wasm-file';

// a server's datafile text straight into the engine's memory, counted by Buffer; not where a page bundles AvsbEngine
useCountedWrite(AvsbEngine);

/**
 * The release engine for Node, read from `dist/` and compiled once per
 * process, so every `AvsbEngine.createSync(engineWasmModule())` after the
 * first shares the compiled code. It never touches `fetch`, `Request` or
 * `Response`, whose first use makes Node load its fetch implementation
 * (15–20 ms).
 */
export function engineWasmModule(): WasmModule {
  return shippedWasmModule(() => createRequire(import.meta.url)('node:fs') as NodeFs);
}

/**
 * The evaluator for Node (`avsb-evaluator.wasm`: compiled datafiles only, with
 * `loadCompiled`), read and compiled once per process like `engineWasmModule`.
 * Smaller to compile and quicker to load than the full engine: the cold start
 * of a serverless function that fetches compiled datafiles.
 */
export function evaluatorWasmModule(): WasmModule {
  return shippedEvaluatorModule(() => createRequire(import.meta.url)('node:fs') as NodeFs);
}
