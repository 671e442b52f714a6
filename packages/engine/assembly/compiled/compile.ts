// avsb_compile: the loaded datafile written as a compiled datafile, in the
// full engine (a server compiles once; evaluators load the result).

import { ruleset } from "../state";
import { writeCompiled, writtenLength } from "./writer";

let written: usize = 0;

/** Writes the loaded datafile compiled: its length in bytes (at avsb_compiled_ptr()), or -1 when none is loaded. */
export function compileLoaded(): i32 {
  const rs = ruleset;
  if (rs == null) return -1;
  written = writeCompiled(rs);
  return writtenLength();
}

/** Where the last avsb_compile wrote; valid until the next call. */
export function compiledPtr(): usize {
  return written;
}
