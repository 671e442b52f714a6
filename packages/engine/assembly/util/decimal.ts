// Integers in messages ("at offset 12", "not 99999"). The standard library's
// `toString()` brings itoa for i32 and i64 with their digit tables (about
// 1 KB of code and data, ~300 bytes gzipped) for texts built a few times per
// load; this loop is enough there.

/** `v` in decimal, as `toString()` writes it (|v| < 2^63). */
export function decimal(v: i64): string {
  let u = v < 0 ? -v : v;
  let s = "";
  do {
    s = String.fromCharCode(<i32>(0x30 + u % 10)) + s;
    u /= 10;
  } while (u > 0);
  return v < 0 ? "-" + s : s;
}
