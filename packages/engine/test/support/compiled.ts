import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled-datafile binaries (`pnpm run build:compiled`): docs/compiled-datafile.md. */
export type CompiledBinary = 'evaluator' | 'compiler';

const modules = new Map<CompiledBinary, WebAssembly.Module>();

function module(binary: CompiledBinary): WebAssembly.Module {
  let m = modules.get(binary);
  if (!m) {
    m = new WebAssembly.Module(readFileSync(fileURLToPath(new URL(`../../build/avsb-${binary}.wasm`, import.meta.url))));
    modules.set(binary, m);
  }
  return m;
}

/** Raw exports of a fresh instance of `binary`, with helpers to pass bytes in and read errors. */
export function compiledInstance(binary: CompiledBinary) {
  const x = new WebAssembly.Instance(module(binary), {}).exports as Record<string, any>;
  const mem = () => new Uint8Array((x.memory as WebAssembly.Memory).buffer);
  const put = (input: string | Uint8Array): number => {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    const ptr = x.avsb_input(bytes.length) as number;
    mem().set(bytes, ptr);
    return bytes.length;
  };
  const error = (): string => new TextDecoder().decode(mem().subarray(x.avsb_error_ptr(), x.avsb_error_ptr() + x.avsb_error_len()));
  return { x, put, error, mem };
}

/** The compiled form of a datafile (JSON text), written by the compiler binary; throws when it does not load. */
export function compileDatafile(json: string): Uint8Array {
  const c = compiledInstance('compiler');
  if (c.x.avsb_load(c.put(json)) !== 0) throw new Error(c.error());
  const len = c.x.avsb_compile() as number;
  const ptr = c.x.avsb_compiled_ptr() as number;
  return c.mem().slice(ptr, ptr + len);
}
