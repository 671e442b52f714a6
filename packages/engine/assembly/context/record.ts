// A registered context lives in one unmanaged block:
//
//   +0  u32 ruleset generation the slots were built for
//   +4  u32 length of the raw context, always the binary encoding
//       (parse-binary.ts); bit 31 (RAW_BINARY) is set, and bit 30 (RAW_JSON)
//       too when it was made from a JSON context (from-json.ts)
//   +8  u32 offset of the slot table
//   +12 u32 the block's room (a reused block may be larger than its record: record-blocks.ts)
//   +16 the raw context, kept so the slots can be rebuilt for a new datafile
//   ... slot table: one 16-byte slot per (kind index, attribute id)
//   ... array elements
//
// A slot: +0 u8 type, +4 i32 length (bytes of a string, items of an array),
// +8 f64 number, or u32 offset from the block start (string bytes, array items).

export const HEADER: usize = 16;
/** Bit 31 of the raw length: the raw context is the binary encoding. */
export const RAW_BINARY: u32 = 0x80000000;
/** Bit 30 of the raw length: the encoding was made from JSON (its top-level names are as escaped in the JSON). */
export const RAW_JSON: u32 = 0x40000000;
export const SLOT: usize = 16;
/**
 * The most slots (kinds × attributes) a datafile may give each context: the
 * datafile, not the context, sizes the table, so without a bound a small
 * datafile could make every registration cost megabytes (SPEC.md §10).
 * 256 KiB a context; it also keeps slot offsets far from overflowing.
 */
export const MAX_SLOTS: i32 = 16384;

export const V_NONE: u8 = 0;
export const V_STR: u8 = 1;
export const V_NUM: u8 = 2;
export const V_BOOL: u8 = 3;
export const V_ARR: u8 = 4;
export const V_OTHER: u8 = 5; // objects, null, nested arrays: never match

// @ts-ignore: decorator
@inline
export function recGeneration(rec: usize): u32 {
  return load<u32>(rec);
}

// @ts-ignore: decorator
@inline
export function slotAt(rec: usize, kind: i32, attr: i32, attrCount: i32): usize {
  return rec + <usize>load<u32>(rec, 8) + <usize>(kind * attrCount + attr) * SLOT;
}

// @ts-ignore: decorator
@inline
export function slotType(slot: usize): u8 {
  return load<u8>(slot);
}

// @ts-ignore: decorator
@inline
export function slotLen(slot: usize): i32 {
  return load<i32>(slot, 4);
}

// @ts-ignore: decorator
@inline
export function slotNum(slot: usize): f64 {
  return load<f64>(slot, 8);
}

/** Absolute address of a string's bytes or an array's first item. */
// @ts-ignore: decorator
@inline
export function slotPtr(rec: usize, slot: usize): usize {
  return rec + <usize>load<u32>(slot, 8);
}
