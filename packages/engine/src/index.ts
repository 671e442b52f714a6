export { AvsbEngine } from './engine';
export type { EngineSource, LoadResult } from './engine';
export type { LoadWarning } from './load-warnings';
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
  packedVariation,
} from './evaluation';
export { ABI_VERSION } from './exports';
export type { EngineExports } from './exports';
