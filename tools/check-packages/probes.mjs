// Type-level probes of the signatures that take a compiled `.wasm`: checked in every mode of the consumer's tsc run,
// so a type that stops taking a real module, or starts taking anything (lib.dom's `WebAssembly.Module` is an empty
// interface, which a number satisfies), fails the check.

/**
 * Type-level uses of a package's public API that a user writes, for the packages whose signatures take a
 * compiled `.wasm`: a module from `@avsb/engine/node` must type-check, a number must not (each `@ts-expect-error` line
 * fails the check if the line compiles). Keyed by package; the lines go below the generated imports, but for
 * `/// <reference …>` lines, which go first (TypeScript reads a reference only before the file's first statement).
 */
const PROBES = new Map([
  [
    '@avsb/engine',
    [
      "import { AvsbEngine as ProbeEngine } from '@avsb/engine';",
      "import { engineWasmModule as probeModule } from '@avsb/engine/node';",
      'export const probeSync = ProbeEngine.createSync(probeModule());',
      'export const probeBytes = ProbeEngine.createSync(new Uint8Array(8));',
      '// @ts-expect-error a number is no compiled module',
      'ProbeEngine.createSync(42);',
      '// @ts-expect-error a number is no engine source',
      'void ProbeEngine.create(42);',
    ],
  ],
  [
    '@avsb/node',
    [
      "import { AvsbServer as ProbeServer } from '@avsb/node';",
      "import { engineWasmModule as probeModule } from '@avsb/engine/node';",
      "export const probeServer = new ProbeServer({ sdkKey: 'srv-probe', engineWasm: probeModule(), fullEngine: () => probeModule() });",
      '// @ts-expect-error a number is no engine',
      "void new ProbeServer({ sdkKey: 'srv-probe', engineWasm: 42 });",
      '// @ts-expect-error a number is no full engine',
      "void new ProbeServer({ sdkKey: 'srv-probe', fullEngine: 42 });",
    ],
  ],
  [
    '@avsb/edge',
    [
      "import { AvsbEdge as ProbeEdge } from '@avsb/edge';",
      "import { evaluatorWasmModule as probeModule } from '@avsb/engine/node';",
      "export const probeEdge = new ProbeEdge({ sdkKey: 'srv-probe', wasm: probeModule(), fullEngine: probeModule });",
      '// @ts-expect-error a number is no compiled module',
      "void new ProbeEdge({ sdkKey: 'srv-probe', wasm: 42 });",
      // the engines as a Worker (wrangler) and a Vercel Edge Function import them, typed by the declaration the
      // engine ships for them (README "Vercel Edge Functions"); a reference goes first in the file (consumerSource)
      '/// <reference types="@avsb/engine/wasm-imports" />',
      "import probeEvaluatorFile from '@avsb/engine/avsb-evaluator.wasm';",
      "import probeEngineFile from '@avsb/engine/avsb-engine.wasm';",
      "import probeEvaluatorQuery from '@avsb/engine/avsb-evaluator.wasm?module';",
      "import probeEngineQuery from '@avsb/engine/avsb-engine.wasm?module';",
      "export const probeWorker = new ProbeEdge({ sdkKey: 'srv-probe', wasm: probeEvaluatorFile, fullEngine: probeEngineFile });",
      "export const probeVercel = new ProbeEdge({ sdkKey: 'srv-probe', wasm: probeEvaluatorQuery, fullEngine: () => probeEngineQuery });",
      '// @ts-expect-error an imported engine is a compiled module, no number',
      'export const probeImportedNumber: number = probeEvaluatorFile;',
    ],
  ],
  [
    // Next's edge middleware takes the engines its two subpaths export; lib.dom's empty `WebAssembly.Module` took a number
    '@avsb/next',
    [
      "import probeNextEvaluator from '@avsb/next/evaluator';",
      "import probeNextEngine from '@avsb/next/engine';",
      "import type { WasmModule as ProbeWasmModule } from '@avsb/engine';",
      'export const probeNextModules: ProbeWasmModule[] = [probeNextEvaluator, probeNextEngine];',
      '// @ts-expect-error a number is no compiled engine',
      'export const probeNextNumber: typeof probeNextEvaluator = 42;',
    ],
  ],
  [
    // a page's project (bundler mode, lib.dom): the runtime's module, a compile in flight, a response and bytes
    '@avsb/browser',
    [
      "import { createClient as probeCreate } from '@avsb/browser';",
      'declare const probePageModule: WebAssembly.Module;',
      "const probeContext = { kind: 'user', key: 'probe' };",
      "export const probeClient = probeCreate({ clientKey: 'cli-probe', context: probeContext, engine: probePageModule });",
      "export const probeCompiling = probeCreate({ clientKey: 'cli-probe', context: probeContext, engine: WebAssembly.compileStreaming(fetch('/e.wasm')) });",
      "export const probeResponse = probeCreate({ clientKey: 'cli-probe', context: probeContext, engine: fetch('/e.wasm') });",
      "export const probeBytes = probeCreate({ clientKey: 'cli-probe', context: probeContext, engine: new Uint8Array(8) });",
      '// @ts-expect-error a number is no engine',
      "void probeCreate({ clientKey: 'cli-probe', context: probeContext, engine: 42 });",
    ],
  ],
]);

/**
 * Where the project's libraries declare `WebAssembly` (lib.dom; @cloudflare/workers-types, where a `.wasm` import
 * is such a module), the runtime's own module type is taken too.
 */
const WITH_WEBASSEMBLY = new Map([
  [
    '@avsb/engine',
    [
      'declare const probeRuntimeModule: WebAssembly.Module;',
      'export const probeRuntime = ProbeEngine.createSync(probeRuntimeModule);',
    ],
  ],
  [
    '@avsb/edge',
    ['declare const probeRuntimeModule: WebAssembly.Module;', "export const probeRuntime = new ProbeEdge({ sdkKey: 'srv-probe', wasm: probeRuntimeModule });"],
  ],
]);

/** The probe lines for a package in a mode (empty for most packages). */
export function probeLines(pkgName, mode) {
  return [...(PROBES.get(pkgName) ?? []), ...((mode !== 'node-only' && WITH_WEBASSEMBLY.get(pkgName)) || [])];
}
