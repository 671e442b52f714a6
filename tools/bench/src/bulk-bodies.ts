// The timed loops of bulk-paired.ts. That script imports this module once per
// cell (tree × binary × row) under a query string of its own, so that every
// cell runs its own copy of the code, with its own type feedback: one copy
// shared by two trees' engine classes would read both through polymorphic
// inline caches, and the first tree would not be measured as a user's
// process runs it.
import type { AvsbEngine } from '@avsb/engine';
import { sinkOf } from './measure.js';
import { FLAG_META, userContext, type BenchContext } from './workload.js';

export const ROWS = ['prep', 'singles', 'map-get', 'map-values', 'map-foreach', 'map-entries', 'packed', 'index', 'map-only', 'packed-only', 'index-only'] as const;
export type Row = (typeof ROWS)[number];
export type Body = (start: number, count: number) => number;
type EngineModule = typeof import('@avsb/engine');

const F = FLAG_META.length;
/** What the loops fold the values they read into, so that no read can be optimised away. */
export let sink = 0;

/** A request that reads all 20 flags for one context, per `row`. */
export function bodyOf(row: Row, m: EngineModule, engine: AvsbEngine, contexts: BenchContext[]): Body {
  const N = contexts.length;
  const keys = FLAG_META.map((f) => f.key);
  const defaults = FLAG_META.map((f) => f.defaultValue);
  const indexes = keys.map((k) => engine.flagIndex(k));
  const into = new Int32Array(F);
  const { evaluateAll, packedVariation } = m;
  const request = (read: (h: number) => number): Body => (start, count) => {
    let s = 0;
    for (let j = 0; j < count; j++) {
      const h = engine.registerContext(userContext(contexts[(start + j) % N]!));
      s += read(h);
      engine.releaseContext(h);
    }
    sink += s;
    return count;
  };
  switch (row) {
    case 'prep':
      return request(() => 0);
    case 'singles':
      return request((h) => {
        let s = 0;
        for (let f = 0; f < F; f++) {
          const d = engine.evaluate(h, keys[f]!);
          s += sinkOf(d.variationIndex == null ? defaults[f] : d.value);
        }
        return s;
      });
    case 'map-get':
      return request((h) => {
        const all = evaluateAll(engine, h);
        let s = 0;
        for (let f = 0; f < F; f++) {
          const d = all.get(keys[f]!)!;
          s += sinkOf(d.variationIndex == null ? defaults[f] : d.value);
        }
        return s;
      });
    case 'map-values':
      return request((h) => {
        let s = 0;
        let f = 0;
        for (const d of evaluateAll(engine, h).values()) s += sinkOf(d.variationIndex == null ? defaults[f++] : (f++, d.value));
        return s;
      });
    case 'map-foreach':
      return request((h) => {
        let s = 0;
        evaluateAll(engine, h).forEach((d) => {
          s += sinkOf(d.value);
        });
        return s;
      });
    case 'map-entries':
      return request((h) => {
        let s = 0;
        for (const [k, d] of evaluateAll(engine, h)) s += k.length + sinkOf(d.value);
        return s;
      });
    case 'packed':
      return request((h) => {
        const packed = engine.evaluateAllPacked(h, into);
        let s = 0;
        for (let i = 0; i < F; i++) {
          const v = packedVariation(packed[i]!);
          s += sinkOf(v < 0 ? defaults[i] : engine.variationValue(i, v));
        }
        return s;
      });
    case 'map-only':
      return request((h) => evaluateAll(engine, h).size);
    case 'packed-only':
      return request((h) => engine.evaluateAllPacked(h, into)[3]!);
    case 'index-only':
      // 20 evaluateIndex calls without the reads of their values: `index` less this row is what those reads cost
      // between the calls, as `packed` less `packed-only` is what they cost after one call
      return request((h) => {
        let s = 0;
        for (let f = 0; f < F; f++) s += engine.evaluateIndex(h, indexes[f]!);
        return s;
      });
    case 'index':
      return request((h) => {
        let s = 0;
        for (let f = 0; f < F; f++) {
          const i = indexes[f]!;
          const v = packedVariation(engine.evaluateIndex(h, i));
          s += sinkOf(v < 0 ? defaults[f] : engine.variationValue(i, v));
        }
        return s;
      });
  }
}
