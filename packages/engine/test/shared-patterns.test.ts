import { describe, expect, it } from 'vitest';
import { compileDatafile, compiledInstance } from './support/compiled';
import { rawEngine } from './support/wasm';

// One compiled program per pattern text within a ruleset (ruleset/compile-clause.ts's regexOf, and the compiled
// datafile's regex table): 20,000 rules that name one pattern hold one program, not 20,000. A program of this
// pattern and its VM's scratch are ≈ 2–3 KB, so sharing is a difference of tens of MB in the engine's memory.

const RULES = 20_000;
const PATTERN = '^(a|b)*[a-z]+@example\\.com$';

/** A flag of `RULES` rules, each `email matches <pattern>` serving variation 1; pattern i is `pattern(i)`. */
function datafile(pattern: (i: number) => string): string {
  const rules = [];
  for (let i = 0; i < RULES; i++) rules.push({ clauses: [{ attribute: 'email', op: 'matches', values: [pattern(i)] }], serve: { variation: 1 } });
  return JSON.stringify({ schemaVersion: 1, flags: [{ key: 'f', on: true, variations: [false, true], fallthrough: { variation: 0 }, rules }] });
}

const same = datafile(() => PATTERN);
// as long as the shared one's text, so the two datafiles differ in nothing but how many programs they name
const distinct = datafile((i) => `^(a|b)*[a-z]+@e${String(i).padStart(5, '0')}\\.com$`);
const single = JSON.stringify({
  schemaVersion: 1,
  flags: [{ key: 'f', on: true, variations: [false, true], fallthrough: { variation: 0 }, rules: [{ clauses: [{ attribute: 'email', op: 'matches', values: [PATTERN] }], serve: { variation: 1 } }] }],
});
// an address the pattern matches (rule 0), and none (the fallthrough); an address it does not match would run
// every rule's program, past the evaluation budget
const CONTEXTS = ['{"key":"u1","email":"abba@example.com"}', '{"key":"u2"}'];

type Instance = { x: Record<string, any>; put: (input: string | Uint8Array) => number };

/** The growth of linear memory over loading `text` into a fresh instance, and the packed results of CONTEXTS. */
function loadAndEvaluate(make: () => Instance, load: (i: Instance, text: string) => number, text: string): { grown: number; results: number[] } {
  const i = make();
  const memory = () => (i.x.memory as WebAssembly.Memory).buffer.byteLength;
  i.put(text); // the input buffer's growth is not the ruleset's
  const before = memory();
  expect(load(i, text)).toBe(0);
  i.x.avsb_collect();
  const grown = memory() - before;
  const results = CONTEXTS.map((c) => i.x.avsb_eval(i.x.avsb_ctx_create(i.put(c)), 0) as number);
  return { grown, results };
}

describe.each([
  ['the full engine, JSON', () => rawEngine('release') as Instance, (i: Instance, t: string) => i.x.avsb_load(i.put(t)) as number],
  ['the evaluator, compiled', () => compiledInstance('evaluator') as Instance, (i: Instance, t: string) => i.x.avsb_load_compiled(i.put(compileDatafile(t))) as number],
])('%s', (_name, make, load) => {
  it(`holds one program for ${RULES.toLocaleString('en')} rules with one pattern`, () => {
    const shared = loadAndEvaluate(make, load, same);
    const own = loadAndEvaluate(make, load, distinct);
    // 20,000 programs take ≥ 40 MB; the shared one's load grows memory by the tree and the rules alone
    expect(own.grown - shared.grown).toBeGreaterThan(20_000_000);
    expect(shared.grown).toBeLessThan(own.grown / 3);
    // the same answers as one rule with the pattern: rule 0 matches, or the fallthrough serves
    expect(shared.results).toEqual(loadAndEvaluate(make, load, single).results);
    expect(new Set(shared.results).size).toBe(2);
  }, 60_000);
});
