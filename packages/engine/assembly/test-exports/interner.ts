// Test-only: how many names interning compared since the last call, so a
// test can hold a load to a number of comparisons per name rather than a time.
import { nameComparisons, resetNameComparisons } from "../ruleset/interner";

export function test_name_comparisons(): i32 {
  const n = nameComparisons;
  resetNameComparisons();
  return n;
}
