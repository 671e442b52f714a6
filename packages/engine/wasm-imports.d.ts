// The engine's `.wasm` files imported as compiled modules, where a bundler makes a `WebAssembly.Module` of such an
// import: Cloudflare Workers (wrangler's default `CompiledWasm` rule, `@avsb/engine/avsb-evaluator.wasm`) and Vercel
// Edge Functions (`@avsb/engine/avsb-evaluator.wasm?module`). A project references it once (we declare no global on
// our own: the file applies only where it is referenced):
//
//   /// <reference types="@avsb/engine/wasm-imports" />        (or "types": ["@avsb/engine/wasm-imports"] in tsconfig)
//
// It names these four paths and no `*.wasm` pattern: elsewhere a `.wasm` import is an instance's exports (Vite's
// plugins, webpack's `asyncWebAssembly`, Node's own `.wasm` imports) or a URL, which this file must not claim.
// Next.js compiles `?module` only on a relative path: its middleware takes `@avsb/next/evaluator` (typed there).
// A script, not a module (no top-level import or export): its `declare module` blocks name modules, not augment them.

declare module '@avsb/engine/avsb-evaluator.wasm' {
  /** The evaluator (`avsb-evaluator.wasm`, compiled datafiles), compiled by the bundler: `wasm` of `AvsbEdge`. */
  const wasm: import('@avsb/engine').WasmModule;
  export default wasm;
}

declare module '@avsb/engine/avsb-engine.wasm' {
  /** The full engine (`avsb-engine.wasm`, JSON datafiles), compiled by the bundler: `fullEngine` of `AvsbEdge`. */
  const wasm: import('@avsb/engine').WasmModule;
  export default wasm;
}

declare module '@avsb/engine/avsb-evaluator.wasm?module' {
  /** The evaluator (`avsb-evaluator.wasm`, compiled datafiles), compiled by the bundler: `wasm` of `AvsbEdge`. */
  const wasm: import('@avsb/engine').WasmModule;
  export default wasm;
}

declare module '@avsb/engine/avsb-engine.wasm?module' {
  /** The full engine (`avsb-engine.wasm`, JSON datafiles), compiled by the bundler: `fullEngine` of `AvsbEdge`. */
  const wasm: import('@avsb/engine').WasmModule;
  export default wasm;
}
