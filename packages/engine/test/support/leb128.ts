/** `n` as unsigned LEB128, the variable-length integer of the wasm binary format and of compiled datafiles. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return out;
}
