import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rawEngine } from './support/wasm';
import { compileDatafile, compiledInstance } from './support/compiled';
import { guideDatafile } from './support/fixtures';

// V8 compiles each wasm function on its first call, so a cold start pays
// for every distinct function between instantiation and the first
// evaluation (README, "Size"; tools/bench/earlier-measurements.md, "Cold start on the evaluator
// after the eighth session's pass"). These pin what the eighth session's
// pass took off that path, on the release builds.

/** Each function of a release build's text format (build/*.wat) with the functions it calls directly. */
function calls(wat: string): Map<string, Set<string>> {
  const text = readFileSync(fileURLToPath(new URL(`../build/${wat}`, import.meta.url)), 'utf8');
  const out = new Map<string, Set<string>>();
  for (const body of text.split('\n (func ').slice(1)) {
    const name = body.slice(0, body.search(/[\s)]/));
    out.set(name, new Set([...body.matchAll(/\bcall (\S+)/g)].map((m) => m[1]!)));
  }
  return out;
}

describe('the first load and the first context', () => {
  it("the compiled datafile's reader allocates its lists with one StaticArray constructor (i32's), not one per element type", () => {
    const graph = calls('avsb-evaluator.wat');
    const reader = [...graph.keys()].filter((f) => f.startsWith('$assembly/compiled/reader/'));
    expect(reader.length).toBeGreaterThan(10);
    const constructors = new Set(reader.flatMap((f) => [...graph.get(f)!].filter((c) => /^\$~lib\/staticarray\/StaticArray<[^>]*>#constructor$/.test(c))));
    expect([...constructors]).toEqual(['$~lib/staticarray/StaticArray<i32>#constructor']);
  });

  const json = JSON.stringify(guideDatafile);
  const binaries = {
    'avsb-engine.wasm (JSON)': () => {
      const e = rawEngine('release');
      return { ...e, load: (): number => e.x.avsb_load(e.put(json)) as number };
    },
    'avsb-evaluator.wasm (compiled)': () => {
      const e = compiledInstance('evaluator');
      const bytes = compileDatafile(json);
      return { ...e, load: (): number => e.x.avsb_load_compiled(e.put(bytes)) as number };
    },
  };
  for (const [name, make] of Object.entries(binaries)) {
    it(`${name}: a binary context's 64 KiB of room after a small datafile is the load's own input buffer (nothing freed or copied)`, () => {
      const e = make();
      const small = e.x.avsb_input(16) as number;
      expect(e.load(), e.error()).toBe(0);
      // ContextEncoder's room (context-encoder.ts): the buffer the datafile was read from
      expect(e.x.avsb_input(1 << 16)).toBe(small);
      // more than that still moves it
      expect(e.x.avsb_input((1 << 16) + 1)).not.toBe(small);
      expect(e.x.avsb_ctx_create(e.put(JSON.stringify({ kind: 'user', key: 'u_1' }))), e.error()).toBeGreaterThan(0);
    });
  }
});
