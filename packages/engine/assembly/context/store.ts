// Handles for registered contexts. A handle packs a slot index and the slot's
// generation, so a released (or reused) handle is recognised as stale.

import { Ruleset } from "../ruleset/model";
import { buildContext, fail } from "./parse";
import { HEADER, RAW_BINARY, RAW_JSON, recGeneration } from "./record";
import { errReset, errText } from "../util/error";
import { utf8 } from "../util/text";
import { freeRecord } from "./record-blocks";

const SLOT_BITS: u32 = 20;
export const MAX_CONTEXTS: i32 = (1 << SLOT_BITS) - 1;
const GEN_MASK: u32 = 0x7ff;

let records: usize = 0; // usize per slot: the record block, 0 when free
let gens: usize = 0; // u16 per slot
let freeList: usize = 0; // i32 stack of free slots
let freeCount: i32 = 0;
let capacity: i32 = 0;
let used: i32 = 0; // slots handed out at least once

function resize(ptr: usize, size: usize): usize {
  return ptr == 0 ? heap.alloc(size) : heap.realloc(ptr, size);
}

function growTable(): bool {
  if (capacity >= MAX_CONTEXTS) return false;
  const next = capacity == 0 ? 1024 : min(capacity * 2, MAX_CONTEXTS);
  records = resize(records, <usize>next * sizeof<usize>());
  gens = resize(gens, <usize>next * 2);
  freeList = resize(freeList, <usize>next * 4);
  memory.fill(records + <usize>capacity * sizeof<usize>(), 0, <usize>(next - capacity) * sizeof<usize>());
  memory.fill(gens + <usize>capacity * 2, 0, <usize>(next - capacity) * 2);
  capacity = next;
  return true;
}

/** Registers a context (JSON, or `binary` encoding); returns a handle > 0, or 0 with the error buffer set. */
export function createContext(rs: Ruleset, src: usize, len: i32, binary: bool): i32 {
  const rec = buildContext(rs, src, len, binary ? RAW_BINARY : 0);
  if (rec == 0) return 0;
  let slot: i32;
  if (freeCount > 0) {
    slot = load<i32>(freeList + <usize>(--freeCount) * 4);
  } else {
    if (used == capacity && !growTable()) {
      heap.free(rec);
      errReset();
      errText(utf8("too many live contexts (1048575): release the contexts you no longer use"));
      return 0;
    }
    slot = used++;
  }
  store<usize>(records + <usize>slot * sizeof<usize>(), rec);
  const gen = <u32>load<u16>(gens + <usize>slot * 2);
  return <i32>((gen << SLOT_BITS) | <u32>(slot + 1));
}

/** The record of a live handle, or 0. */
export function lookup(handle: i32): usize {
  const slot = (handle & <i32>((1 << SLOT_BITS) - 1)) - 1;
  if (handle <= 0 || slot < 0 || slot >= used) return 0;
  if (<u32>load<u16>(gens + <usize>slot * 2) != (<u32>handle >> SLOT_BITS)) return 0;
  return load<usize>(records + <usize>slot * sizeof<usize>());
}

/**
 * The record of a live handle indexed for `rs`: a context registered before
 * the current datafile is re-indexed from its raw bytes once.
 */
export function lookupFor(rs: Ruleset, handle: i32): usize {
  const rec = lookup(handle);
  if (rec == 0 || recGeneration(rec) == rs.generation) return rec;
  const raw = load<u32>(rec, 4);
  const fresh = buildContext(rs, rec + HEADER, <i32>(raw & ~(RAW_BINARY | RAW_JSON)), raw & (RAW_BINARY | RAW_JSON));
  if (fresh == 0) return rec; // cannot happen: it parsed before
  heap.free(rec);
  const slot = (handle & <i32>((1 << SLOT_BITS) - 1)) - 1;
  store<usize>(records + <usize>slot * sizeof<usize>(), fresh);
  return fresh;
}

/** Frees a context; false when the handle is stale. */
export function releaseContext(handle: i32): bool {
  const rec = lookup(handle);
  if (rec == 0) return false;
  const slot = (handle & <i32>((1 << SLOT_BITS) - 1)) - 1;
  freeRecord(rec);
  store<usize>(records + <usize>slot * sizeof<usize>(), 0);
  const gp = gens + <usize>slot * 2;
  store<u16>(gp, <u16>((<u32>load<u16>(gp) + 1) & GEN_MASK));
  store<i32>(freeList + <usize>(freeCount++) * 4, slot);
  return true;
}

export function liveContexts(): i32 {
  return used - freeCount;
}

/**
 * Re-creates a context under the handle it had in an instance that trapped,
 * so handles held by the application stay valid. Hosts restore in ascending
 * slot order into a fresh instance; slots skipped over become free.
 */
export function restoreContext(rs: Ruleset, handle: i32, src: usize, len: i32, binary: bool): bool {
  const slot = (handle & <i32>((1 << SLOT_BITS) - 1)) - 1;
  if (handle <= 0 || slot < used) {
    fail(0, 0, utf8("handle cannot be restored: restore only into a fresh instance, in ascending slot order, each slot once"));
    return false;
  }
  const rec = buildContext(rs, src, len, binary ? RAW_BINARY : 0);
  if (rec == 0) return false;
  while (capacity <= slot) {
    if (!growTable()) {
      heap.free(rec);
      return false;
    }
  }
  while (used < slot) store<i32>(freeList + <usize>(freeCount++) * 4, used++);
  used = slot + 1;
  store<usize>(records + <usize>slot * sizeof<usize>(), rec);
  store<u16>(gens + <usize>slot * 2, <u16>((<u32>handle >> SLOT_BITS) & GEN_MASK));
  return true;
}
