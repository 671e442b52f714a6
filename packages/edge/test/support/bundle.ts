// Bundles a test app with esbuild the way wrangler and Next.js bundle a
// user's code: Web-standard platform, no Node built-ins, `.wasm` imports left
// to the runtime (workerd turns them into CompiledWasm modules).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The full engine `@avsb/engine/avsb-engine.wasm` resolves to (JSON datafiles). */
export const ENGINE_WASM_PATH = fileURLToPath(new URL('../../../engine/dist/avsb-engine.wasm', import.meta.url));
/** The evaluator `@avsb/engine/avsb-evaluator.wasm` resolves to (compiled datafiles). */
export const EVALUATOR_WASM_PATH = fileURLToPath(new URL('../../../engine/dist/avsb-evaluator.wasm', import.meta.url));

export function engineWasmBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(ENGINE_WASM_PATH));
}

export function evaluatorWasmBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(EVALUATOR_WASM_PATH));
}

/** The names the bundle imports the two binaries by; the runtime is given each binary under its name. */
export const WASM_MODULE_NAME = 'avsb-engine.wasm';
export const EVALUATOR_MODULE_NAME = 'avsb-evaluator.wasm';

/** Bundles `fixtures/<name>` into one ESM module (`esm`) or a classic script (`iife`). */
export async function bundle(name: string, format: 'esm' | 'iife'): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))],
    bundle: true,
    write: false,
    format,
    platform: 'browser',
    conditions: ['workerd', 'worker', 'edge-light', 'browser'],
    target: 'es2022',
    logLevel: 'silent',
    // `import wasm from '@avsb/engine/avsb-evaluator.wasm'` (or avsb-engine.wasm) stays an import of the binary (a CompiledWasm module in workerd)
    plugins: [
      {
        name: 'wasm-module',
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: `./${args.path.endsWith(EVALUATOR_MODULE_NAME) ? EVALUATOR_MODULE_NAME : WASM_MODULE_NAME}`, external: true }));
        },
      },
    ],
    // the package under test from its source (its dependencies from their builds, as a user gets them)
    alias: { '@avsb/edge': fileURLToPath(new URL('../../src/index.ts', import.meta.url)) },
    external: ['cloudflare:*'],
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
  return result.outputFiles[0]!.text;
}
