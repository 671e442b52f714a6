import { expect, it } from 'vitest';
import { AvsbEngine } from '../src/index';
import { wasmModule, type Binary } from './support/wasm';

// Messages are static UTF-8 texts (assembly/util/text.ts) appended to the
// error buffer with the datafile's own strings, integers and JSON paths in
// between; a problem is written there once as "path: message" and copied into
// the warnings. These are the texts the engine wrote when messages were
// built as strings, word for word.

const flag = (key: string, extra: object) => ({ key, on: true, variations: [0, 1], fallthrough: { variation: 0 }, ...extra });

const problems = {
  schemaVersion: 1,
  segments: [
    { key: 's1', rules: [{ clauses: [{ op: 'segmentMatch', values: ['s2'] }] }] },
    { key: 's2', rules: [{ clauses: [{ op: 'segmentMatch', values: ['s1'] }] }] },
    { key: 'bad', included: 'u' },
  ],
  flags: [
    flag('a', { prerequisites: [{ key: 'b', variation: 0 }] }),
    flag('b', { prerequisites: [{ key: 'a', variation: 0 }] }),
    flag('c', { prerequisites: [{ key: 'a', variation: 7 }] }),
    flag('d', { rules: [{ clauses: [{ attribute: '/a~2', op: 'in', values: [1] }], serve: { variation: 1 } }] }),
    // 300 bytes of message end inside an "é": cut before it
    flag('e', { rules: [{ clauses: [{ attribute: 'x', op: 'a' + 'é'.repeat(200), values: [1] }], serve: { variation: 1 } }] }),
    flag('f', { fallthrough: { rollout: { kind: 'Experiment', variations: [{ variation: 0, weight: 100000 }] } } }),
    flag('g', { rules: [{ clauses: [{ attribute: 'n', op: 'lessThan', values: ['1'] }, { op: 'segmentMatch', values: ['bad'] }], serve: { variation: 1 } }] }),
    flag('h', { rules: [{ clauses: [{ attribute: 'v', op: 'semVerEqual', values: ['02.0.0'] }], serve: { variation: 1 } }] }),
    flag('i', { targets: [{ contextKind: 'multi', values: ['x'], variation: 0 }] }),
    flag('j', { offVariation: 2.5 }),
    flag('k', { fallthrough: { rollout: { kind: null, variations: [{ variation: 0, weight: 100000 }] } } }),
  ],
};

it.each<Binary>(['release', 'debug'])('writes each warning of a datafile word for word, quoted strings, paths and "→" included (%s)', (binary) => {
  const result = AvsbEngine.createSync(wasmModule(binary)).load(problems);
  if (!result.ok) throw new Error(result.error);
  expect(result.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
    'segments[2].included: must be an array, not a string',
    'segments[1].rules[0].clauses[0].values[0]: segment cycle "s1" → "s2" → "s1"',
    'flags[3].rules[0].clauses[0].attribute: attribute reference "/a~2" has a "~" not followed by 0 or 1',
    `flags[4].rules[0].clauses[0].op: unknown operator "a${'é'.repeat(140)}...`,
    'flags[5].fallthrough.rollout.kind: must be "rollout" or "experiment", not "Experiment"',
    'flags[6].rules[0].clauses[0].values[0]: must be a number for lessThan, not a string',
    'flags[6].rules[0].clauses[1].values[0]: segment "bad" has a problem, so this clause never matches',
    'flags[7].rules[0].clauses[0].values[0]: "02.0.0" is not a semantic version',
    `flags[8].targets[0].contextKind: "multi" is not a valid kind (letters, digits, '.', '_', '-'; not "kind" or "multi")`,
    'flags[9].offVariation: must be an integer from 0 to 1, not a fraction',
    'flags[10].fallthrough.rollout.kind: must be a string, not null',
    'flags[1].prerequisites[0]: prerequisite cycle "a" → "b" → "a"',
    'flags[2].prerequisites[0].variation: flag "a" has only 2 variations',
  ]);
});

it.each<Binary>(['release', 'debug'])('refuses a datafile with the problem that stopped it, after earlier warnings (%s)', (binary) => {
  const engine = AvsbEngine.createSync(wasmModule(binary));
  const dup = { schemaVersion: 1, segments: [{ key: 's', included: 'u' }], flags: [flag('k', {}), flag('k', {})] };
  expect(engine.load(dup)).toEqual({ ok: false, error: 'flags[1].key: duplicate key "k" (also at flags[0])' });
  expect(engine.load('{"schemaVersion":1,"flags":[tru]}')).toEqual({ ok: false, error: 'datafile: invalid JSON at byte 28: unexpected token' });
});
