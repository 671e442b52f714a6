// Test-only: the bucketing hash over plain byte ranges.
import { bucket, murmur3 } from "../util/hash";

export function test_murmur3(ptr: usize, len: i32): u32 {
  return murmur3(ptr, len);
}

export function test_bucket(saltPtr: usize, saltLen: i32, valuePtr: usize, valueLen: i32): i32 {
  return bucket(saltPtr, saltLen, valuePtr, valueLen);
}
