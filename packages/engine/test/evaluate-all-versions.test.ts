import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AvsbEngine, ContextEncoder, loadCompiled, packedReasonKind } from '../src/index';
import { compileDatafile } from '../dist/compiler.js';
import { wasmModule } from './support/wasm';

// avsb_eval_all parses a context's version once for all the flags that compare
// it (eval/match.ts), and every top-level call forgets that parse first: a
// released context's record takes the next context, whose version may be other
// bytes of the same length at the same address. Whatever is parsed or reused,
// every flag answers, and charges its budget, as a single read does.

const evaluatorModule = new WebAssembly.Module(readFileSync(new URL('../dist/avsb-evaluator.wasm', import.meta.url)));

const rule = (op: string, value: string, attribute = 'appVersion') => ({
  id: `${op}-${value}`,
  clauses: [{ attribute, op, values: [value] }],
  serve: { variation: 0 },
});
const flag = (key: string, rules: object[]) => ({ key, on: true, variations: [true, false], rules, fallthrough: { variation: 1 } });
// a version of 100,000 bytes: each comparison charges 400,000 of the 4 Mi units an evaluation has (SPEC.md §10)
const long = `1.0.0-${'a'.repeat(99_994)}`;
const datafile = {
  schemaVersion: 1,
  flags: [
    flag('gt-2.3', [rule('semVerGreaterThan', '2.3.0')]),
    flag('lt-2.0', [rule('semVerLessThan', '2.0.0')]),
    flag('eq-2.5', [rule('semVerEqual', '2.5.0')]),
    flag('other-attribute', [rule('semVerGreaterThan', '1.0.0', 'osVersion')]),
    flag('no-version', [{ id: 'plain', clauses: [{ attribute: 'plan', op: 'in', values: ['pro'] }], serve: { variation: 0 } }]),
    // ten comparisons of the long version fit in one budget, eleven do not
    flag('long-ten', Array.from({ length: 10 }, (_, i) => rule('semVerEqual', i === 9 ? long : `9.9.${i}`))),
    flag('long-eleven', Array.from({ length: 11 }, (_, i) => rule('semVerEqual', i === 10 ? long : `9.9.${i}`))),
    flag('gt-2.3-again', [rule('semVerGreaterThan', '2.3.0')]),
  ],
};

const hosts = {
  'the release binary': () => AvsbEngine.createSync(wasmModule('release'), { contextEncoder: new ContextEncoder() }),
  'the debug binary': () => AvsbEngine.createSync(wasmModule('debug')),
  'the evaluator, compiled datafile': () => AvsbEngine.createSync(evaluatorModule),
};

function loaded(host: string, make: () => AvsbEngine): AvsbEngine {
  const e = make();
  if (host.startsWith('the evaluator')) {
    const c = compileDatafile(datafile);
    if (!c.ok) throw new Error(c.error);
    expect(loadCompiled(e, JSON.stringify(c.document)).ok).toBe(true);
  } else expect(e.load(datafile).ok).toBe(true);
  return e;
}

const singles = (e: AvsbEngine, h: number): number[] => e.flagKeys.map((_, i) => e.evaluateIndex(h, i));

for (const [host, make] of Object.entries(hosts)) {
  describe(`a context's version in avsb_eval_all on ${host}`, () => {
    it('answers what single reads answer, for versions that parse, that do not and that run out of budget', () => {
      const e = loaded(host, make);
      const contexts = [
        { key: 'u_1', appVersion: '2.5.0', osVersion: '0.9.0' },
        { key: 'u_2', appVersion: '1.5.0', osVersion: '3.0.0', plan: 'pro' },
        { key: 'u_3', appVersion: 'not a version' },
        { key: 'u_4', appVersion: 'v2.4.0-rc.1' },
        { key: 'u_5' },
        { key: 'u_6', appVersion: long },
        // a version that fails part way (its major read) between two comparisons of one that parsed
        { key: 'u_7', appVersion: '2.5.0', osVersion: '1.x' },
      ];
      const into = new Int32Array(datafile.flags.length);
      for (const ctx of contexts) {
        const h = e.registerContext(ctx);
        const expected = singles(e, h);
        expect([...e.evaluateAllPacked(h, into)], ctx.key).toEqual(expected);
        expect(singles(e, h), ctx.key).toEqual(expected);
        e.releaseContext(h);
      }
      const h = e.registerContext({ key: 'u_6', appVersion: long });
      const reasons = [...e.evaluateAllPacked(h)].map(packedReasonKind);
      expect(reasons[5]).toBe('RULE_MATCH'); // its tenth rule, the long version itself
      expect(reasons[6]).toBe('ERROR');
      expect(e.evaluate(h, 'long-eleven').reason).toEqual({ kind: 'ERROR', errorKind: 'EVALUATION_BUDGET' });
    });

    it('parses again in the next call, for a new context whose version lies where a released one lay', () => {
      const e = loaded(host, make);
      // same length, other bytes, other answers: 2.5.0 is above 2.3.0, 1.5.0 below 2.0.0
      const versions = ['2.5.0', '1.5.0', '2.5.0', '9.x.y', '1.5.0', '2.5.0'];
      let previous: number[] | null = null;
      for (const [i, appVersion] of versions.entries()) {
        const h = e.registerContext({ key: `u_${i}`, appVersion });
        // the first call after the release is a single read, then the bulk call (and the other way round)
        let all: number[];
        if (i % 2 === 0) {
          const first = e.evaluateIndex(h, 0);
          all = [...e.evaluateAllPacked(h)];
          expect(all[0], appVersion).toBe(first);
        } else {
          all = [...e.evaluateAllPacked(h)];
          expect(e.evaluateIndex(h, 0), appVersion).toBe(all[0]);
        }
        expect(all, appVersion).toEqual(singles(e, h));
        if (previous !== null) expect(all, appVersion).not.toEqual(previous);
        previous = all;
        e.releaseContext(h);
      }
    });
  });
}
