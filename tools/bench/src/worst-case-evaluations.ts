// Whole evaluations at the documented limits (SPEC.md §10: a 64 MiB
// datafile, a 1 MiB context, 65,535 rules), each built
// so that it needs far more work than one evaluation's budget and ends as
// ERROR / EVALUATION_BUDGET: the time of such an evaluation is the worst one
// evaluation can cost. worst-case.ts checks the answer, then times it.

/** One whole-evaluation case: a datafile, a context and the flag evaluated. */
export interface EvaluationCase {
  readonly name: string;
  /** What the datafile holds, for the report. */
  readonly datafileLabel: string;
  readonly contextLabel: string;
  /** Built when measured, so only one large datafile lives at a time. */
  readonly build: () => { datafile: object; context: object; flagKey: string };
}

const MB = 1_000_000;

function flagWith(rules: object[], extra: object = {}): object {
  return { key: 'f', on: true, variations: [false, true], offVariation: 0, rules, fallthrough: { variation: 0 }, ...extra };
}

function rulesOf(n: number, clause: (i: number) => object): object[] {
  return Array.from({ length: n }, (_, i) => ({ clauses: [clause(i)], serve: { variation: 1 } }));
}

const one = (flags: object[], context: object, segments: object[] = []) => ({
  datafile: { schemaVersion: 1, flags, segments },
  context,
  flagKey: 'f',
});

export const EVALUATION_CASES: readonly EvaluationCase[] = [
  {
    name: 'contains, periodic values',
    datafileLabel: "1 clause, 40 values 'ab' × ~50,000 + 'aa'",
    contextLabel: "'ab' × 500,000",
    build: () => one([flagWith(rulesOf(1, () => ({ attribute: 'a', op: 'contains', values: Array.from({ length: 40 }, (_, i) => 'ab'.repeat(49_999 - i) + 'aa') })))], { key: 'u', a: 'ab'.repeat(MB / 2) }),
  },
  {
    name: 'matches, an assertion at every step',
    datafileLabel: '40 rules `(?:\\Ba){1000}`',
    contextLabel: "'a' × 1,000,000",
    build: () => one([flagWith(rulesOf(40, () => ({ attribute: 'a', op: 'matches', values: ['(?:\\Ba){1000}'] })))], { key: 'u', a: 'a'.repeat(MB) }),
  },
  {
    name: 'matches, literal-led values skipping the attribute',
    datafileLabel: '1 clause, 200 values `@c<i>\\.io$`',
    contextLabel: "'x' × 1,000,000",
    build: () => one([flagWith(rulesOf(1, () => ({ attribute: 'a', op: 'matches', values: Array.from({ length: 200 }, (_, i) => `@c${i}\\.io$`) })))], { key: 'u', a: 'x'.repeat(MB) }),
  },
  {
    name: 'matches, 65,535 rules on a short attribute',
    datafileLabel: '65,535 rules `^x.*y$`',
    contextLabel: "'x' + 'a' × 100 + 'z'",
    build: () => one([flagWith(rulesOf(65_535, () => ({ attribute: 'a', op: 'matches', values: ['^x.*y$'] })))], { key: 'u', a: `x${'a'.repeat(100)}z` }),
  },
  {
    name: 'a rule of 500,000 cheap clauses',
    datafileLabel: "1 rule, 500,000 clauses `startsWith 'x'` (~27 MB)",
    contextLabel: "'x'",
    build: () => one([flagWith([{ clauses: Array.from({ length: 500_000 }, () => ({ attribute: 'a', op: 'startsWith', values: ['x'] })), serve: { variation: 1 } }])], { key: 'u', a: 'x' }),
  },
  {
    name: 'target lists against a 1 MB key',
    datafileLabel: '50 targets',
    contextLabel: "key 'k' × 999,980",
    build: () => one([flagWith([], { targets: Array.from({ length: 50 }, (_, i) => ({ values: [`k${i}`], variation: 1 })) })], { key: 'k'.repeat(MB - 20) }),
  },
  {
    name: 'a flag naming one prerequisite 500,000 times',
    datafileLabel: '2 flags, 500,000 prerequisite entries (~13 MB)',
    contextLabel: "key 'u'",
    build: () => ({
      datafile: {
        schemaVersion: 1,
        flags: [
          { key: 'p', on: true, variations: [0, 1], fallthrough: { variation: 0 } },
          { key: 'f', on: true, variations: [0, 1], fallthrough: { variation: 0 }, prerequisites: Array.from({ length: 500_000 }, () => ({ key: 'p', variation: 0 })) },
        ],
      },
      context: { key: 'u' },
      flagKey: 'f',
    }),
  },
  {
    name: 'semantic versions of 1 MB',
    datafileLabel: '40 rules `semVerEqual 1.0.0`',
    contextLabel: "'1.0.0-' + 'a' × 1,000,000",
    build: () => one([flagWith(rulesOf(40, () => ({ attribute: 'a', op: 'semVerEqual', values: ['1.0.0'] })))], { key: 'u', a: `1.0.0-${'a'.repeat(MB)}` }),
  },
  {
    name: 'segments, 65,535 segmentMatch rules',
    datafileLabel: '65,535 rules naming a segment with one rule',
    contextLabel: "key 'u', a: 'x'",
    build: () => one([flagWith(rulesOf(65_535, () => ({ op: 'segmentMatch', values: ['s'] })))], { key: 'u', a: 'x' }, [{ key: 's', included: ['zz'], rules: [{ clauses: [{ attribute: 'a', op: 'in', values: ['y'] }] }] }]),
  },
];
