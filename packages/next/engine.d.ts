/**
 * The full A vs B engine (`avsb-engine.wasm`, JSON datafiles) as a `WebAssembly.Module`: `fullEngine` of
 * `avsbMiddleware` beside `@avsb/next/evaluator` (Next.js edge runtime), or its `wasm` alone.
 */
declare const wasm: import('@avsb/engine').WasmModule;
export default wasm;
