import { expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without types
import { mergeData } from '../scripts/merge-data.mjs';
import { wasmBytes } from './support/wasm';

const DATA_SECTION = 11;

/** The number of segments in a module's data section (its first LEB128). */
function segmentCount(wasm: Uint8Array): number {
  let at = 8;
  const u32 = (): number => {
    let v = 0;
    let shift = 0;
    let c: number;
    do {
      c = wasm[at++]!;
      v |= (c & 0x7f) << shift;
      shift += 7;
    } while (c & 0x80);
    return v >>> 0;
  };
  while (at < wasm.length) {
    const id = wasm[at++]!;
    const size = u32();
    if (id === DATA_SECTION) return u32();
    at += size;
  }
  return 0;
}

const initialMemory = (wasm: Uint8Array): Uint8Array => {
  const { memory } = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports as { memory: WebAssembly.Memory };
  return new Uint8Array(memory.buffer.slice(0));
};

it('joins the debug build\'s dozens of data segments into a few and leaves its initial memory byte for byte the same', () => {
  const debug = wasmBytes('debug'); // built without the merge
  const merged = mergeData(debug) as Uint8Array;
  expect(segmentCount(debug)).toBeGreaterThan(20); // 30 once empty-list field defaults became shared constants, 48 once the regex messages became texts, 89 before
  expect(segmentCount(merged)).toBeLessThan(10);
  expect(Buffer.compare(Buffer.from(initialMemory(merged)), Buffer.from(initialMemory(debug)))).toBe(0);
});

it('ships the release .wasm with its data merged already', () => {
  const release = wasmBytes('release');
  expect(segmentCount(release)).toBeLessThan(10);
  expect(Buffer.compare(mergeData(release) as Uint8Array, release)).toBe(0);
});
