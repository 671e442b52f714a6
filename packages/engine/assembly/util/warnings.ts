// Problems of a datafile that loaded anyway (ABI.md, "Warnings"): a broken
// clause never matches, a broken flag answers MALFORMED_FLAG, and every such
// problem is listed here for the host, as records of
//   u32 path length, path bytes, u32 message length, message bytes
// (little-endian, UTF-8), in a fixed buffer so listing them never allocates.
// The count keeps counting when the buffer is full.

const CAP: i32 = 32 << 10;
/** Longest message kept; longer ones (a quoted 1 MB value) are cut with "...". */
const MAX_MESSAGE: i32 = 300;
const buf: usize = memory.data(CAP);
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

function utf8Length(s: string, max: i32): i32 {
  return min(String.UTF8.byteLength(s), max);
}

function put(s: string, max: i32): void {
  // a string cut at `max` bytes may end inside a character: cut at the last character boundary instead
  const b = String.UTF8.encode(s);
  let n = utf8Length(s, max);
  if (n < b.byteLength) {
    while (n > 0 && (load<u8>(changetype<usize>(b) + <usize>n) & 0xc0) == 0x80) n--;
  }
  const cut = n < b.byteLength;
  const total = cut ? n + 3 : n;
  store<u32>(buf + <usize>len, <u32>total);
  memory.copy(buf + <usize>len + 4, changetype<usize>(b), <usize>n);
  if (cut) {
    store<u8>(buf + <usize>(len + 4 + n), 0x2e);
    store<u8>(buf + <usize>(len + 5 + n), 0x2e);
    store<u8>(buf + <usize>(len + 6 + n), 0x2e);
  }
  len += 4 + total;
}

/** Records one problem; only on cold paths (it allocates the message's UTF-8). */
export function addWarning(path: string, message: string): void {
  count++;
  const need = 8 + utf8Length(path, CAP) + utf8Length(message, MAX_MESSAGE) + 3;
  if (len + need > CAP) return;
  put(path, CAP);
  put(message, MAX_MESSAGE);
}
