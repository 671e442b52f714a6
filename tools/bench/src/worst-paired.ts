// Paired CPU-time passes of the worst cases (worst-case-evaluations.ts, and clause cases of worst-case.ts): two (or
// more) builds of @avsb/engine in ONE process, rows in alternating order (method: sdk/paired.ts). worst-case.ts
// times each case by wall clock in one window of ~23 evaluations, so on a busy machine one case can move by 2×
// against the others (the 65,535 `matches` rules at 492a98f: see the README's tenth-session subsection on them).
//
// Usage (after `tsc -p tools/bench`; each tree with packages/engine built):
//   node --expose-gc tools/bench/dist/worst-paired.js [--rounds 7] [--rows e3,e1,c0] [--replay yes] \
//     main=/work/main mine=/work/wt-x
// Rows: e<i> is EVALUATION_CASES[i] (e3: 65,535 `matches` rules), c<i> the clause cases below. `--replay yes` first
// runs on each evaluation row's engine what worst-case.ts ran before that case, so its heap is laid out as there.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AvsbEngine } from '@avsb/engine';
import { EVALUATION_CASES } from './worst-case-evaluations.js';
import { CASES } from './worst-case.js';
import { cpuTime, median, parsePairedArgs } from './paired-pass.js';
import { runMain } from './run-main.js';

const PLAN = { warmupMs: 150, runMs: 250, runs: 5 };

/** c0–c2, as earlier measurements cite them; the rest of worst-case.ts's clause cases follow, c3–c7. */
const FIRST_CLAUSES = ['matches, literal-led, found at the end', 'contains, value at the end', 'matches, class at every step'];

/** Clause cases of worst-case.ts, each as a flag of one clause. */
const CLAUSES = [
  ...FIRST_CLAUSES.map((name) => CASES.find((c) => c.name === name)!),
  ...CASES.filter((c) => !FIRST_CLAUSES.includes(c.name)),
];

const ROWS = [...EVALUATION_CASES.map((_, i) => `e${i}`), ...CLAUSES.map((_, i) => `c${i}`)];

function nameOf(row: string): string {
  const i = Number(row.slice(1));
  return row[0] === 'e' ? EVALUATION_CASES[i]!.name : CLAUSES[i]!.name;
}

function build(row: string): { datafile: object; context: object; flagKey: string } {
  const i = Number(row.slice(1));
  if (row[0] === 'e') return EVALUATION_CASES[i]!.build();
  const c = CLAUSES[i]!;
  return {
    datafile: { schemaVersion: 1, flags: [{ key: 'f', on: true, variations: [false, true], offVariation: 0, rules: [{ clauses: [{ attribute: 'a', op: c.op, values: [c.value] }], serve: { variation: 1 } }], fallthrough: { variation: 0 } }] },
    context: { key: 'u', a: c.attribute },
    flagKey: 'f',
  };
}

async function engineOf(root: string): Promise<AvsbEngine> {
  const dir = existsSync(join(root, 'packages/engine')) ? join(root, 'packages/engine') : join(root, 'engine');
  const m = (await import(pathToFileURL(join(dir, 'dist/index.js')).href)) as typeof import('@avsb/engine');
  const node = (await import(pathToFileURL(join(dir, 'dist/node.js')).href)) as typeof import('@avsb/engine/node');
  return m.AvsbEngine.createSync(node.engineWasmModule());
}

/**
 * Runs on `engine` what worst-case.ts runs before evaluation case `upTo` (every clause case, then the evaluation
 * cases before it, 23 evaluations each), so the engine's heap is as it was when worst-case.ts timed that case.
 */
function replay(engine: AvsbEngine, upTo: number): void {
  const prior = [
    ...CASES.map((c) => ({ datafile: { schemaVersion: 1, flags: [{ key: 'f', on: true, variations: [false, true], offVariation: 0, rules: [{ clauses: [{ attribute: 'a', op: c.op, values: [c.value] }], serve: { variation: 1 } }], fallthrough: { variation: 0 } }] }, context: { key: 'u', a: c.attribute }, flagKey: 'f' })),
    ...EVALUATION_CASES.slice(0, upTo).map((c) => c.build()),
  ];
  for (const { datafile, context, flagKey } of prior) {
    if (!engine.load(datafile).ok) throw new Error('replay: a datafile does not load');
    const ctx = engine.registerContext(context);
    const index = engine.flagIndex(flagKey);
    for (let i = 0; i < 23; i++) engine.evaluateIndex(ctx, index);
    engine.releaseContext(ctx);
  }
}

async function main(): Promise<void> {
  const { rounds, rows, trees, options } = parsePairedArgs(process.argv.slice(2), {
    rows: ROWS,
    defaultRows: ['e3'],
    options: ['replay'],
    usage: 'worst-paired.js [--rounds N] [--rows e3,c0] [--replay yes] label=/tree …',
  });
  const replaying = options.get('replay') === 'yes';
  const cells: { label: string; row: string; body: (start: number, count: number) => number }[] = [];
  for (const row of rows) {
    const { datafile, context, flagKey } = build(row);
    for (const { label, root } of trees) {
      // one engine per cell: each holds one datafile, as worst-case.ts's engine does while it times a case
      const engine = await engineOf(root);
      if (replaying && row[0] === 'e') replay(engine, Number(row.slice(1)));
      const loaded = engine.load(datafile);
      if (!loaded.ok) throw new Error(`${row}: ${loaded.error}`);
      const ctx = engine.registerContext(context);
      const index = engine.flagIndex(flagKey);
      let sink = 0;
      cells.push({
        label,
        row,
        body: (_start, count) => {
          for (let k = 0; k < count; k++) sink ^= engine.evaluateIndex(ctx, index);
          if (sink === 0x7fffffff) console.log(sink);
          return count;
        },
      });
    }
  }
  const ns = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    for (const c of r % 2 === 0 ? cells : [...cells].reverse()) {
      const key = `${c.row} ${c.label}`;
      ns.set(key, [...(ns.get(key) ?? []), await cpuTime(c.body, PLAN)]);
    }
    process.stderr.write(`round ${r + 1} of ${rounds} done\n`);
  }
  const first = trees[0]!.label;
  const range = (xs: number[]): string => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  for (const row of rows) {
    const base = ns.get(`${row} ${first}`)!;
    const out = trees.map(({ label }) => {
      const xs = ns.get(`${row} ${label}`)!;
      const ratios = xs.map((x, i) => x / base[i]!);
      return `${label} ${(median(xs) / 1e6).toFixed(3)} ms` + (label === first ? '' : `, ${median(ratios).toFixed(3)} of ${first} (${range(ratios)})`);
    });
    console.log(`${row} ${nameOf(row)}: ${out.join(' | ')}`);
  }
}

runMain(main);
