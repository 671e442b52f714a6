// The evaluator binary (docs/compiled-datafile.md): the engine's ABI with
// avsb_load_compiled, which reads a compiled datafile, in place of
// avsb_load, so the JSON datafile lexer, validation and compilation (and
// the regex parser) are not in it. Not released: a measurement and a
// prototype.
export {
  avsb_abi_version, avsb_input, avsb_error_ptr, avsb_error_len, avsb_warning_count, avsb_warnings_ptr,
  avsb_warnings_len, avsb_flag_count, avsb_ctx_create, avsb_ctx_create_bin, avsb_ctx_restore,
  avsb_ctx_restore_bin, avsb_ctx_release, avsb_eval, avsb_eval_all, avsb_collect, avsb_live_contexts,
  avsb_budget_exhaustions, avsb_regex_budget_exhaustions,
} from "./abi";
export { loadCompiled as avsb_load_compiled } from "./compiled/load";
