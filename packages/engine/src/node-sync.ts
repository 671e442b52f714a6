// `@avsb/engine/node` for the runtimes that apply the `module-sync` export
// condition (Node 20.19+ and 22.10+), which all have
// `process.getBuiltinModule`: node.ts without its `node:module` import.
import { AvsbEngine, useCountedWrite } from './index';
import { shippedEvaluatorModule, shippedWasmModule } from './wasm-file';
import type { WasmModule } from './wasm-types';

// the main entry's exports too, so a Node host needs one import: a second bare specifier costs a fresh process
// ≈ 1 ms more than a relative one (Node's package resolution of a subpath, run once per specifier). The build bundles
// the main entry's code into this file, and package.json resolves `@avsb/engine` here too under `module-sync`: one
// module for Node to load (a second file costs a fresh process ≈ 0.45 ms of CPU) and one copy of the classes.
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
  return shippedWasmModule(null);
}

/**
 * The evaluator for Node (`avsb-evaluator.wasm`: compiled datafiles only, with
 * `loadCompiled`), read and compiled once per process like `engineWasmModule`.
 * Smaller to compile and quicker to load than the full engine: the cold start
 * of a serverless function that fetches compiled datafiles.
 */
export function evaluatorWasmModule(): WasmModule {
  return shippedEvaluatorModule(null);
}
