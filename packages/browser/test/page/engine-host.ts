// The conformance page: the engine loaded the way createClient loads it (compileStreaming of avsb-evaluator.wasm
// beside the bundle, or of avsb-engine.wasm, its fallback), exposed as a conformance host on `window.engineHost`. On the
// evaluator, `load` takes the compiled datafile document that Node's compileDatafile wrote of the vector's datafile.
import type { PageEngine } from '@avsb/engine';
import { isEvaluator, loadCompiled, loadDatafile } from '@avsb/engine';
import { loadEngine } from '../../src/engine-loader';
import { defaultWasmUrl } from '../../src/evaluator-url';
import { defaultFallbackWasmUrl } from '../../src/full-engine-url';

let engine: PageEngine | null = null;

const host = {
  /** `full`: avsb-engine.wasm (JSON datafiles); `evaluator`: avsb-evaluator.wasm (compiled datafile documents). */
  async start(binary: 'full' | 'evaluator' = 'full'): Promise<void> {
    engine = await loadEngine(undefined, binary === 'full' ? defaultFallbackWasmUrl() : defaultWasmUrl(), { fetch: (url) => fetch(url) });
  },
  load(datafile: unknown): { error: string | null; warnings: unknown[] } {
    const r = isEvaluator(engine!) ? loadCompiled(engine!, datafile as object) : loadDatafile(engine!, datafile as object | string);
    return r.ok ? { error: null, warnings: [...r.warnings] } : { error: r.error, warnings: [] };
  },
  evaluate(context: unknown, flagKey: string): unknown {
    let handle: number;
    try {
      handle = engine!.registerContext(context as object | string);
    } catch (e) {
      return (e as Error).message;
    }
    const d = engine!.evaluate(handle, flagKey);
    engine!.releaseContext(handle);
    return d;
  },
  /**
   * A whole vector file in one call (for Firefox over BiDi), as JSON text: the load outcome, then each evaluation's
   * result. Text because puppeteer's BiDi deserialiser turns an object the answer holds a second time into undefined,
   * and the engine's details share their reason objects.
   */
  run(job: { datafile: unknown; evaluations: [string, unknown, string][] }): string {
    const out: unknown[] = [host.load(job.datafile)];
    for (const [, context, flag] of job.evaluations) out.push(host.evaluate(context, flag));
    return JSON.stringify(out);
  },
};

declare global {
  interface Window {
    engineHost: typeof host;
  }
}

window.engineHost = host;
document.documentElement.dataset.loaded = 'true';
