// The compiled datafile (docs/compiled-datafile.md): what a load of datafile
// JSON compiles to (ruleset/model.ts), written by writer.ts in the full
// engine and read back by reader.ts in the evaluator. Integers are LEB128
// (signed ones zigzagged), numbers little-endian f64, byte strings a length
// and their bytes.

/** "AVSB" little-endian, then FORMAT_VERSION: a reader refuses any other. */
export const MAGIC: u32 = 0x42535641;
/** Bumped with every change to the layout or to what evaluation reads from it. */
export const FORMAT_VERSION: u8 = 1;

// Clause value tags (one byte before each value).
export const T_STR: u8 = 1;
export const T_NUM: u8 = 2;
export const T_BOOL: u8 = 3;

// Flag and clause bits.
export const F_MALFORMED: u8 = 1;
export const F_ON: u8 = 2;
export const C_NEGATE: u8 = 1;
/** The clause's string values are looked up in a hashed set (an `in` with many strings). */
export const C_STRING_SET: u8 = 2;
export const R_EXPERIMENT: u8 = 1;
