import { createRequire } from 'node:module';

interface NodeFs {
  readFileSync(path: URL): Uint8Array<ArrayBuffer>;
}

let compiled: WebAssembly.Module | null = null;

/**
 * node:fs without an ESM `import` of it, which costs a fresh process 1.3 ms
 * (Node builds a module record of all its exports): `process.getBuiltinModule`
 * (Node 20.16+, Bun, Deno) takes 0.03 ms, `require` elsewhere under 1 ms.
 */
function nodeFs(): NodeFs {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (proc?.getBuiltinModule?.('node:fs') ?? createRequire(import.meta.url)('node:fs')) as NodeFs;
}

/** The location of the release `avsb-engine.wasm`, which ships beside this entry in `dist/`. */
export function engineWasmUrl(): URL {
  return new URL('./avsb-engine.wasm', import.meta.url);
}

/**
 * The release engine for Node, read with `readFileSync` and compiled once per
 * process, so every `AvsbEngine.createSync(engineWasmModule())` after the
 * first shares the compiled code. It never touches `fetch`, `Request` or
 * `Response`, whose first use makes Node load its fetch implementation
 * (15–20 ms).
 */
export function engineWasmModule(): WebAssembly.Module {
  if (compiled) return compiled;
  // by its href: a bundler that rewrites `new URL(…, import.meta.url)` to point at the asset it emitted
  // (Turbopack in Next.js) hands back its own URL class, which node:fs refuses as not an instance of URL
  let href: string;
  try {
    href = String(engineWasmUrl().href);
  } catch (error) {
    throw bundledAway(`new URL('./avsb-engine.wasm', import.meta.url) failed (${(error as Error).message})`, error);
  }
  if (!href.startsWith('file:')) {
    throw bundledAway(`a bundler rewrote new URL('./avsb-engine.wasm', import.meta.url) to "${bounded(href)}", which is no file (Next.js's Turbopack does in server bundles)`);
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = nodeFs().readFileSync(new URL(href));
  } catch (error) {
    throw bundledAway(`cannot read ${bounded(href)} (${(error as Error).message}); a bundler may have moved this code away from it`, error);
  }
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

const bounded = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** Where the file went missing, and the ways to hand the engine over without it. */
function bundledAway(problem: string, cause?: unknown): Error {
  return new Error(
    `@avsb/engine/node: avsb-engine.wasm cannot be read here: ${problem}. Pass the engine instead: engineWasmBytes() of ` +
      `'@avsb/engine/wasm-inline' (new AvsbServer({ engineWasm: engineWasmBytes() }) with @avsb/node, ` +
      `AvsbEngine.createSync(engineWasmBytes()) with the engine alone), or keep @avsb/engine out of the bundle (serverExternalPackages in Next.js)`,
    { cause },
  );
}
