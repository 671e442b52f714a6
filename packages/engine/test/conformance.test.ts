import { describe, expect, it } from 'vitest';
import { runConformance } from '@avsb/conformance';
import { AvsbEngine, ContextEncoder, PageEngine, loadDatafile, shareContexts } from '../src/index';
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
// context encoding; without one, and as text, as JSON: every vector runs
// all three ways, so they agree. A page's engine (PageEngine, loadDatafile)
// registers them as JSON too, and loads through the same function as `load`.
const sameObject = (context: unknown) => context as object | string;
// With SharedContexts each vector's context is registered three times: the
// third registration of a flat context gets the handle the second left idle.
const encodings = {
  binary: { encoder: true, shared: false, page: false, asGiven: sameObject },
  'objects as JSON': { encoder: false, shared: false, page: false, asGiven: sameObject },
  'JSON text': { encoder: true, shared: false, page: false, asGiven: (context: unknown) => (typeof context === 'object' && context !== null ? JSON.stringify(context) : (context as string)) },
  'shared handles': { encoder: true, shared: true, page: false, asGiven: sameObject },
  'objects as JSON on a PageEngine': { encoder: false, shared: false, page: true, asGiven: sameObject },
};

for (const binary of ['release', 'debug'] as const) {
  for (const [encoding, { encoder, shared, page, asGiven }] of Object.entries(encodings)) {
    describe(`conformance on the ${binary} binary, contexts as ${encoding}`, () => {
      const created = AvsbEngine.createSync(wasmModule(binary), encoder ? { contextEncoder: new ContextEncoder() } : {});
      const full = page ? null : shared ? shareContexts(created) : created;
      const engine: PageEngine = full ?? PageEngine.createSync(wasmModule(binary));
      const bucket = bucketOf(rawEngine('test'));
      runConformance(
        {
          load(datafile) {
            const r = full !== null ? full.load(datafile as object | string) : loadDatafile(engine, datafile as object | string);
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
            return d;
          },
          bucket,
        },
        { describe, it, expect },
      );
      if (full !== null) {
        it('never runs out of the work budget on the vectors', () => {
          expect(full.budgetExhaustions).toEqual({ evaluations: 0, regexClauses: 0 });
        });
      }
    });
  }
}
