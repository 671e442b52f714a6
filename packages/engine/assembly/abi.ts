// The engine's whole ABI (ABI.md). Every export takes and returns integers;
// text crosses as UTF-8 in linear memory. Nothing else is exported.

import { parseJson } from "./json/value";
import * as lx from "./json/lexer";
import { compileDatafile } from "./ruleset/compile";
import { flagSpansPtr } from "./ruleset/flag-spans";
import { Ruleset } from "./ruleset/model";
import { newRuleset, slotsFit } from "./ruleset/interner";
import { input, inputBuffer, inputLen, installRuleset, results, ruleset } from "./state";
import { createContext, lookupFor, releaseContext, restoreContext, liveContexts } from "./context/store";
import { evaluateFlag } from "./eval/evaluate";
import { versionForget } from "./eval/match";
import { E_CONTEXT_INVALID, E_EVALUATION_BUDGET, E_FLAG_NOT_FOUND, E_NO_DATAFILE, errorResult } from "./eval/result";
import { budgetExhaustions, budgetOut, budgetStart, countExhausted } from "./eval/budget";
import { regexBudgetExhaustions } from "./ops/regex";
import { errorLen, errorPtr, errReset, errText } from "./util/error";
import { utf8 } from "./util/text";
import { warningCount, warningsLen, warningsPtr, warningsReset } from "./util/warnings";
import { MAX_CONTEXT_BYTES, fail } from "./context/parse";

const ABI_VERSION: i32 = 4;

// Status codes (negative on the context calls).
const OK: i32 = 0;
const ERR_JSON: i32 = 1;
const ERR_INVALID: i32 = 2;
const ERR_TOO_LARGE: i32 = 3;
const ERR_LIMIT: i32 = 4;

export function avsb_abi_version(): i32 {
  return ABI_VERSION;
}

/** A buffer of at least `len` bytes for the next load or context; 0 if too large. */
export function avsb_input(len: i32): usize {
  return inputBuffer(len);
}

export function avsb_error_ptr(): usize {
  return errorPtr();
}

export function avsb_error_len(): i32 {
  return errorLen();
}

export function avsb_warning_count(): i32 {
  return warningCount();
}

export function avsb_warnings_ptr(): usize {
  return warningsPtr();
}

export function avsb_warnings_len(): i32 {
  return warningsLen();
}

/**
 * Loads `len` bytes of datafile JSON from the input buffer. The previous
 * datafile stays on error. What a refused load allocated is collected here,
 * so a host that collects only after successful loads stays bounded.
 */
export function avsb_load(len: i32): i32 {
  errReset();
  warningsReset();
  if (len < 0 || len > inputLen) {
    errText(utf8("datafile: larger than the buffer requested with avsb_input (at most 64 MiB)"));
    return ERR_TOO_LARGE;
  }
  const doc = parseJson(input, len);
  if (doc == null) {
    errText(utf8("datafile: "));
    lx.writeFailure();
    __collect();
    return ERR_JSON;
  }
  const rs = compileDatafile(doc);
  if (rs == null || !slotsFit(rs)) {
    // the error buffer holds the problem (ruleset/check.ts, or the slot limit)
    warningsReset();
    __collect();
    return ERR_INVALID;
  }
  installRuleset(rs);
  return OK;
}

/**
 * After a load that answered 0: the loaded datafile's revision and where
 * each of its flags lies in the JSON it was given (ABI.md, "Flag spans").
 */
export function avsb_flag_spans(): usize {
  return flagSpansPtr();
}

export function avsb_flag_count(): i32 {
  const rs = ruleset;
  return rs == null ? 0 : rs.flags.length;
}

/** Registers `len` bytes of context JSON from the input buffer: a handle > 0, or -status. */
export function avsb_ctx_create(len: i32): i32 {
  return ctxCreate(len, false);
}

/** avsb_ctx_create for the binary context encoding (ABI.md, "Context encoding"). */
export function avsb_ctx_create_bin(len: i32): i32 {
  return ctxCreate(len, true);
}

function ctxCreate(len: i32, binary: bool): i32 {
  errReset();
  if (!contextFits(len)) return -ERR_TOO_LARGE;
  const h = createContext(currentOrEmpty(), input, len, binary);
  if (h > 0) return h;
  return liveContexts() >= 1048575 ? -ERR_LIMIT : -ERR_INVALID;
}

// Contexts may be registered before the first datafile: they are indexed for
// an empty ruleset (generation 0) and re-indexed when a datafile arrives.
// Built then, not by the module's start function (which every instance runs).
let emptyRuleset: Ruleset | null = null;

function currentOrEmpty(): Ruleset {
  const rs = ruleset;
  if (rs != null) return rs;
  let empty = emptyRuleset;
  if (empty == null) emptyRuleset = empty = newRuleset();
  return empty;
}

function contextFits(len: i32): bool {
  // the same message as buildContext's, from the same text
  if (len > MAX_CONTEXT_BYTES) fail(0, 0, utf8("is larger than 1 MiB"));
  else if (len < 0 || len > inputLen) errText(utf8("context: larger than the buffer requested with avsb_input"));
  else return true;
  return false;
}

/** Recovery only: re-creates a context of a trapped instance under its old handle (ABI.md). */
export function avsb_ctx_restore(handle: i32, len: i32): i32 {
  return ctxRestore(handle, len, false);
}

/** avsb_ctx_restore for the binary context encoding. */
export function avsb_ctx_restore_bin(handle: i32, len: i32): i32 {
  return ctxRestore(handle, len, true);
}

function ctxRestore(handle: i32, len: i32, binary: bool): i32 {
  errReset();
  if (!contextFits(len)) return -ERR_TOO_LARGE;
  return restoreContext(currentOrEmpty(), handle, input, len, binary) ? OK : -ERR_INVALID;
}

export function avsb_ctx_release(handle: i32): i32 {
  if (releaseContext(handle)) return OK;
  errReset();
  errText(utf8("context: unknown or already released handle"));
  return -ERR_INVALID;
}

export function avsb_eval(handle: i32, flag: i32): i32 {
  const rs = ruleset;
  if (rs == null) return errorResult(E_NO_DATAFILE);
  if (flag < 0 || flag >= rs.flags.length) return errorResult(E_FLAG_NOT_FOUND);
  const rec = lookupFor(rs, handle);
  if (rec == 0) return errorResult(E_CONTEXT_INVALID);
  versionForget();
  return evaluateBudgeted(rs, rec, flag);
}

/** One evaluation with a fresh work budget: EVALUATION_BUDGET (counted) when it runs out. */
// @ts-ignore: decorator
@inline
function evaluateBudgeted(rs: Ruleset, rec: usize, flag: i32): i32 {
  budgetStart();
  const result = evaluateFlag(rs, rec, flag, true);
  if (!budgetOut()) return result;
  countExhausted();
  return errorResult(E_EVALUATION_BUDGET);
}

/** Evaluates every flag; returns the address of avsb_flag_count() packed results. */
export function avsb_eval_all(handle: i32): usize {
  const rs = ruleset;
  if (rs == null) return results;
  const rec = lookupFor(rs, handle);
  const n = rs.flags.length;
  versionForget();
  for (let i = 0; i < n; i++) {
    store<i32>(results + <usize>i * 4, rec == 0 ? errorResult(E_CONTEXT_INVALID) : evaluateBudgeted(rs, rec, i));
  }
  return results;
}

/** Frees what a replaced datafile left behind. Call between other calls, on cold paths. */
export function avsb_collect(): void {
  __collect();
}

export function avsb_live_contexts(): i32 {
  return liveContexts();
}

/** Evaluations (`avsb_eval`, each flag of `avsb_eval_all`) that ran out of their work budget. */
export function avsb_budget_exhaustions(): u32 {
  return budgetExhaustions();
}

/** `matches` clauses that ran out of their own regex step budget (and did not match). */
export function avsb_regex_budget_exhaustions(): u32 {
  return regexBudgetExhaustions();
}
