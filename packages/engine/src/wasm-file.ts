/** The part of `node:fs` the `./node` entries use. */
export interface NodeFs {
  openSync(path: URL, flags: 'r'): number;
  readvSync(fd: number, buffers: readonly Uint8Array[]): number;
  closeSync(fd: number): void;
}

const compiled = new Map<string, WebAssembly.Module>();

/** The location of the release `avsb-engine.wasm`, which ships beside this entry in `dist/`. */
export function engineWasmUrl(): URL {
  return new URL('./avsb-engine.wasm', import.meta.url);
}

/**
 * The shipped `.wasm`, read and compiled once per process. `node:fs` comes
 * from `process.getBuiltinModule` (Node 20.16+, Bun, Deno: 0.03 ms, and only
 * when called) rather than an ESM `import` of it, which costs a fresh process
 * 1.3 ms at import (Node builds a module record of all its exports); where
 * the runtime has none, from `legacyFs` (null: there is no other way).
 */
export function shippedWasmModule(legacyFs: (() => NodeFs) | null): WebAssembly.Module {
  return shippedModule('@avsb/engine/node', 'avsb-engine.wasm', engineWasmUrl, legacyFs);
}

/** The location of `avsb-evaluator.wasm` (compiled datafiles only), which ships beside this entry in `dist/`. */
export function evaluatorWasmUrl(): URL {
  return new URL('./avsb-evaluator.wasm', import.meta.url);
}

/** The shipped evaluator, read and compiled once per process (as `shippedWasmModule`). */
export function shippedEvaluatorModule(legacyFs: (() => NodeFs) | null): WebAssembly.Module {
  return shippedModule('@avsb/engine/node', 'avsb-evaluator.wasm', evaluatorWasmUrl, legacyFs);
}

/**
 * A `.wasm` shipped in `dist/` (`name`, at `url()`, for the `entry` that reads it: a `new URL('./…', import.meta.url)`
 * written out where it is used, so that bundlers see it), read and compiled once per process.
 */
export function shippedModule(entry: string, name: string, url: () => URL, legacyFs: (() => NodeFs) | null): WebAssembly.Module {
  const done = compiled.get(name);
  if (done) return done;
  // by its href: a bundler that rewrites `new URL(…, import.meta.url)` to point at the asset it emitted
  // (Turbopack in Next.js) hands back its own URL class, which node:fs refuses as not an instance of URL
  let href: string;
  try {
    href = String(url().href);
  } catch (error) {
    throw bundledAway(entry, name, `new URL('./${name}', import.meta.url) failed (${(error as Error).message})`, error);
  }
  if (!href.startsWith('file:')) {
    throw bundledAway(entry, name, `a bundler rewrote new URL('./${name}', import.meta.url) to "${bounded(href)}", which is no file (Next.js's Turbopack does in server bundles)`);
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = readAll(nodeFs(legacyFs), new URL(href));
  } catch (error) {
    throw bundledAway(entry, name, `cannot read ${bounded(href)} (${(error as Error).message}); a bundler may have moved this code away from it`, error);
  }
  const module = new WebAssembly.Module(bytes);
  compiled.set(name, module);
  return module;
}

/**
 * The file's bytes, read through a descriptor into a buffer that doubles when full: a fresh process runs less of
 * node:fs's JavaScript for the first time than through `readFileSync` (≈ 0.15 ms less of the cold start; an
 * `fstat` to size the buffer costs more than that), and `readvSync` less than `readSync` (whose first call validates
 * its offset, length and position through helpers compiled then: 0.10 against 0.17 ms of CPU in a fresh process).
 */
function readAll(fs: NodeFs, path: URL): Uint8Array<ArrayBuffer> {
  const fd = fs.openSync(path, 'r');
  try {
    let buffer = new Uint8Array(FIRST_READ);
    let length = 0;
    for (;;) {
      const read = fs.readvSync(fd, [buffer.subarray(length)]);
      if (read <= 0) return buffer.subarray(0, length);
      length += read;
      if (length === buffer.length) {
        const grown = new Uint8Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

// every shipped binary fits (the largest, avsb-compiler.wasm, ≈ 56 KB): one read, and the one that finds the end
const FIRST_READ = 1 << 16;

function nodeFs(legacyFs: (() => NodeFs) | null): NodeFs {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  if (fs !== undefined) return fs;
  if (legacyFs === null) throw new Error('this runtime has no process.getBuiltinModule to reach node:fs with');
  return legacyFs();
}

const bounded = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** Where the file went missing, and the ways to hand the engine over without it. */
function bundledAway(entry: string, name: string, problem: string, cause?: unknown): Error {
  const inline = name === 'avsb-evaluator.wasm' ? 'evaluatorWasmBytes()' : 'engineWasmBytes()';
  return new Error(
    `${entry}: ${name} cannot be read here: ${problem}. Pass the engine instead: ${inline} of ` +
      `'@avsb/engine/wasm-inline' (new AvsbServer({ engineWasm: ${inline} }) with @avsb/node, ` +
      `AvsbEngine.createSync(${inline}) with the engine alone), or keep @avsb/engine out of the bundle (serverExternalPackages in Next.js)`,
    { cause },
  );
}
