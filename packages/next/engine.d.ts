/** The A vs B engine as a `WebAssembly.Module`, for the `wasm` option of `avsbMiddleware` (Next.js edge runtime). */
declare const wasm: WebAssembly.Module;
export default wasm;
