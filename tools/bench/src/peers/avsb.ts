// @avsb/engine: the A vs B engine host. Three rows: `evaluate(h, key)` (full
// detail object), the fast path `evaluateIndex(h, index)` + `variationValue`,
// and `evaluate` on the evaluator (`avsb-evaluator.wasm`) with the workload's
// compiled datafile document (cold-compiled.ts).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AvsbEngine } from '@avsb/engine';
import { compiledDocument } from '../cold-compiled.js';
import { FLAG_META, avsbDatafile, userContext, type BenchContext } from '../workload.js';
import { sinkOf } from '../measure.js';
import type { Peer } from './types.js';

export function translate(): string {
  return JSON.stringify(avsbDatafile());
}

/** The compiled datafile document of the same workload, for the evaluator row. */
export function translateCompiled(): string {
  return compiledDocument('bench');
}

const distPath = (name: string): string => join(dirname(createRequire(import.meta.url).resolve('@avsb/engine/package.json')), 'dist', name);
export const wasmPath = distPath('avsb-engine.wasm');

export function createPeer(mode: 'key' | 'index' | 'evaluator'): Peer<number> {
  let engine: AvsbEngine;
  // from load()'s import(): a static import here would load the engine before the cold start's timed import()
  let packedVariation: (packed: number) => number;
  let evaluateAll: typeof import('@avsb/engine').evaluateAll;
  let indexes: number[] = [];
  // evaluateAllPacked copies into it: one array for the whole run, as a server would keep one
  const into = new Int32Array(FLAG_META.length);
  const keyEval = (h: number, flag: number): unknown => {
    const d = engine.evaluate(h, FLAG_META[flag]!.key);
    return d.variationIndex == null ? FLAG_META[flag]!.defaultValue : d.value;
  };
  const indexEval = (h: number, flag: number): unknown => {
    const i = indexes[flag]!;
    const packed = engine.evaluateIndex(h, i);
    const variation = packedVariation(packed);
    return variation < 0 ? FLAG_META[flag]!.defaultValue : engine.variationValue(i, variation);
  };
  const byKey = mode !== 'index';
  return {
    label: mode === 'key' ? '@avsb/engine (`evaluate`)' : mode === 'index' ? '@avsb/engine (`evaluateIndex` fast path)' : '@avsb/engine evaluator, compiled datafile (`evaluate`)',
    api: byKey ? '`engine.evaluate(h, key)` (detail object)' : '`engine.evaluateIndex(h, i)` + `engine.variationValue(i, packedVariation(packed))`',
    prepare: '`engine.registerContext(ctx)` + `engine.releaseContext(h)`',
    bulkApi: byKey ? '`evaluateAll(engine, h)` (a read-only map of details) + `get(key)` per flag' : '`engine.evaluateAllPacked(h, into)` (a reused `Int32Array`) + `variationValue` per flag',
    async: false,
    wasmPath: mode === 'evaluator' ? distPath('avsb-evaluator.wasm') : wasmPath,
    // Node's entry: the .wasm file's loader and the main entry's exports, one import as a Node application makes it
    sdkModule: '@avsb/engine/node',
    async load(payload) {
      const node = await import('@avsb/engine/node');
      const { AvsbEngine, ContextEncoder } = node;
      packedVariation = node.packedVariation;
      evaluateAll = node.evaluateAll;
      const module = mode === 'evaluator' ? node.evaluatorWasmModule() : node.engineWasmModule();
      engine = AvsbEngine.createSync(module, { contextEncoder: new ContextEncoder() });
      const res = mode === 'evaluator' ? node.loadCompiled(engine, payload) : engine.load(payload);
      if (!res.ok) throw new Error(`A vs B datafile rejected: ${res.error}`);
      indexes = FLAG_META.map((m) => engine.flagIndex(m.key));
    },
    prepareContext: (c: BenchContext) =>
      engine.registerContext(userContext(c)),
    releaseContext: (h) => engine.releaseContext(h),
    evaluate: byKey ? keyEval : indexEval,
    notes: () => [`engine linear memory with ${engine.liveContexts.toLocaleString('en-US')} registered contexts: ${(engine.memoryBytes / 1048576).toFixed(1)} MiB`],
    // Every flag read and its value folded as the 20-flag row's loop folds each single read's (child.ts), so that the
    // two rows differ only in the calls: no array of values the single reads do not build either.
    evaluateAll: byKey ? (h) => {
      const all = evaluateAll(engine, h);
      let s = 0;
      for (let f = 0; f < FLAG_META.length; f++) {
        const d = all.get(FLAG_META[f]!.key)!;
        s += sinkOf(d.variationIndex == null ? FLAG_META[f]!.defaultValue : d.value);
      }
      return s;
    } : (h) => {
      const packed = engine.evaluateAllPacked(h, into);
      let s = 0;
      for (let i = 0; i < packed.length; i++) {
        const v = packedVariation(packed[i]!);
        s += sinkOf(v < 0 ? FLAG_META[i]!.defaultValue : engine.variationValue(i, v));
      }
      return s;
    },
  };
}
