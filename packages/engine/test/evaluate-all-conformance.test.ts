import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCaseFiles } from '@avsb/conformance';
import type { EvaluationFile } from '@avsb/conformance';
import { AvsbEngine, ContextEncoder, LazyFlags, evaluateAll, loadCompiled } from '../src/index';
import { compileDatafile } from '../dist/compiler.js';
import { wasmModule } from './support/wasm';

// evaluateAll answers, for every flag, the detail a single read answers: over
// every evaluation vector of tools/conformance (each file's datafile, each
// case's context), on the full engine (release and debug, contexts as JSON
// and encoded, lazy flags) and on the evaluator with the compiled datafile.
// Each way of reading the map is compared, in flag order and out of it, and
// a second map of the same context (its details come from the shared cache)
// answers the same.

const files = loadCaseFiles().filter((f): f is EvaluationFile => f.type === 'evaluation');
const evaluatorModule = new WebAssembly.Module(readFileSync(new URL('../dist/avsb-evaluator.wasm', import.meta.url)));

const hosts = {
  'the release binary': () => AvsbEngine.createSync(wasmModule('release')),
  'the debug binary': () => AvsbEngine.createSync(wasmModule('debug')),
  'the release binary, encoded contexts and lazy flags': () => AvsbEngine.createSync(wasmModule('release'), { contextEncoder: new ContextEncoder(), lazyFlags: new LazyFlags() }),
  'the evaluator, compiled datafile': () => AvsbEngine.createSync(evaluatorModule),
};

function load(engine: AvsbEngine, host: string, datafile: unknown): void {
  if (host.startsWith('the evaluator')) {
    const c = compileDatafile(datafile as object);
    if (!c.ok) throw new Error(c.error);
    expect(loadCompiled(engine, JSON.stringify(c.document)).ok).toBe(true);
  } else expect(engine.load(datafile as object).ok).toBe(true);
}

for (const [host, make] of Object.entries(hosts)) {
  describe(`evaluateAll against single reads on ${host}`, () => {
    it.each(files.map((f) => [f.file, f] as const))('%s: every case’s context', (_, file) => {
      const engine = make();
      load(engine, host, file.datafile);
      const keys = engine.flagKeys;
      expect(keys.length).toBeGreaterThan(0);
      let compared = 0;
      for (const [name, context] of file.cases.map(([n, c]) => [n, c] as const)) {
        let h: number;
        try {
          h = engine.registerContext(context as object | string);
        } catch {
          continue; // an invalid context has no handle to read by (invalid-contexts.json pins its message)
        }
        const singles = keys.map((k) => [k, engine.evaluate(h, k)] as const);
        const all = evaluateAll(engine, h);
        expect(all.size, name).toBe(keys.length);
        expect([...all], name).toEqual(singles);
        expect([...all.keys()], name).toEqual(keys);
        expect([...all.values()], name).toEqual(singles.map(([, d]) => d));
        // in flag order, backwards and from a second map: the same details
        for (const [k, d] of singles) expect(all.get(k), `${name} ${k}`).toEqual(d);
        for (const [k, d] of [...singles].reverse()) expect(all.get(k), `${name} ${k}`).toEqual(d);
        const again = evaluateAll(engine, h);
        for (const [k] of singles) expect(again.get(k), `${name} ${k}`).toBe(all.get(k));
        expect(all.get('no-such-flag')).toBeUndefined();
        engine.releaseContext(h);
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  });
}
