// @avsb/engine: the A vs B engine host. Two rows: `evaluate(h, key)` (full
// detail object) and the fast path `evaluateIndex(h, index)` + `variationValue`.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AvsbEngine } from '@avsb/engine';
import { FLAG_META, avsbDatafile, userContext, type BenchContext } from '../workload.js';
import type { Peer } from './types.js';

export function translate(): string {
  return JSON.stringify(avsbDatafile());
}

export const wasmPath = join(dirname(createRequire(import.meta.url).resolve('@avsb/engine/package.json')), 'dist/avsb-engine.wasm');

export function createPeer(mode: 'key' | 'index'): Peer<number> {
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
  return {
    label: mode === 'key' ? '@avsb/engine (`evaluate`)' : '@avsb/engine (`evaluateIndex` fast path)',
    api: mode === 'key' ? '`engine.evaluate(h, key)` (detail object)' : '`engine.evaluateIndex(h, i)` + `engine.variationValue(i, packedVariation(packed))`',
    prepare: '`engine.registerContext(ctx)` + `engine.releaseContext(h)`',
    bulkApi: mode === 'key' ? '`evaluateAll(engine, h)` (a read-only map of details) + `get(key)` per flag' : '`engine.evaluateAllPacked(h, into)` (a reused `Int32Array`) + `variationValue` per flag',
    async: false,
    wasmPath,
    sdkModule: '@avsb/engine',
    sdkModules: ['@avsb/engine/node'], // Node's loader of the .wasm file
    async load(payload) {
      const engineModule = await import('@avsb/engine');
      const { AvsbEngine, ContextEncoder } = engineModule;
      packedVariation = engineModule.packedVariation;
      evaluateAll = engineModule.evaluateAll;
      const { engineWasmModule } = await import('@avsb/engine/node');
      engine = AvsbEngine.createSync(engineWasmModule(), { contextEncoder: new ContextEncoder() });
      const res = engine.load(payload);
      if (!res.ok) throw new Error(`A vs B datafile rejected: ${res.error}`);
      indexes = FLAG_META.map((m) => engine.flagIndex(m.key));
    },
    prepareContext: (c: BenchContext) =>
      engine.registerContext(userContext(c)),
    releaseContext: (h) => engine.releaseContext(h),
    evaluate: mode === 'key' ? keyEval : indexEval,
    notes: () => [`engine linear memory with ${engine.liveContexts.toLocaleString('en-US')} registered contexts: ${(engine.memoryBytes / 1048576).toFixed(1)} MiB`],
    evaluateAll: mode === 'key' ? (h) => {
      // every flag read, as the 20 `evaluate` calls of the row beside it do: the map decodes only what is read
      const all = evaluateAll(engine, h);
      const values = new Array<unknown>(FLAG_META.length);
      for (let f = 0; f < FLAG_META.length; f++) {
        const d = all.get(FLAG_META[f]!.key)!;
        values[f] = d.variationIndex == null ? FLAG_META[f]!.defaultValue : d.value;
      }
      return values;
    } : (h) => {
      const packed = engine.evaluateAllPacked(h, into);
      const values = new Array<unknown>(packed.length);
      for (let i = 0; i < packed.length; i++) {
        const v = packedVariation(packed[i]!);
        values[i] = v < 0 ? undefined : engine.variationValue(i, v);
      }
      return values;
    },
  };
}
