// The row "worst-case evaluation within documented limits": one clause
// against a 1,000,000-byte attribute (a context is at most 1 MiB, SPEC.md
// §10), for the inputs that used to take seconds (issue 7, item 10) and for
// the most expensive regex steps (many threads alive, classes, assertions).
// Each case is checked for its expected variation before it is timed. Then
// whole evaluations that outgrow one evaluation's work budget
// (worst-case-evaluations.ts), checked to end as ERROR / EVALUATION_BUDGET.
// Run by run.ts in its own process: `node dist/worst-case.js` prints one
// `WORSTCASE <json>` line.
import { AvsbEngine, packedVariation } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import type { EvaluationCase } from './worst-case-evaluations.js';
import { EVALUATION_CASES } from './worst-case-evaluations.js';
import { cpuNs } from './paired-pass.js';

/** ERROR / EVALUATION_BUDGET, no variation (ABI.md, "Work budget"). */
const BUDGET_RESULT = 0x65fff;

/**
 * One measured case: the time of one evaluation of one flag with one clause
 * (`clause`), or of a whole evaluation that runs out of budget (`evaluation`:
 * `value` and `attribute` describe its datafile and context).
 */
export interface WorstCaseRow {
  readonly kind: 'clause' | 'evaluation';
  readonly name: string;
  readonly op: string;
  readonly value: string;
  readonly attribute: string;
  readonly medianMs: number;
  readonly maxMs: number;
  /** The runs' median CPU time (the process's, user + system): a row that a busy machine slowed moves in wall time only. */
  readonly cpuMedianMs: number;
  readonly runs: number;
}

/** Wall and CPU time of `runs` calls of `run`, the first three (V8 tiering the engine's functions up) dropped. */
function timeRuns(runs: number, run: () => void): Pick<WorstCaseRow, 'medianMs' | 'maxMs' | 'cpuMedianMs' | 'runs'> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = cpuNs();
    const t0 = process.hrtime.bigint();
    run();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpu.push((cpuNs() - c0) / 1e6);
  }
  const steady = wall.slice(3).sort((a, b) => a - b);
  const steadyCpu = cpu.slice(3).sort((a, b) => a - b);
  const mid = Math.floor(steady.length / 2);
  return { medianMs: steady[mid]!, maxMs: steady[steady.length - 1]!, cpuMedianMs: steadyCpu[mid]!, runs: steady.length };
}

interface Case {
  readonly name: string;
  readonly op: 'contains' | 'matches';
  readonly value: string;
  readonly attribute: string;
  readonly attributeLabel: string;
  /** The variation the flag must serve (1: the clause matched). */
  readonly expected: 0 | 1;
}

const MB = 1_000_000;

export const CASES: readonly Case[] = [
  { name: 'contains, 100,000-byte value (issue: 38 s)', op: 'contains', value: 'a'.repeat(99_999) + 'b', attribute: 'a'.repeat(MB), attributeLabel: "'a' × 1,000,000", expected: 0 },
  { name: 'contains, periodic value', op: 'contains', value: 'ab'.repeat(49_999) + 'aa', attribute: 'ab'.repeat(MB / 2), attributeLabel: "'ab' × 500,000", expected: 0 },
  { name: 'contains, value at the end', op: 'contains', value: 'needle', attribute: 'x'.repeat(MB - 6) + 'needle', attributeLabel: "'x' × 999,994 + 'needle'", expected: 1 },
  { name: 'matches, 4,000 threads alive (issue: 41 s)', op: 'matches', value: '(?:a{1000}){4}b', attribute: 'a'.repeat(MB), attributeLabel: "'a' × 1,000,000", expected: 0 },
  { name: 'matches, class at every step', op: 'matches', value: '[ab]{1000}b', attribute: 'a'.repeat(MB), attributeLabel: "'a' × 1,000,000", expected: 0 },
  { name: 'matches, assertion at every step', op: 'matches', value: '(?:\\Ba){1000}', attribute: 'a'.repeat(MB), attributeLabel: "'a' × 1,000,000", expected: 0 },
  { name: 'matches, 3,000-range class, non-ASCII', op: 'matches', value: classOf(3000) + '{1000}b', attribute: 'é'.repeat(MB / 2), attributeLabel: "'é' × 500,000", expected: 0 },
  { name: 'matches, literal-led, found at the end', op: 'matches', value: '@b\\.io$', attribute: 'x'.repeat(MB - 9) + 'user@b.io', attributeLabel: "'x' × 999,991 + 'user@b.io'", expected: 1 },
];

/** A class of `n` separate non-ASCII code points plus é: n + 1 ranges. */
function classOf(n: number): string {
  let s = '[';
  for (let i = 0; i < n; i++) s += `\\x{${(0x100 + 2 * i).toString(16)}}`;
  return s + '\\x{e9}]';
}

function measure(engine: AvsbEngine, c: Case, runs: number): WorstCaseRow {
  const loaded = engine.load({
    schemaVersion: 1,
    flags: [{ key: 'f', on: true, variations: [false, true], offVariation: 0, rules: [{ clauses: [{ attribute: 'a', op: c.op, values: [c.value] }], serve: { variation: 1 } }], fallthrough: { variation: 0 } }],
  });
  if (!loaded.ok) throw new Error(`${c.name}: the datafile does not load: ${loaded.error}`);
  const ctx = engine.registerContext({ key: 'u', a: c.attribute });
  const index = engine.flagIndex('f');
  const timed = timeRuns(runs, () => {
    const packed = engine.evaluateIndex(ctx, index);
    if (packedVariation(packed) !== c.expected) throw new Error(`${c.name}: served ${packedVariation(packed)}, expected ${c.expected}`);
  });
  engine.releaseContext(ctx);
  const value = c.value.length > 40 ? `${JSON.stringify(c.value.slice(0, 24))}… (${c.value.length.toLocaleString('en-US')} chars)` : JSON.stringify(c.value);
  return { kind: 'clause', name: c.name, op: c.op, value, attribute: c.attributeLabel, ...timed };
}

function measureEvaluation(engine: AvsbEngine, c: EvaluationCase, runs: number): WorstCaseRow {
  const { datafile, context, flagKey } = c.build();
  const loaded = engine.load(datafile);
  if (!loaded.ok || loaded.warningCount > 0) throw new Error(`${c.name}: the datafile does not load cleanly: ${loaded.ok ? loaded.warnings[0]?.message : loaded.error}`);
  const ctx = engine.registerContext(context);
  const index = engine.flagIndex(flagKey);
  const before = engine.budgetExhaustions.evaluations;
  const timed = timeRuns(runs, () => {
    const packed = engine.evaluateIndex(ctx, index);
    if (packed >>> 0 !== BUDGET_RESULT) throw new Error(`${c.name}: answered 0x${(packed >>> 0).toString(16)}, expected EVALUATION_BUDGET`);
  });
  if (engine.budgetExhaustions.evaluations - before !== runs) throw new Error(`${c.name}: not every run was counted`);
  engine.releaseContext(ctx);
  return { kind: 'evaluation', name: c.name, op: '', value: c.datafileLabel, attribute: c.contextLabel, ...timed };
}

/** Times every case (`runs` evaluations each, the first three as warm-up). */
export async function runWorstCase(runs = 23): Promise<WorstCaseRow[]> {
  const engine = await AvsbEngine.create(engineWasmModule());
  return [...CASES.map((c) => measure(engine, c, runs)), ...EVALUATION_CASES.map((c) => measureEvaluation(engine, c, runs))];
}

/** The markdown section of the report. */
export function renderWorstCaseMarkdown(rows: readonly WorstCaseRow[]): string {
  const lines = [
    '## Worst-case evaluation within documented limits',
    '',
    'One flag with one clause against a 1,000,000-byte attribute (contexts are at most 1 MiB); time of one `evaluateIndex`, median and maximum of the runs after warm-up, and the median of the runs\' CPU time (the process\'s: what a busy machine does not inflate). Aim: under 10 ms (SPEC.md §10).',
    '',
    '| case | op | value | attribute | median ms | max ms | median CPU ms |',
    '|---|---|---|---|---:|---:|---:|',
    ...rows.filter((r) => r.kind === 'clause').map((r) => `| ${r.name} | \`${r.op}\` | \`${r.value.replace(/\|/g, '\\|')}\` | ${r.attribute} | ${r.medianMs.toFixed(2)} | ${r.maxMs.toFixed(2)} | ${r.cpuMedianMs.toFixed(2)} |`),
    '',
    'Whole evaluations that need far more work than one evaluation may do (SPEC.md §10, "Cost of one evaluation"): each ends as `ERROR` / `EVALUATION_BUDGET` (checked, and counted by `budgetExhaustions`); its time is the most one evaluation can take.',
    '',
    '| case | datafile | context | median ms | max ms | median CPU ms |',
    '|---|---|---|---:|---:|---:|',
    ...rows.filter((r) => r.kind === 'evaluation').map((r) => `| ${r.name} | ${r.value.replace(/\|/g, '\\|')} | ${r.attribute} | ${r.medianMs.toFixed(2)} | ${r.maxMs.toFixed(2)} | ${r.cpuMedianMs.toFixed(2)} |`),
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('worst-case.js')) {
  const rows = await runWorstCase();
  process.stdout.write(`WORSTCASE ${JSON.stringify(rows)}\n`);
}
