// Two builds' cold starts side by side: this bench's cold-phases.js in fresh processes, alternating (the first of
// each pair alternates too: order bias), with the compiled documents written once for both. One script for both
// builds: each run's copy of this dist/ sits in a directory of its own whose node_modules/@avsb/engine (and node)
// link to that tree's packages, at the same depth for both, so Node resolves and realpaths the same way. Per phase:
// each build's median and the median of the pairs' ratios (second tree ÷ first) with their quartiles, so the spread
// shows. CPU rows (`cpuTotal`: the cold start with its imports; `cpuAfterImport`: bytes → first evaluation) are
// the ones to read on a shared machine.
// Usage: node dist/cold-paired.js [--pairs 15] [--mode engine|evaluator|evaluator-raw|node|node-evaluator] main=/work/main mine=/work/wt-x
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeCompiledDocuments, writeCompiledDocuments } from './cold-compiled.js';
import { median } from './paired-pass.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const pairs = Math.max(1, Math.min(200, Number(option('pairs', '15')) | 0));
const mode = option('mode', 'engine');
const trees = args.filter((a) => /^[\w-]+=/.test(a)).map((a) => a.split('=', 2) as [string, string]);
if (trees.length !== 2) throw new Error('usage: cold-paired.js [--pairs N] [--mode M] a=/tree b=/tree');

/** A directory holding a copy of this dist/ that imports `root`'s engine and node packages. */
function layout(root: string, dir: string): string {
  mkdirSync(join(dir, 'node_modules/@avsb'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  cpSync(fileURLToPath(new URL('.', import.meta.url)), join(dir, 'dist'), { recursive: true });
  for (const name of ['engine', 'node']) symlinkSync(join(root, 'packages', name), join(dir, 'node_modules/@avsb', name));
  return join(dir, 'dist/cold-phases.js');
}

type Phases = Record<string, number>;
const base = mkdtempSync(join(tmpdir(), 'avsb-cold-paired-'));
const scripts = trees.map(([name, root]) => layout(root, join(base, name.replace(/\W/g, '_'))));
const run = (script: string): Phases => {
  const out = execFileSync(process.execPath, [script, mode], { encoding: 'utf8', env: process.env });
  const line = out.split('\n').find((l) => l.startsWith('PHASES '));
  if (line === undefined) throw new Error(`${script}: no PHASES line`);
  return JSON.parse(line.slice(7)) as Phases;
};

await writeCompiledDocuments();
const rows: Phases[][] = [[], []];
try {
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const t of order) rows[t]!.push(run(scripts[t]!));
  }
} finally {
  removeCompiledDocuments();
  rmSync(base, { recursive: true, force: true });
}

const q = (xs: readonly number[], f: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(f * xs.length))]!;
const names = [...new Set(rows.flatMap((r) => r.flatMap((p) => Object.keys(p))))].filter((k) => k !== 'mode' && k !== 'value');
const [a, b] = trees.map((t) => t[0]);
const lines = [`cold-phases ${mode}, ${pairs} pairs (ms; ratio ${b} ÷ ${a}: median of the pairs' ratios [quartiles])`, `| phase | ${a} | ${b} | ratio |`, '|---|---:|---:|---:|'];
for (const name of names) {
  const xs = rows[0]!.map((p) => p[name] ?? 0);
  const ys = rows[1]!.map((p) => p[name] ?? 0);
  const ratios = xs.map((x, i) => (x > 0 ? ys[i]! / x : NaN)).filter((r) => Number.isFinite(r));
  const ratio = ratios.length ? `${median(ratios).toFixed(2)}× [${q(ratios, 0.25).toFixed(2)}–${q(ratios, 0.75).toFixed(2)}]` : '–';
  lines.push(`| ${name} | ${median(xs).toFixed(3)} | ${median(ys).toFixed(3)} | ${ratio} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
