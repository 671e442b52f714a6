// The conformance page: the engine loaded the way createClient loads it (compileStreaming of avsb-engine.wasm
// beside the bundle), exposed as a conformance host on `window.engineHost`.
import type { AvsbEngine } from '@avsb/engine';
import { defaultWasmUrl, loadEngine } from '../../src/engine-loader';

let engine: AvsbEngine | null = null;

const host = {
  async start(): Promise<void> {
    engine = await loadEngine(undefined, defaultWasmUrl(), (url) => fetch(url));
  },
  load(datafile: unknown): { error: string | null; warnings: unknown[] } {
    const r = engine!.load(datafile as object | string);
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
    return { value: d.value, variation: d.variationIndex, reason: { ...d.reason }, inExperiment: d.inExperiment };
  },
  /** A whole vector file in one call: the load outcome, then each evaluation's result (for Firefox over BiDi). */
  run(job: { datafile: unknown; evaluations: [string, unknown, string][] }): unknown[] {
    const out: unknown[] = [host.load(job.datafile)];
    for (const [, context, flag] of job.evaluations) out.push(host.evaluate(context, flag));
    return out;
  },
};

declare global {
  interface Window {
    engineHost: typeof host;
  }
}

window.engineHost = host;
document.documentElement.dataset.loaded = 'true';
