import { describe, expect, it } from 'vitest';
import { runConformance } from '@avsb/conformance';
import { AvsbEngine, ContextEncoder, shareContexts } from '../src/index';
import { rawEngine, wasmModule } from './support/wasm';

// The language-neutral vectors of tools/conformance, run against this host
// on the release binary (and the debug binary, which keeps its assertions).

function bucketOf(raw: ReturnType<typeof rawEngine>) {
  const enc = new TextEncoder();
  return (salt: string, value: string): number => {
    const s = enc.encode(salt);
    const v = enc.encode(value);
    const ptr = raw.x.avsb_input(s.length + v.length) as number;
    const mem = new Uint8Array((raw.x.memory as WebAssembly.Memory).buffer);
    mem.set(s, ptr);
    mem.set(v, ptr + s.length);
    return raw.x.test_bucket(ptr, s.length, ptr + s.length, v.length) as number;
  };
}

// With a ContextEncoder, context objects reach the engine in the binary
// context encoding; without one (a page's engine), and as text, as JSON:
// every vector runs all three ways, so they agree.
const sameObject = (context: unknown) => context as object | string;
// With SharedContexts each vector's context is registered three times: the
// third registration of a flat context gets the handle the second left idle.
const encodings = {
  binary: { encoder: true, shared: false, asGiven: sameObject },
  'objects as JSON': { encoder: false, shared: false, asGiven: sameObject },
  'JSON text': { encoder: true, shared: false, asGiven: (context: unknown) => (typeof context === 'object' && context !== null ? JSON.stringify(context) : (context as string)) },
  'shared handles': { encoder: true, shared: true, asGiven: sameObject },
};

for (const binary of ['release', 'debug'] as const) {
  for (const [encoding, { encoder, shared, asGiven }] of Object.entries(encodings)) {
    describe(`conformance on the ${binary} binary, contexts as ${encoding}`, () => {
      const created = AvsbEngine.createSync(wasmModule(binary), encoder ? { contextEncoder: new ContextEncoder() } : {});
      const engine = shared ? shareContexts(created) : created;
      const bucket = bucketOf(rawEngine('test'));
      runConformance(
        {
          load(datafile) {
            const r = engine.load(datafile as object | string);
            return r.ok ? { error: null, warnings: r.warnings } : r.error;
          },
          evaluate(context, flagKey) {
            let handle: number;
            try {
              if (shared) for (let i = 0; i < 2; i++) engine.releaseContext(engine.registerContext(asGiven(context)));
              handle = engine.registerContext(asGiven(context));
            } catch (e) {
              return (e as Error).message;
            }
            const d = engine.evaluate(handle, flagKey);
            engine.releaseContext(handle);
            return { value: d.value, variation: d.variationIndex, reason: { ...d.reason }, inExperiment: d.inExperiment };
          },
          bucket,
        },
        { describe, it, expect },
      );
      it('never runs out of the work budget on the vectors', () => {
        expect(engine.budgetExhaustions).toEqual({ evaluations: 0, regexClauses: 0 });
      });
    });
  }
}
