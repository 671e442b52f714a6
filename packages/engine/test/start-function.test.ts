import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rawEngine } from './support/wasm';
import { compileDatafile, compiledInstance } from './support/compiled';
import { bigDatafile, guideDatafile } from './support/fixtures';

// The module's start function runs in every instance before its first call,
// and V8 compiles each function it calls then: it builds nothing (README,
// "Instantiating runs almost no code"). The shared empty defaults it used to
// build are static data or built on first use; they must survive the
// collector and serve as before.

/** The functions the release build's start function calls, from its text format (build/*.wat). */
function startCalls(wat: string): string[] {
  const text = readFileSync(fileURLToPath(new URL(`../build/${wat}`, import.meta.url)), 'utf8');
  const from = text.indexOf('\n (func $~start');
  expect(from, `${wat} has a start function`).toBeGreaterThan(0);
  const body = text.slice(from + 1, text.indexOf('\n (func ', from + 1));
  return [...body.matchAll(/\bcall (\S+)/g)].map((m) => m[1]!);
}

describe('start function', () => {
  for (const wat of ['avsb-engine.wat', 'avsb-evaluator.wat']) {
    it(`${wat}: only sets up the collector's lists`, () => {
      expect(new Set(startCalls(wat))).toEqual(new Set(['$~lib/rt/tcms/initLazy']));
    });
  }
});

describe('shared empty defaults across collections', () => {
  const contexts = [{ kind: 'user', key: 'u-1', country: 'US', plan: 'pro' }, { kind: 'user', key: 'anon' }, { kind: 'org', key: 'o-9' }];

  for (const [name, datafile] of [['guide', guideDatafile], ['300 flags', bigDatafile(300)]] as const) {
    it(`${name}: the evaluator answers as the full engine with contexts made before the first load and collections between`, () => {
      const json = JSON.stringify(datafile);
      const engine = rawEngine('release');
      expect(engine.x.avsb_load(engine.put(json)), engine.error()).toBe(0);
      const ev = compiledInstance('evaluator');
      // indexed for the empty ruleset, built on this first use
      const early = contexts.map((c) => ev.x.avsb_ctx_create(ev.put(JSON.stringify(c))) as number);
      for (const h of early) expect(h).toBeGreaterThan(0);
      ev.x.avsb_collect();
      ev.x.avsb_collect(); // both colours of the collector have seen the static objects
      const bytes = compileDatafile(json);
      expect(ev.x.avsb_load_compiled(ev.put(bytes)), ev.error()).toBe(0);
      ev.x.avsb_collect();
      expect(ev.x.avsb_load_compiled(ev.put(bytes)), ev.error()).toBe(0); // a reload drops the first ruleset
      ev.x.avsb_collect();
      const flags = engine.x.avsb_flag_count() as number;
      expect(flags).toBeGreaterThan(0);
      contexts.forEach((c, k) => {
        const a = engine.x.avsb_ctx_create(engine.put(JSON.stringify(c))) as number;
        for (let i = 0; i < flags; i++) expect(ev.x.avsb_eval(early[k], i), `flag ${i}, ${JSON.stringify(c)}`).toBe(engine.x.avsb_eval(a, i));
      });
    });
  }
});
