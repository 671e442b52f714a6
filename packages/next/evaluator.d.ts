/**
 * The A vs B evaluator (`avsb-evaluator.wasm`, compiled datafiles) as a `WebAssembly.Module`, for the `wasm` option of
 * `avsbMiddleware` (Next.js edge runtime); pass `@avsb/next/engine` as `fullEngine` for a service that answers JSON.
 */
declare const wasm: import('@avsb/engine').WasmModule;
export default wasm;
