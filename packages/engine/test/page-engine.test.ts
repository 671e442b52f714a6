import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AvsbEngine, ContextEncoder, PageEngine, loadCompiled, loadDatafile, useModule } from '../src/index';
import { compileDatafile } from '../dist/compiler.js';
import { guideDatafile } from './support/fixtures';
import { wasmBytes, wasmModule } from './support/wasm';

// PageEngine is what a page bundles: AvsbEngine without the JSON `load`
// method, the context encoder, `flagKeys` and the server metrics. Its loads
// are functions (loadDatafile, loadCompiled), and it recovers from a trap
// as AvsbEngine does.

const evaluatorModule = new WebAssembly.Module(readFileSync(new URL('../dist/avsb-evaluator.wasm', import.meta.url)));

/** Corrupts the engine's whole memory, as a bug in the .wasm would: its next call traps. */
function corrupt(engine: PageEngine): void {
  const x = (engine as unknown as { _x: { memory: WebAssembly.Memory } })._x;
  new Uint8Array(x.memory.buffer).fill(0xff);
}

/** A datafile with a broken clause and a refused one, to compare warnings and refusals. */
const withWarning = {
  ...guideDatafile,
  flags: [...guideDatafile.flags, { key: 'v', on: true, variations: [1, 2], rules: [{ clauses: [{ attribute: 'v', op: 'semVerEqual', values: ['02.0.0'] }], serve: { variation: 1 } }], fallthrough: { variation: 0 } }],
};

describe('PageEngine and AvsbEngine', () => {
  it('makes the class it is called on: a PageEngine has no load method, encoder, flagKeys or metrics', async () => {
    const pages = [PageEngine.createSync(wasmModule('release')), PageEngine.createSync(wasmBytes('release')), await PageEngine.create(wasmBytes('release'))];
    for (const page of pages) {
      expect(page).toBeInstanceOf(PageEngine);
      expect(page).not.toBeInstanceOf(AvsbEngine);
      for (const member of ['load', 'flagKeys', 'memoryBytes', 'liveContexts', 'faults', 'budgetExhaustions']) expect(member in page).toBe(false);
    }
    const fulls = [AvsbEngine.createSync(wasmModule('release')), await AvsbEngine.create(wasmBytes('release'), { contextEncoder: new ContextEncoder() })];
    for (const full of fulls) {
      expect(full).toBeInstanceOf(AvsbEngine);
      expect(full).toBeInstanceOf(PageEngine);
      expect(full.load(guideDatafile)).toMatchObject({ ok: true });
      expect(full.flagKeys).toEqual(['checkout-v2', 'ui-theme', 'banner']);
    }
  });

  it('loads with loadDatafile as AvsbEngine loads with load: results, warnings and refusals', () => {
    const inputs: (string | object | Uint8Array)[] = [
      guideDatafile,
      JSON.stringify(withWarning),
      new TextEncoder().encode(JSON.stringify(guideDatafile)),
      { ...guideDatafile, schemaVersion: 2 },
      '{"schemaVersion": 1, "flags": [',
    ];
    const page = PageEngine.createSync(wasmModule('release'));
    const full = AvsbEngine.createSync(wasmModule('release'));
    for (const input of inputs) {
      const expected = full.load(input);
      expect(loadDatafile(page, input)).toEqual(expected);
      const h = page.registerContext({ key: 'u_2', plan: 'pro' });
      expect(page.evaluate(h, 'checkout-v2')).toEqual(full.evaluate(full.registerContext({ key: 'u_2', plan: 'pro' }), 'checkout-v2'));
    }
    expect(loadDatafile(page, JSON.stringify(withWarning))).toMatchObject({ ok: true, warningCount: 1, warnings: [{ path: 'flags[3].rules[0].clauses[0].values[0]' }] });
    expect(loadDatafile(page, { ...guideDatafile, schemaVersion: 2 })).toEqual({ ok: false, error: 'schemaVersion: must be 1 (this engine reads datafile format v1)' });
  });

  for (const [what, load] of [
    ['the JSON text', (e: PageEngine) => loadDatafile(e, JSON.stringify(guideDatafile))],
    ['the parsed object', (e: PageEngine) => loadDatafile(e, JSON.stringify(guideDatafile), JSON.parse(JSON.stringify(guideDatafile)) as object)],
    ['a compiled datafile', (e: PageEngine) => loadCompiled(e, compileOk())],
  ] as const) {
    it(`rebuilds after a trap from ${what} it loaded, with every context under its handle`, () => {
      const page = PageEngine.createSync(what === 'a compiled datafile' ? evaluatorModule : wasmModule('release'));
      expect(load(page)).toMatchObject({ ok: true, revision: 7 });
      const a = page.registerContext({ key: 'u_1' });
      const b = page.registerContext(JSON.stringify({ key: 'u_2', plan: 'pro' }));
      page.releaseContext(page.registerContext({ key: 'gone' }));
      corrupt(page);
      expect(page.evaluate(a, 'checkout-v2').reason).toEqual({ kind: 'ERROR', errorKind: 'ENGINE_FAULT' });
      expect(page.evaluate(a, 'checkout-v2')).toEqual({ value: true, variationIndex: 1, reason: { kind: 'TARGET_MATCH' }, inExperiment: false });
      expect(page.evaluate(b, 'checkout-v2').reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'pro-plan' });
      expect(page.revision).toBe(7);
    });
  }

  it('moves from the evaluator to the full engine (useModule) and loads JSON there with loadDatafile, keeping its contexts', () => {
    const page = PageEngine.createSync(evaluatorModule);
    expect(loadCompiled(page, compileOk())).toMatchObject({ ok: true });
    const h = page.registerContext({ key: 'u_2', plan: 'pro' });
    expect(loadDatafile(page, guideDatafile)).toMatchObject({ ok: false, error: expect.stringMatching(/faulted/) });
    useModule(page, wasmModule('release'));
    expect(loadDatafile(page, { ...guideDatafile, revision: 8 })).toMatchObject({ ok: true, revision: 8 });
    expect(page.evaluate(h, 'checkout-v2').reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'pro-plan' });
  });
});

function compileOk(): object {
  const r = compileDatafile(guideDatafile);
  if (!r.ok) throw new Error(r.error);
  return r.document;
}
