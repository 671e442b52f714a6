// Record blocks (record.ts) come from here and go back here. One released
// block is kept for the next registration: a server registers a new user's
// context and releases it when the request ends, and the next user's
// context, of about the same size, then takes that block instead of the
// allocator freeing one block and finding another (its free and allocation
// were a tenth of a registration on the raw ABI). At most one block is
// kept, and it is taken only by a record that fills at least half of it (a
// large context's block is freed by the next registration it does not
// suit), so memory stays bounded as before.

/** A released block, or 0. */
let spare: usize = 0;

/** Blocks taken from the allocator (the test binary counts them; test-exports/record-blocks.ts). */
export let recordAllocations: i32 = 0;

/** A block holding a copy of the record of `size` bytes built at `record`; +12 says the block's room. */
export function copyRecord(record: usize, size: usize): usize {
  let block = spare;
  let room = size;
  spare = 0;
  if (block != 0) {
    room = <usize>load<u32>(block, 12);
    if (room < size || room > size << 1) {
      heap.free(block);
      block = 0;
      room = size;
    }
  }
  if (block == 0) {
    if (!ASC_NO_ASSERT) recordAllocations++;
    block = heap.alloc(size);
  }
  memory.copy(block, record, size);
  store<u32>(block, <u32>room, 12);
  return block;
}

/** Gives back a released context's block from `copyRecord` (the rare frees elsewhere go straight to the allocator). */
export function freeRecord(rec: usize): void {
  if (spare == 0) spare = rec;
  else heap.free(rec);
}
