// Rewrites a .wasm's data section as few active segments as possible.
//
// Binaryen's memory packing splits AssemblyScript's static data at every run
// of zeros (each string's header alone becomes two segments), which leaves
// ~520 segments of 5-7 bytes of header each: 3.6 KB raw and ~1.5 KB gzipped
// of the release .wasm were segment headers. Zeros between segments cost
// next to nothing once gzipped, so segments less than MAX_GAP bytes apart
// are joined with the zeros between them written out. Memory starts zeroed
// and segments never overlap, so the initial memory is byte for byte the same.
//
// Usage: node scripts/merge-data.mjs build/avsb-engine.wasm (rewritten in place)
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const MAX_GAP = 128;
const DATA = 11;
const DATA_COUNT = 12;

/** Unsigned LEB128 bytes of `n` (also size-by-area.mjs's). */
export const uleb = (n) => {
  const out = [];
  do {
    const c = n & 0x7f;
    n >>>= 7;
    out.push(n ? c | 0x80 : c);
  } while (n);
  return out;
};

const sleb = (n) => {
  const out = [];
  for (;;) {
    const c = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(c & 0x40)) || (n === -1 && c & 0x40)) return [...out, c];
    out.push(c | 0x80);
  }
};

/** A reader of `bytes` from `at`: bytes and LEB128 numbers, `at` after them (also size-by-area.mjs's). */
export function reader(bytes, at) {
  // LEB128: the value's bits and how many were read (a signed value extends its sign from there)
  const leb = () => {
    let v = 0;
    let shift = 0;
    let c;
    do {
      c = bytes[r.at++];
      v |= (c & 0x7f) << shift;
      shift += 7;
    } while (c & 0x80);
    return { v, shift, c };
  };
  const r = {
    at,
    byte: () => bytes[r.at++],
    u32: () => leb().v >>> 0,
    i32() {
      const { v, shift, c } = leb();
      return shift < 32 && c & 0x40 ? v | (-1 << shift) : v;
    },
  };
  return r;
}

/** Active segments of memory 0 at constant offsets, in address order. */
function readSegments(body) {
  const r = reader(body, 0);
  const segments = [];
  for (let n = r.u32(); n > 0; n--) {
    // flags 0: active, memory 0, offset (i32.const N) end; anything else is left to a newer script
    if (r.u32() !== 0 || r.byte() !== 0x41) throw new Error('merge-data: only active i32.const segments are supported');
    const offset = r.i32();
    if (r.byte() !== 0x0b) throw new Error('merge-data: unexpected offset expression');
    const size = r.u32();
    segments.push({ offset, bytes: body.subarray(r.at, r.at + size) });
    r.at += size;
  }
  return segments.sort((a, b) => a.offset - b.offset);
}

function merge(segments) {
  const merged = [];
  for (const { offset, bytes } of segments) {
    const last = merged.at(-1);
    const lastEnd = last ? last.offset + last.length : 0;
    if (last && offset < lastEnd) throw new Error('merge-data: overlapping segments');
    if (last && offset - lastEnd <= MAX_GAP) {
      last.parts.push(new Uint8Array(offset - lastEnd), bytes);
      last.length = offset - last.offset + bytes.length;
    } else {
      merged.push({ offset, length: bytes.length, parts: [bytes] });
    }
  }
  return merged.map(({ offset, parts }) => ({ offset, bytes: Buffer.concat(parts) }));
}

function section(id, body) {
  return Buffer.concat([Buffer.from([id, ...uleb(body.length)]), body]);
}

export function mergeData(wasm) {
  const out = [wasm.subarray(0, 8)];
  const r = reader(wasm, 8);
  let count = -1;
  let dataCountAt = -1;
  while (r.at < wasm.length) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    const body = wasm.subarray(r.at, r.at + size);
    r.at += size;
    if (id === DATA) {
      const segments = merge(readSegments(body));
      count = segments.length;
      const parts = [Buffer.from(uleb(count))];
      for (const { offset, bytes } of segments) {
        parts.push(Buffer.from([0, 0x41, ...sleb(offset), 0x0b, ...uleb(bytes.length)]), bytes);
      }
      out.push(section(DATA, Buffer.concat(parts)));
    } else if (id === DATA_COUNT) {
      dataCountAt = out.length;
      out.push(null); // written once the data section's new count is known
    } else {
      out.push(wasm.subarray(start, r.at));
    }
  }
  if (dataCountAt >= 0) out[dataCountAt] = section(DATA_COUNT, Buffer.from(uleb(Math.max(count, 0))));
  return Buffer.concat(out);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const merged = mergeData(readFileSync(process.argv[2]));
  new WebAssembly.Module(merged); // validates
  writeFileSync(process.argv[2], merged);
}
