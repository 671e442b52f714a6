import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built binaries (run `pnpm build` first): release, debug and test. */
export type Binary = 'release' | 'debug' | 'test';

const FILES: Record<Binary, string> = {
  release: 'avsb-engine.wasm',
  debug: 'avsb-engine.debug.wasm',
  test: 'avsb-engine.test.wasm',
};

const cache = new Map<Binary, WebAssembly.Module>();

export function wasmBytes(binary: Binary): Uint8Array {
  return readFileSync(fileURLToPath(new URL(`../../build/${FILES[binary]}`, import.meta.url)));
}

export function wasmModule(binary: Binary): WebAssembly.Module {
  let m = cache.get(binary);
  if (!m) {
    m = new WebAssembly.Module(wasmBytes(binary));
    cache.set(binary, m);
  }
  return m;
}

/** Raw exports of a fresh instance, with helpers to pass UTF-8 in and read errors. */
export function rawEngine(binary: Binary = 'release') {
  const x = new WebAssembly.Instance(wasmModule(binary), {}).exports as Record<string, any>;
  const enc = new TextEncoder();
  const put = (input: string | Uint8Array): number => {
    const bytes = typeof input === 'string' ? enc.encode(input) : input;
    const ptr = x.avsb_input(bytes.length) as number;
    new Uint8Array((x.memory as WebAssembly.Memory).buffer).set(bytes, ptr);
    return bytes.length;
  };
  const error = (): string =>
    new TextDecoder().decode(
      new Uint8Array((x.memory as WebAssembly.Memory).buffer, x.avsb_error_ptr(), x.avsb_error_len()),
    );
  const memoryBytes = (): number => (x.memory as WebAssembly.Memory).buffer.byteLength;
  return { x, put, error, memoryBytes };
}
