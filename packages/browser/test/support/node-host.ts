// Test support: the conformance host in Node (the same AvsbEngine the page runs), to compare the page with, case by case.
import { AvsbEngine } from '@avsb/engine';
import { engineWasmBytes } from '@avsb/engine/wasm-inline';
import { compileDatafile } from '@avsb/engine/compiler';

const node = AvsbEngine.createSync(engineWasmBytes());

export function nodeLoad(datafile: unknown): { error: string | null; warnings: unknown[] } {
  const r = node.load(datafile as object | string);
  return r.ok ? { error: null, warnings: [...r.warnings] } : { error: r.error, warnings: [] };
}

/** The result of one evaluation, or the message that rejected the context. */
export function nodeEvaluate(context: unknown, flagKey: string): unknown {
  let handle: number;
  try {
    handle = node.registerContext(context as object | string);
  } catch (e) {
    return (e as Error).message;
  }
  const d = node.evaluate(handle, flagKey);
  node.releaseContext(handle);
  return d;
}

/**
 * A vector's datafile for a page on the evaluator: the compiled document Node writes (`document`), and the load
 * outcome it stands for (the full engine's: the compiler refuses and warns as it does); `document` is null when refused.
 */
export function nodeCompile(datafile: unknown): { document: object | null; outcome: { error: string | null; warnings: unknown[] } } {
  const c = compileDatafile(datafile as object | string);
  return c.ok ? { document: c.document, outcome: { error: null, warnings: [...c.warnings] } } : { document: null, outcome: { error: c.error, warnings: [] } };
}
