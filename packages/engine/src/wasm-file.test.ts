import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { shippedModule } from './wasm-file';
import { uleb } from '../test/support/leb128';

// shippedModule reads through a descriptor into a buffer of 64 KiB that doubles when full: a module of exactly one
// buffer, and one that needs the buffer grown twice, must come back whole (a custom section pads them to size, and
// its bytes are checked after compiling).

const dir = mkdtempSync(join(tmpdir(), 'avsb-wasm-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


/** A valid empty module of exactly `size` bytes: the header and one custom section "pad" of a counting pattern. */
function paddedModule(size: number): { bytes: Uint8Array; pad: Uint8Array } {
  const name = [3, 0x70, 0x61, 0x64];
  for (let payload = size - 8 - 1 - name.length; payload > 0; payload--) {
    const header = [0, ...uleb(name.length + payload), ...name];
    if (8 + header.length + payload !== size) continue;
    const pad = Uint8Array.from({ length: payload }, (_, i) => (i * 7) & 0xff);
    return { bytes: Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...header, ...pad]), pad };
  }
  throw new Error(`no module of ${size} bytes`);
}

it.each([65_536, 65_537, 200_000])('reads a module of %i bytes whole', (size) => {
  const { bytes, pad } = paddedModule(size);
  expect(bytes.length).toBe(size);
  const file = join(dir, `m${size}.wasm`);
  writeFileSync(file, bytes);
  const module = shippedModule('test', `m${size}.wasm`, () => pathToFileURL(file), null);
  const [section] = WebAssembly.Module.customSections(module, 'pad');
  expect(new Uint8Array(section!)).toEqual(pad);
});
