export { AvsbEngine } from './avsb-engine';
export { PageEngine, compileModule, isWasmModule } from './engine';
export { loadDatafile } from './json-load';
export { evaluateAll, sharedDetail } from './evaluation-map';
export { loadCompiled } from './compiled-load';
export { isEvaluator, useModule } from './engine-binary';
export type { EngineOptions, EngineSource, EngineSyncSource } from './engine';
export { ContextEncoder } from './context-encoder';
export { LazyFlags, flagTexts } from './lazy-flags';
export { shareContexts } from './context-share';
// @internal the Node entries' (node.ts, node-sync.ts): here so that it reads the classes' members under the names this
// file's build gives them (the entries are built apart); a page's bundle leaves it out
export { useCountedWrite } from './node-text-write';
export type { BudgetCounters } from './budget-counters';
export type { LoadResult, LoadWarning } from './load-result';
export type { CompiledDatafile, CompiledFlag } from './compiled-document';
export { COMPILED_FORMAT, COMPILED_MEDIA_TYPE, COMPILED_VERSION, isCompiledDatafile } from './compiled-document';
export { EngineInputError } from './engine-input-error';
export type {
  EngineErrorKind,
  EvaluationDetail,
  EvaluationReason,
  EvaluationReasonKind,
} from './evaluation';
export {
  NO_VARIATION,
  packedDetail,
  packedInExperiment,
  packedReason,
  packedReasonKind,
  packedVariation,
} from './evaluation';
export { ABI_VERSION } from './exports';
export type { EngineExports } from './exports';
export type { WasmBytes, WasmMemory, WasmModule } from './wasm-types';
