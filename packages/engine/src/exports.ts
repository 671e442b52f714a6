import type { WasmMemory } from './wasm-types';

/** The engine's exports, exactly as ABI.md lists them. */
export interface EngineExports {
  readonly memory: WasmMemory;
  avsb_abi_version(): number;
  avsb_input(len: number): number;
  avsb_error_ptr(): number;
  avsb_error_len(): number;
  /** The full engine's: a JSON datafile. An evaluator (`avsb-evaluator.wasm`) has `avsb_load_compiled` instead. */
  avsb_load(len: number): number;
  /** An evaluator's: a compiled datafile (docs/compiled-datafile.md); same buffer, statuses and collection as `avsb_load`. */
  avsb_load_compiled?(len: number): number;
  avsb_warning_count(): number;
  avsb_warnings_ptr(): number;
  avsb_warnings_len(): number;
  avsb_flag_count(): number;
  /** The full engine's: where each flag of the datafile just loaded lies in its JSON. */
  avsb_flag_spans(): number;
  avsb_ctx_create(len: number): number;
  avsb_ctx_restore(handle: number, len: number): number;
  avsb_ctx_create_bin(len: number): number;
  avsb_ctx_restore_bin(handle: number, len: number): number;
  avsb_ctx_release(handle: number): number;
  avsb_eval(handle: number, flag: number): number;
  avsb_eval_all(handle: number): number;
  avsb_collect(): void;
  avsb_live_contexts(): number;
  avsb_budget_exhaustions(): number;
  avsb_regex_budget_exhaustions(): number;
}

/** The ABI version this host speaks. */
export const ABI_VERSION = 4;

export const EXPORT_NAMES: readonly (keyof EngineExports)[] = [
  'memory',
  'avsb_abi_version',
  'avsb_input',
  'avsb_error_ptr',
  'avsb_error_len',
  'avsb_load',
  'avsb_warning_count',
  'avsb_warnings_ptr',
  'avsb_warnings_len',
  'avsb_flag_count',
  'avsb_flag_spans',
  'avsb_ctx_create',
  'avsb_ctx_restore',
  'avsb_ctx_create_bin',
  'avsb_ctx_restore_bin',
  'avsb_ctx_release',
  'avsb_eval',
  'avsb_eval_all',
  'avsb_collect',
  'avsb_live_contexts',
  'avsb_budget_exhaustions',
  'avsb_regex_budget_exhaustions',
];
