// A conformance host (tools/conformance) that evaluates inside an edge
// runtime, through the test app's /conformance endpoints, and checks every
// answer against the same engine in Node, case by case, before the runner
// compares it with the vector.
import { AvsbEngine } from '@avsb/engine';
import { compileDatafile } from '@avsb/engine/compiler';
import type { ConformanceHost, HostResult, LoadOutcome } from '@avsb/conformance';
import { expect } from 'vitest';
import { bucketByRollout } from '../fixtures/bucket-by-rollout';
import { engineWasmBytes } from './bundle';

/** Sends a request to the runtime under test. */
export type RuntimeFetch = (path: string, body: unknown) => Promise<Response>;

interface Evaluated {
  rejected?: string;
  /** The engine's EvaluationDetail as it is: the runner maps its `variationIndex`. */
  result?: HostResult;
}

function nodeEvaluate(engine: AvsbEngine, context: unknown, flagKey: string): Evaluated {
  let handle: number;
  try {
    handle = engine.registerContext(context as object | string);
  } catch (e) {
    return { rejected: (e as Error).message };
  }
  const result = engine.evaluate(handle, flagKey);
  engine.releaseContext(handle);
  return { result };
}

/**
 * The host; `evaluations` counts the cases the runtime answered. On the
 * evaluator (`engine: 'evaluator'`) each vector's datafile reaches the runtime
 * as the compiled document Node's compiler writes of it (as JSON text, as it
 * travels), and the outcome of compiling it must be the full engine's; every
 * evaluation is still compared with the full engine in Node. `bucket`
 * (bucketing.json) goes through rollouts on the full engine, since the release
 * engine exports no hash.
 */
export function runtimeConformanceHost(send: RuntimeFetch, engine: 'evaluator' | 'full' = 'full'): ConformanceHost & { evaluations: number } {
  const module = new WebAssembly.Module(engineWasmBytes());
  const node = AvsbEngine.createSync(module);
  const nodeBuckets = AvsbEngine.createSync(module);
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await send(path, body);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const host = {
    evaluations: 0,
    async load(datafile: unknown): Promise<LoadOutcome> {
      if (engine === 'evaluator') {
        const r = node.load(datafile as object | string);
        const c = compileDatafile(datafile as object | string);
        const outcome = c.ok ? { error: null, warnings: [...c.warnings] } : { error: c.error, warnings: [] };
        expect(JSON.parse(JSON.stringify(outcome)), 'the compiler refuses and warns as the full engine does').toEqual(JSON.parse(JSON.stringify(r.ok ? { error: null, warnings: r.warnings } : { error: r.error, warnings: [] })));
        if (!c.ok) return outcome as LoadOutcome;
        const inRuntime = await post<LoadOutcome>('/conformance/load', { compiled: JSON.stringify(c.document) });
        expect(inRuntime, 'the runtime loads the compiled document').toEqual({ error: null, warnings: [] });
        return outcome as LoadOutcome;
      }
      const inRuntime = await post<LoadOutcome>('/conformance/load', { datafile });
      const r = node.load(datafile as object | string);
      // JSON round trip: what the runtime sent back is JSON too
      expect(inRuntime, 'the runtime loads the datafile as Node does').toEqual(JSON.parse(JSON.stringify(r.ok ? { error: null, warnings: r.warnings } : { error: r.error, warnings: [] })));
      return inRuntime;
    },
    async evaluate(context: unknown, flagKey: string): Promise<HostResult | string> {
      const inRuntime = await post<Evaluated>('/conformance/evaluate', { context, flagKey });
      host.evaluations++;
      expect(inRuntime, 'the runtime evaluates as Node does').toEqual(JSON.parse(JSON.stringify(nodeEvaluate(node, context, flagKey))));
      return inRuntime.rejected ?? inRuntime.result!;
    },
    async bucket(salt: string, value: string): Promise<number> {
      const { bucket } = await post<{ bucket: number | string }>('/conformance/bucket', { salt, value });
      expect(bucket, 'the runtime buckets as Node does').toBe(bucketByRollout(nodeBuckets, salt, value));
      if (typeof bucket === 'string') throw new Error(bucket);
      return bucket;
    },
  };
  return host;
}
