// Test-only: how many keys the load's indexes (interned names among them)
// compared since the last call, so a test can hold a load to a number of
// comparisons per name rather than to a time.
import { keysCompared, resetKeysCompared } from "../ruleset/key-index";

export function test_name_comparisons(): i32 {
  const n = keysCompared;
  resetKeysCompared();
  return n;
}
