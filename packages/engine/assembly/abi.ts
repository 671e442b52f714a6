export function avsb_abi_version(): i32 {
  return 1;
}
