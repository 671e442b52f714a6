// The full engine plus both ends of the compiled datafile
// (docs/compiled-datafile.md): avsb_compile writes the loaded datafile
// compiled, avsb_load_compiled reads one. Not released: tests compare it
// with the evaluator, and its size is the "one .wasm for both" option.
export * from "./abi";
export { compileLoaded as avsb_compile, compiledPtr as avsb_compiled_ptr } from "./compiled/compile";
export { loadCompiled as avsb_load_compiled } from "./compiled/load";
