// Where each flag of the loaded datafile lies in its JSON (ABI.md, "Flag
// spans"). The host answers reads with values of the JSON (variations, rule
// ids, prerequisite keys); with these offsets it can parse a flag's own text
// when a read first needs it, rather than the whole datafile at every load.

import { JsonValue } from "../json/value";
import { input } from "../state";

/** i32 revision (-1: none), then per flag four i32 byte offsets: flag start, key start, key end, flag end. */
let spans: usize = 0;
let capacity: i32 = 0;

export function flagSpansPtr(): usize {
  return spans;
}

/** Room for the spans of `n` flags; the revision is written. */
// @ts-ignore: decorator
@inline
export function startFlagSpans(n: i32, revision: i32): void {
  const size = 1 + (n << 2);
  if (size > capacity) {
    if (spans != 0) heap.free(spans);
    spans = heap.alloc(<usize>size << 2);
    capacity = size;
  }
  store<i32>(spans, revision);
}

/**
 * Records flag `i`, the object `f` with the string `key` (offsets from the
 * input's start). A key's end is its start plus its unescaped length: the
 * end of its text when it has no escapes.
 */
// @ts-ignore: decorator
@inline
export function addFlagSpan(i: i32, f: JsonValue, key: JsonValue): void {
  const at = spans + 4 + (<usize>i << 4);
  const start = <i32>(f.strPtr - input);
  const keyStart = <i32>(key.strPtr - input);
  store<i32>(at, start);
  store<i32>(at, keyStart, 4);
  store<i32>(at, keyStart + key.strLen, 8);
  store<i32>(at, start + f.strLen, 12);
}
