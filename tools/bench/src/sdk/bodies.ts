// The timed loops of the SDK level (a read: the 20 flags of a held scope; a
// request: scope + 20 reads + close), shared by `child.ts` (the bench's rows)
// and `paired.ts` (CPU-time passes of two builds in one process).
import { sinkOf } from '../measure.js';
import { FLAGS, type BenchContext } from '../workload.js';
import { YIELD_EVERY } from './index.js';
import type { SdkPeer } from './types.js';

const F = FLAGS.length;

/** A turn of the event loop: timers, I/O and event delivery run as in a server. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Where the loops fold what reads return, so that no read can be optimised away. */
export const folded = { value: 0 };

// Two copies of the same loops on purpose: the synchronous ones never `await` a
// read, so an SDK with a synchronous API is not charged a microtask per read.
export function bodies<S>(sdk: SdkPeer<S>, contexts: BenchContext[], scopes: S[]) {
  const N = contexts.length;
  const M = Math.max(1, scopes.length);
  const close = sdk.close?.bind(sdk) ?? (() => {});
  if (sdk.async) {
    return {
      read: async (start: number, count: number) => {
        let s = 0;
        for (let j = 0; j < count; j++) {
          const sc = scopes[(start + j) % M]!;
          for (let f = 0; f < F; f++) s += sinkOf(await sdk.get(sc, f));
          if ((j + 1) % YIELD_EVERY === 0) await tick();
        }
        folded.value += s;
        return count * F;
      },
      request: async (start: number, count: number) => {
        let s = 0;
        for (let j = 0; j < count; j++) {
          const sc = sdk.scope(contexts[(start + j) % N]!);
          for (let f = 0; f < F; f++) s += sinkOf(await sdk.get(sc, f));
          close(sc);
          if ((j + 1) % YIELD_EVERY === 0) await tick();
        }
        folded.value += s;
        return count;
      },
    };
  }
  return {
    read: async (start: number, count: number) => {
      let s = 0;
      for (let j = 0; j < count; j++) {
        const sc = scopes[(start + j) % M]!;
        for (let f = 0; f < F; f++) s += sinkOf(sdk.get(sc, f));
        if ((j + 1) % YIELD_EVERY === 0) await tick();
      }
      folded.value += s;
      return count * F;
    },
    request: async (start: number, count: number) => {
      let s = 0;
      for (let j = 0; j < count; j++) {
        const sc = sdk.scope(contexts[(start + j) % N]!);
        for (let f = 0; f < F; f++) s += sinkOf(sdk.get(sc, f));
        close(sc);
        if ((j + 1) % YIELD_EVERY === 0) await tick();
      }
      folded.value += s;
      return count;
    },
  };
}


/**
 * `paired.ts`'s request-allflags row: a request that takes every flag's value once (`allFlags`, where the SDK has it)
 * and then reads the 20 flags, as a server that bootstraps a page and renders its own part does. Synchronous SDKs only.
 */
export function requestWithAllFlags<S>(sdk: SdkPeer<S>, contexts: BenchContext[]) {
  const N = contexts.length;
  const all = sdk.allFlags?.bind(sdk) ?? (() => undefined);
  const close = sdk.close?.bind(sdk) ?? (() => {});
  return async (start: number, count: number) => {
    let s = 0;
    for (let j = 0; j < count; j++) {
      const sc = sdk.scope(contexts[(start + j) % N]!);
      s += all(sc) === undefined ? 0 : 1;
      for (let f = 0; f < F; f++) s += sinkOf(sdk.get(sc, f));
      close(sc);
      if ((j + 1) % YIELD_EVERY === 0) await tick();
    }
    folded.value += s;
    return count;
  };
}
