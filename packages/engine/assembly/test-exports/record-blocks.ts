// Test-only: how many record blocks registrations took from the allocator
// since the last call, so a test can tell a reused block from a new one.
import { recordAllocations } from "../context/record-blocks";

export function test_record_allocations(): i32 {
  const n = recordAllocations;
  recordAllocations = 0;
  return n;
}
