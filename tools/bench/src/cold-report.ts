// The evaluator's cold-start section of the report: the phases of bytes →
// first evaluation on the full engine (JSON datafile), on the evaluator
// (compiled document) and on the evaluator's bare exports (the floor under
// the host), from cold-phases.ts run alternately in fresh processes, and the 1,000-flag rows of both (cold-load.ts,
// cold-load-evaluator.ts). Medians; ratios are within this run only.
import type { ColdLoadRow } from './cold-load-row.js';

/** One `PHASES` line of cold-phases.ts: milliseconds by phase, plus `total`. */
export type PhaseRow = Readonly<Record<string, number>>;

const PHASES: readonly (readonly [string, string])[] = [
  ['importNode', "`import('@avsb/engine/node')` (the main entry's exports too)"],
  ['importEngine', "`import('@avsb/engine')` (a build before the tenth session's)"],
  ['readCompile', 'read the `.wasm` + `new WebAssembly.Module`'],
  ['instantiate', '`AvsbEngine.createSync` (instance, its start function)'],
  ['parse', "`JSON.parse` of the compiled document (the JSON datafile's is in `load`)"],
  ['load', '`load(text)` / `loadCompiled(engine, parsed)`'],
  ['context', '`registerContext` (first, `ContextEncoder`)'],
  ['evaluate', "`evaluate(h, 'kill-switch')` (first)"],
];
const IMPORTS = new Set(['importEngine', 'importNode']);

const med = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number): string => `${n.toFixed(2)} ms`;
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');

/** The section: phases of both paths, and the 1,000-flag rows of both. */
export function renderEvaluatorColdMarkdown(engine: readonly PhaseRow[], evaluator: readonly PhaseRow[], raw: readonly PhaseRow[], largeJson: readonly ColdLoadRow[], largeEvaluator: readonly ColdLoadRow[]): string {
  const phase = (rows: readonly PhaseRow[], name: string): number | null => (rows.length && rows[0]![name] !== undefined ? med(rows.map((r) => r[name]!)) : null);
  // bytes → first evaluation: every phase after the imports, per process, then the median
  const afterImport = (rows: readonly PhaseRow[]): number => med(rows.map((r) => r.total! - (r.importEngine ?? 0) - (r.importNode ?? 0)));
  const lines = [
    '## Cold start on the evaluator',
    '',
    `\`avsb-evaluator.wasm\` (\`evaluatorWasmModule()\` of \`@avsb/engine/node\`) with the workload's datafile compiled in this run by \`compileDatafile\` (\`@avsb/engine/compiler\`), against the full engine with the JSON datafile; src/cold-phases.ts in ${engine.length} fresh processes each, alternating, medians (aim: bytes → first evaluation ≤ 1.5 ms, issue 9). \`raw exports\`: the evaluator driven through its exports alone (bytes decoded and the context's JSON encoded before the clock starts; \`avsb_ctx_create\` on JSON): what the host's JS adds to.`,
    '',
    '| phase | full engine, JSON | evaluator, compiled | evaluator / full | evaluator, raw exports |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const [name, label] of PHASES) {
    const a = phase(engine, name);
    const b = phase(evaluator, name);
    const c = phase(raw, name);
    if (a === null && b === null) continue;
    lines.push(`| ${label} | ${a === null ? '–' : ms(a)} | ${b === null ? '–' : ms(b)} | ${a !== null && b !== null ? ratio(b, a) : '–'} | ${c === null || IMPORTS.has(name) ? '–' : ms(c)} |`);
  }
  const importOf = (rows: readonly PhaseRow[]): number => med(rows.map((r) => [...IMPORTS].reduce((s, k) => s + (r[k] ?? 0), 0)));
  lines.push(`| **\`import()\`** | ${ms(importOf(engine))} | ${ms(importOf(evaluator))} | ${ratio(importOf(evaluator), importOf(engine))} | – |`);
  const rawTotal = raw.length ? ms(afterImport(raw)) : '–';
  lines.push(`| **bytes → first evaluation** | ${ms(afterImport(engine))} | ${ms(afterImport(evaluator))} | ${ratio(afterImport(evaluator), afterImport(engine))} | ${rawTotal} |`);
  const cpuA = phase(engine, 'cpuAfterImport');
  const cpuB = phase(evaluator, 'cpuAfterImport');
  const cpuC = phase(raw, 'cpuAfterImport');
  if (cpuA !== null && cpuB !== null) lines.push(`| CPU of bytes → first evaluation (the process's threads; steadier than wall time under load) | ${ms(cpuA)} | ${ms(cpuB)} | ${ratio(cpuB, cpuA)} | ${cpuC === null ? '–' : ms(cpuC)} |`);
  if (largeJson.length && largeEvaluator.length) {
    const row = (label: string, rows: readonly ColdLoadRow[]): string =>
      `| ${label} | ${(rows[0]!.bytes / 1024).toFixed(0)} KiB | ${ms(med(rows.map((r) => r.importMs)))} | ${ms(med(rows.map((r) => r.firstLoadMs)))} | ${ms(med(rows.map((r) => r.reloadMs)))} | ${ms(med(rows.map((r) => r.firstLoadCpuMs)))} |`;
    lines.push(
      '',
      `The 1,000-flag datafile (src/cold-load.ts) and its compiled document (src/cold-load-evaluator.ts: \`createSync(evaluatorWasmModule())\` + \`loadCompiled(engine, text)\`), ${largeEvaluator.length} fresh processes each, alternating, medians (aim: a load ≤ 5 ms):`,
      '',
      '| 1,000 flags | text | `import()` | create + first load | later load | CPU of create + first load |',
      '|---|---:|---:|---:|---:|---:|',
      row('full engine, JSON datafile', largeJson),
      row('evaluator, compiled document', largeEvaluator),
    );
  }
  lines.push('');
  return lines.join('\n');
}
