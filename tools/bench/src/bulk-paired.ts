// Paired CPU-time passes of the bulk reads: two (or more) builds of
// @avsb/engine, each from its own tree, in ONE process, on both binaries,
// rows in alternating order. Each row is a request that reads all 20 flags of
// the workload: prep (register + release, binary encoding) + 20 single reads,
// or prep + one bulk call and a read of every flag, each value folded into a
// sink the same way. The bench's bulk column is timed apart from the single
// reads beside it, so under load it cannot tell ±100 ns; a ratio taken within
// one round here can (method: sdk/paired.ts).
//
// Usage (after `tsc -p tools/bench`; each tree built with `pnpm build`, or a
// directory holding a copy of packages/engine/{dist,package.json} as `engine/`):
//   node --expose-gc tools/bench/dist/bulk-paired.js [--rounds 6] [--rows singles,map-get,…] \
//     main=/work/main mine=/work/wt-x
// Rows: prep (register + release alone), singles (20 × `evaluate(h, key)`), map-get (`evaluateAll` + `get(key)`
// per flag), map-values (`values()`), map-foreach (`forEach`), map-entries
// (`for…of` over the map), packed (`evaluateAllPacked(h, into)` +
// `variationValue`), index (20 × `evaluateIndex` + `variationValue`), packed-only and index-only (the calls
// without the reads of the values).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AvsbEngine } from '@avsb/engine';
import { writeCompiledDocuments, compiledDocument, removeCompiledDocuments } from './cold-compiled.js';
import { ROWS, type Body, type Row } from './bulk-bodies.js';
import { avsbDatafile, makeContexts } from './workload.js';
import { cpuTime, median, parsePairedArgs } from './paired-pass.js';
import { runMain } from './run-main.js';

type Binary = 'engine' | 'evaluator';

const PLAN = { warmupMs: 150, runMs: 200, runs: 5 };

type EngineModule = typeof import('@avsb/engine');
type NodeModule = typeof import('@avsb/engine/node');

/** The engine package of a tree: `<root>/packages/engine`, or `<root>/engine` for a copied build. */
function engineDir(root: string): string {
  const inTree = join(root, 'packages/engine');
  return existsSync(inTree) ? inTree : join(root, 'engine');
}

async function loadEngine(root: string, binary: Binary): Promise<{ m: EngineModule; engine: AvsbEngine }> {
  const dir = engineDir(root);
  const m = (await import(pathToFileURL(join(dir, 'dist/index.js')).href)) as EngineModule;
  const node = (await import(pathToFileURL(join(dir, 'dist/node.js')).href)) as NodeModule;
  const module = binary === 'evaluator' ? node.evaluatorWasmModule() : node.engineWasmModule();
  const engine = m.AvsbEngine.createSync(module, { contextEncoder: new m.ContextEncoder() });
  const res = binary === 'evaluator' ? m.loadCompiled(engine, compiledDocument('bench')) : engine.load(JSON.stringify(avsbDatafile()));
  if (!res.ok) throw new Error(`datafile rejected: ${res.error}`);
  return { m, engine };
}

async function main(): Promise<void> {
  const { rounds, rows, trees, options } = parsePairedArgs(process.argv.slice(2), {
    rows: ROWS,
    defaultRows: ['singles', 'map-get', 'packed', 'index'],
    options: ['binaries'],
    usage: 'bulk-paired.js [--rounds N] [--rows a,b] [--binaries engine,evaluator] label=/tree …',
  });
  const binaries = (options.get('binaries')?.split(',') ?? ['engine', 'evaluator']) as Binary[];
  await writeCompiledDocuments();
  const contexts = makeContexts();
  const cells: { label: string; binary: Binary; row: Row; body: Body }[] = [];
  for (const { label, root } of trees) {
    for (const binary of binaries) {
      const { m, engine } = await loadEngine(root, binary);
      for (const row of rows) {
        // a copy of the loops per cell (bulk-bodies.ts says why)
        const bodies = (await import(`./bulk-bodies.js?${encodeURIComponent(`${label}-${binary}-${row}`)}`)) as typeof import('./bulk-bodies.js');
        cells.push({ label, binary, row, body: bodies.bodyOf(row, m, engine, contexts) });
      }
    }
  }
  removeCompiledDocuments();
  const ns = new Map<string, number[]>();
  const name = (c: { label: string; binary: Binary; row: Row }): string => `${c.binary} ${c.row} ${c.label}`;
  for (let r = 0; r < rounds; r++) {
    for (const c of r % 2 === 0 ? cells : [...cells].reverse()) ns.set(name(c), [...(ns.get(name(c)) ?? []), await cpuTime(c.body, PLAN)]);
    process.stderr.write(`round ${r + 1} of ${rounds} done\n`);
  }
  const ratio = (a: number[], b: number[]): number[] => a.map((x, i) => x / b[i]!);
  const range = (xs: number[]): string => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  const first = trees[0]!.label;
  for (const binary of binaries) {
    for (const row of rows) {
      const out = trees.map(({ label }) => {
        const xs = ns.get(`${binary} ${row} ${label}`)!;
        const toSingles = ratio(xs, ns.get(`${binary} singles ${label}`) ?? xs);
        // the bulk rows' real rival: 20 single reads by index, the same engine work and the same reads of the values
        const index = ns.get(`${binary} index ${label}`);
        const toIndex = index === undefined || row === 'index' ? null : ratio(xs, index);
        const toFirst = ratio(xs, ns.get(`${binary} ${row} ${first}`)!);
        return (
          `${label} ${median(xs).toFixed(0)} ns` +
          (row === 'singles' || !ns.has(`${binary} singles ${label}`) ? '' : `, ${median(toSingles).toFixed(3)}× singles (${range(toSingles)})`) +
          (toIndex === null ? '' : `, ${median(toIndex).toFixed(3)}× index (${range(toIndex)})`) +
          (label === first ? '' : `, ${median(toFirst).toFixed(3)} of ${first} (${range(toFirst)})`)
        );
      });
      console.log(`${binary} ${row}: ${out.join(' | ')}`);
    }
  }
}

runMain(main);
