// The 1,000-flag rows (cold-load.ts, cold-load-evaluator.ts) of two trees, paired: each round runs one fresh process
// per tree, in alternating order, and a tree's figure is the median over rounds of its CPU time ÷ the first tree's.
// The rows measure a fresh process (the first load pays V8's compiles, the second runs code tiered up during the first),
// which an in-process pass (sdk/paired.ts) cannot repeat, so each sample is its own `node`. CPU time, as the other
// paired passes (paired-pass.ts says why). Each tree runs its own built scripts against its own packages:
//   node dist/cold-load-paired.js [--rounds 15] [--rows engine,evaluator] main=/work/main mine=/work/wt-NAME
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { removeCompiledDocuments, writeCompiledDocuments } from './cold-compiled.js';
import type { ColdLoadRow } from './cold-load-row.js';
import { median, parsePairedArgs } from './paired-pass.js';

type Row = 'engine' | 'evaluator';
const SCRIPTS: Record<Row, string> = { engine: 'cold-load.js', evaluator: 'cold-load-evaluator.js' };

const args = parsePairedArgs<Row>(process.argv.slice(2), {
  rows: ['engine', 'evaluator'],
  defaultRows: ['engine', 'evaluator'],
  usage: 'node dist/cold-load-paired.js [--rounds N] [--rows engine,evaluator] base=/path/to/tree other=/path/to/tree …',
});

function sample(root: string, row: Row): ColdLoadRow {
  const out = execFileSync(process.execPath, [join(root, 'tools/bench/dist', SCRIPTS[row])], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('COLDLOAD '));
  if (line === undefined) throw new Error(`${root}: no COLDLOAD line`);
  return JSON.parse(line.slice('COLDLOAD '.length)) as ColdLoadRow;
}

const fmt = (xs: readonly number[]) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;

// one document for every tree (this tree's compiler): the rows compare loading it, not compiling it
if (args.rows.includes('evaluator')) await writeCompiledDocuments();
for (const row of args.rows) {
  const samples = args.trees.map(() => [] as ColdLoadRow[]);
  for (let r = 0; r < args.rounds; r++) {
    const order = args.trees.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) samples[i]!.push(sample(args.trees[i]!.root, row));
  }
  for (const [i, tree] of args.trees.entries()) {
    const first = samples[i]!.map((s) => s.firstLoadCpuMs);
    const later = samples[i]!.map((s) => s.reloadCpuMs);
    const ratio = (pick: (s: ColdLoadRow) => number) => samples[i]!.map((s, r) => pick(s) / pick(samples[0]![r]!));
    const paired = i === 0 ? '' : `  ÷ ${args.trees[0]!.label}: first ${fmt(ratio((s) => s.firstLoadCpuMs))}, later ${fmt(ratio((s) => s.reloadCpuMs))}`;
    process.stdout.write(`${row} ${tree.label}: CPU ms, create + first ${fmt(first)}, later ${fmt(later)}${paired}\n`);
  }
}
removeCompiledDocuments();
