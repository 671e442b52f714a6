// Renders the results as markdown.
import type { Agreement } from './agreement.js';
import type { ChildResult } from './child.js';
import { CONTEXT_COUNT, FLAGS } from './workload.js';

export interface WasmSize {
  raw: number;
  gzip: number;
}

export interface SdkReport {
  result: ChildResult;
  coldNs: number | null;
  coldRuns: number[];
  /** Median of the `import()` of the SDK's package alone. */
  coldImportNs: number | null;
  coldImportRuns: number[];
  /** Median of the rest: setup from the payload bytes to the first evaluation. */
  coldAfterImportNs: number | null;
  wasm: WasmSize | null;
}

export interface Meta {
  date: string;
  cpu: string;
  cores: number;
  node: string;
  command: string;
  coldRunsPerSdk: number;
  /** Minimum length of one timed run, ms. */
  runMs: number;
  /** 1-minute load average at the start and at the end of the run. */
  load: [number, number];
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ns = (n: number): string => (n < 100 ? n.toFixed(1) : int(n));
const kib = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The agreement check of one SDK as a list item (+ examples of mismatches). */
export function agreementLines(label: string, a: Agreement): string[] {
  const splits = a.splits.map((s) => `${s.id} n=${int(s.n)}: ${s.observed.map(pct).join('/')} vs ${s.expected.map(pct).join('/')}${s.ok ? '' : ' **OUT OF ±2%**'}`);
  return [
    `- **${label}**: ${a.ok ? 'agrees' : '**disagrees**'} — ${int(a.fixedChecked - a.fixedMismatches)}/${int(a.fixedChecked)} bucketing-independent results equal the reference${a.fixedMismatches ? ` (mismatches by flag: ${Object.entries(a.mismatchesByFlag).map(([k, n]) => `${k} ${int(n)}`).join(', ')})` : ''}; rollouts: ${splits.join('; ')}`,
    ...a.examples.map((e) => `  - e.g. ${e}`),
  ];
}

export function renderMarkdown(reports: SdkReport[], meta: Meta): string {
  const base = reports.find((r) => r.result.id === 'avsb')?.result.eval.ns;
  const lines: string[] = [];
  lines.push(`# A vs B benchmark results`, '');
  lines.push(`- date: ${meta.date}`);
  lines.push(`- machine: ${meta.cpu}, ${meta.cores} cores (nproc), Node ${meta.node}`);
  lines.push(`- command: \`${meta.command}\``);
  lines.push(`- 1-minute load average: ${meta.load[0].toFixed(2)} at the start, ${meta.load[1].toFixed(2)} at the end (other processes on the machine add noise)`);
  lines.push(`- workload: ${FLAGS.length} flags × ${int(CONTEXT_COUNT)} contexts; each timing is the median of 5 runs of ≥ ${meta.runMs} ms; cold start is the median of ${meta.coldRunsPerSdk} fresh processes`);
  lines.push('');
  lines.push('| SDK | ns / eval | vs A vs B `evaluate` | ns / context prep | ns / 20 flags (prep + 20 evals) | ns / all flags (bulk API) | cold start | of which `import()` | bytes to first evaluation | .wasm raw | .wasm gzip | agreement |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  const ms = (n: number | null): string => (n === null ? '–' : `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} ms`);
  for (const { result: r, coldNs, coldImportNs, coldAfterImportNs, wasm } of reports) {
    lines.push(
      `| ${r.label} | ${ns(r.eval.ns)} | ${base ? `${(r.eval.ns / base).toFixed(2)}×` : '–'} | ${ns(r.prep.ns)} | ${int(r.all20.ns)} | ${r.bulk ? int(r.bulk.ns) : '–'} | ${ms(coldNs)} | ${ms(coldImportNs)} | ${ms(coldAfterImportNs)} | ${wasm ? kib(wasm.raw) : '–'} | ${wasm ? kib(wasm.gzip) : '–'} | ${r.agreement.ok ? 'agrees' : '**DISAGREES**'} |`,
    );
  }
  lines.push('', '## What each row measures', '');
  lines.push('| SDK | evaluation | context preparation | bulk (all flags) |');
  lines.push('|---|---|---|---|');
  for (const { result: r } of reports) lines.push(`| ${r.label} | ${r.api} | ${r.prepare} | ${r.bulkApi ?? '–'} |`);
  lines.push('', '## Agreement check (before timing)', '');
  for (const { result: r } of reports) lines.push(...agreementLines(r.label, r.agreement));
  const notes = reports.flatMap(({ result: r }) => r.notes.map((n) => `- ${r.label}: ${n}`));
  if (notes.length) lines.push('', '## Notes', '', ...notes);
  lines.push('', '## Spread (ns per op of the 5 runs)', '');
  lines.push('| SDK | eval | prep | 20 flags | bulk | cold start runs (ms) |');
  lines.push('|---|---|---|---|---|---|');
  const runs = (xs: number[]): string => xs.map(ns).join(', ');
  for (const { result: r, coldRuns } of reports) {
    lines.push(`| ${r.label} | ${runs(r.eval.runs)} | ${runs(r.prep.runs)} | ${runs(r.all20.runs)} | ${r.bulk ? runs(r.bulk.runs) : '–'} | ${coldRuns.map((c) => (c / 1e6).toFixed(1)).join(', ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The 1,000-flag datafile row (src/cold-load.ts): medians over fresh processes; the aim is under 5 ms (issue 9). */
/** The figures of one 1,000-flag process (cold-load-row.ts' row). */
type ColdLoadFigures = { flags: number; bytes: number; importMs: number; firstLoadMs: number; reloadMs: number };

export function renderColdLoadMarkdown(rows: readonly ColdLoadFigures[], nodeRows: readonly ColdLoadFigures[] = []): string {
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const first = rows[0]!;
  const row = (label: string, rs: readonly ColdLoadFigures[]): string =>
    `| ${label} | ${first.flags.toLocaleString('en-US')} | ${med(rs.map((r) => r.importMs)).toFixed(2)} ms | ${med(rs.map((r) => r.firstLoadMs)).toFixed(2)} ms | ${med(rs.map((r) => r.reloadMs)).toFixed(2)} ms |`;
  const lines = [
    `## A 1,000-flag datafile`,
    '',
    `The workload's 20 flags 50 times under new keys (${first.flags.toLocaleString('en-US')} flags, ${(first.bytes / 1024).toFixed(0)} KiB of JSON), in ${rows.length} fresh processes (median; aim: a load under 5 ms). The engine: \`create + first load\` is \`AvsbEngine.createSync(engineWasmModule())\` and \`load(text)\` after \`import()\`; \`later load\`: the same text loaded again in that process.` +
      (nodeRows.length ? ` \`@avsb/node\` (src/cold-load-node.ts, alternating): \`new AvsbServer\` (its engine with \`lazyFlags\`) and the first put of the body as its polling source puts it (\`JSON.parse\` included); \`later load\`: the next revision, one flag changed, and its update's changed keys.` : ''),
    '',
    '| what loads | flags | `import()` | create + first load | later load |',
    '|---|---:|---:|---:|---:|',
    row('the engine', rows),
    ...(nodeRows.length ? [row('`@avsb/node`', nodeRows)] : []),
    '',
  ];
  return lines.join('\n');
}
