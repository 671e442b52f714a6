// Problems of a datafile that loaded anyway (ABI.md, "Warnings"): a broken
// clause never matches, a broken flag answers MALFORMED_FLAG, and every such
// problem is listed here for the host, as records of
//   u32 path length, path bytes, u32 message length, message bytes
// (little-endian, UTF-8), in one buffer taken at the first warning, so listing them allocates once.
// The count keeps counting when the buffer is full.

const CAP: i32 = 32 << 10;
/** Longest message kept; longer ones (a quoted 1 MB value) are cut with "...". */
const MAX_MESSAGE: i32 = 300;
// Taken from the heap at the first warning, not static data: 32 KiB of static
// data before the message texts would put their addresses past 8191, where
// each use in code takes a third byte (the texts are laid out as code first
// reads them, asc-utf8-texts.mjs).
let buf: usize = 0;
let len: i32 = 0;
let count: i32 = 0;

export function warningsPtr(): usize {
  return buf;
}

export function warningsLen(): i32 {
  return len;
}

export function warningCount(): i32 {
  return count;
}

export function warningsReset(): void {
  len = 0;
  count = 0;
}

/** Appends `n` bytes at `src` as a record field, cut at `max` bytes (at a character boundary) with "...". */
function put(src: usize, n: i32, max: i32): void {
  const cut = n > max;
  if (cut) {
    n = max;
    while (n > 0 && (load<u8>(src + <usize>n) & 0xc0) == 0x80) n--;
  }
  const total = cut ? n + 3 : n;
  store<u32>(buf + <usize>len, <u32>total);
  memory.copy(buf + <usize>len + 4, src, <usize>n);
  if (cut) {
    store<u8>(buf + <usize>(len + 4 + n), 0x2e);
    store<u8>(buf + <usize>(len + 5 + n), 0x2e);
    store<u8>(buf + <usize>(len + 6 + n), 0x2e);
  }
  len += 4 + total;
}

/**
 * Records one problem from `path: message` as UTF-8 at `text` (`end` bytes,
 * the path the first `pathEnd`), as ruleset/check.ts writes it into the
 * error buffer.
 */
export function addWarning(text: usize, pathEnd: i32, end: i32): void {
  count++;
  const msgLen = end - pathEnd - 2;
  const need = 8 + pathEnd + min(msgLen, MAX_MESSAGE) + 3;
  if (len + need > CAP) return;
  if (buf == 0) buf = heap.alloc(<usize>CAP);
  put(text, pathEnd, CAP);
  put(text + <usize>(pathEnd + 2), msgLen, MAX_MESSAGE);
}
