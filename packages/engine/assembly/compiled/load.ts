// avsb_load_compiled: avsb_load for a compiled datafile (docs/compiled-datafile.md).

import { readCompiled } from "./reader";
import { input, inputLen, installRuleset } from "../state";
import { errReset, errText } from "../util/error";
import { warningsReset } from "../util/warnings";
import { utf8 } from "../util/text";

// avsb_load's status codes (ABI.md)
const OK: i32 = 0;
const ERR_INVALID: i32 = 2;
const ERR_TOO_LARGE: i32 = 3;

/**
 * Loads `len` bytes of a compiled datafile from the input buffer. The
 * previous datafile stays on error. A compiled datafile has no warnings:
 * they were the compiler's to report.
 */
export function loadCompiled(len: i32): i32 {
  errReset();
  warningsReset();
  if (len < 0 || len > inputLen) {
    errText(utf8("datafile: larger than the buffer requested with avsb_input (at most 64 MiB)"));
    return ERR_TOO_LARGE;
  }
  const rs = readCompiled(input, len);
  if (rs == null) {
    __collect();
    return ERR_INVALID;
  }
  installRuleset(rs);
  return OK;
}
