// Paired passes that need a fresh `node` per sample: what the first moments of a process cost (V8 compiles the code
// on first use, the next call runs code tiered up during the first), which an in-process pass (sdk/paired.ts,
// bulk-paired.ts) cannot repeat. Each round runs one process per tree, the order alternating round by round (the
// first of a round has an advantage or a handicap: order bias). One runner, five modes:
//
//   --mode cold       the cold start by phase (cold-phases.ts; rows: its modes engine, evaluator, evaluator-raw,
//                     engine-raw, node, node-evaluator; default engine). THIS tree's cold-phases.js runs against each tree's
//                     @avsb/engine and @avsb/node: each tree gets a copy of this dist/ in a directory of its own whose
//                     node_modules/@avsb/{engine,node} link to that tree's packages, at the same depth for both, so
//                     Node resolves and realpaths the same way. Two trees. Per row a table: per phase each tree's
//                     median (ms) and the median of the pairs' ratios (second ÷ first) with their quartiles. The CPU
//                     rows (`cpuTotal`: the cold start with its imports; `cpuAfterImport`: bytes → first evaluation)
//                     are the ones to read on a shared machine.
//   --mode start      a server's start-up (cold-start.ts: import('@avsb/node'), new AvsbServer against a service on
//                     127.0.0.1, onReady(), the first read; rows: the service's delay in ms, 0, 2, 10, on the full
//                     engine, and evaluator-0, evaluator-2, evaluator-10 on the evaluator, whose compiled datafile is
//                     fetched after the stream's put, two delays; default 0,2,10). This runner serves it
//                     (start-service.ts) and lays the trees out as for --mode cold. A table per row, as there: wall
//                     and CPU, import → first read (`total`, `cpuTotal`) and from the constructor on (`afterImport`,
//                     `cpuAfterImport`). `--fetches default,fetch`: which `fetch` each tree's server is given: `default`
//                     none (the SDK's own: node:http since http-12), `fetch` Node's global fetch, `http`
//                     http-fetch-sketch.ts's (default `default` for both); with one tree twice
//                     (`main=/work/main main-fetch=/work/main`) it measures what loading undici costs.
//   --mode load-1000  the 1,000-flag rows (rows: engine = cold-load.ts, evaluator = cold-load-evaluator.ts, node =
//                     cold-load-node.ts; default engine,evaluator). Each tree runs its OWN built scripts against its
//                     own packages. Per row and tree the median CPU ms (min–max) of create + first load and of a later
//                     load, and the median (min–max) of the rounds' ratios to the first tree.
//   --mode request-new  a new user's request in a process of its own (sdk/fresh-request.ts; rows: new, returning;
//                     default new): THIS tree's script against each tree's @avsb/node (or `hand=hand`, the
//                     hand-written floor), so each build collects only its own garbage, unlike sdk/paired.ts where
//                     both share one heap. Per row and tree the median CPU ns per request (min–max) over
//                     `--requests` (default 200,000) requests, collections included, the scavenges and their pause
//                     time, the old space's growth per request, and the median (min–max) of the rounds' ratios to
//                     the first tree. Two or more trees (`main=/work/main again=/work/main` is the A/A control).
//   --mode import     one `import()` by the package's bare name, the first thing a fresh process does (cold-import.ts;
//                     rows: engine = `@avsb/engine/node`, whose exports the evaluator's cold start uses too, node =
//                     `@avsb/node`; default engine,node). Laid out as for --mode cold (each tree's packages linked
//                     from a directory of its own, the same depth for both), so Node resolves, reads and realpaths
//                     the way an application's import does; a table per row as there: `cpu` (every thread of the
//                     process) and `wall`, ms. Two trees; `main=/work/main main2=/work/main` is the A/A control.
//
// One compiled document for every tree (this tree's compiler, cold-compiled.ts): the rows compare loading it, not
// compiling it.
//   node dist/fresh-paired.js --mode cold|start|load-1000|request-new|import [--rounds 15] [--rows a,b] main=/work/main mine=/work/wt-NAME
// (run both orders: `mine=… main=…` too). Replaced cold-paired.js (`--pairs N --mode M` is `--mode cold --rounds N
// --rows M`) and cold-load-paired.js (`--mode load-1000`), whose outputs these are.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeCompiledDocuments, writeCompiledDocuments } from './cold-compiled.js';
import type { ColdLoadRow } from './cold-load-row.js';
import { median, parsePairedArgs, type PairedArgs } from './paired-pass.js';
import { startService } from './start-service.js';
import type { FreshRequestRow } from './sdk/fresh-request.js';

const USAGE =
  'node dist/fresh-paired.js --mode cold|start|load-1000|request-new|import [--rounds N] [--rows a,b] [--fetches default,fetch] [--requests N] base=/path/to/tree other=/path/to/tree …';

const MODES = {
  cold: { rows: ['engine', 'evaluator', 'evaluator-raw', 'engine-raw', 'node', 'node-evaluator'], defaultRows: ['engine'] },
  start: { rows: ['0', '2', '10', 'evaluator-0', 'evaluator-2', 'evaluator-10'], defaultRows: ['0', '2', '10'] },
  'load-1000': { rows: ['engine', 'evaluator', 'node'], defaultRows: ['engine', 'evaluator'] },
  'request-new': { rows: ['new', 'returning'], defaultRows: ['new'] },
  import: { rows: ['engine', 'node'], defaultRows: ['engine', 'node'] },
} as const;
type Mode = keyof typeof MODES;

const LOAD_SCRIPTS: Record<string, string> = { engine: 'cold-load.js', evaluator: 'cold-load-evaluator.js', node: 'cold-load-node.js' };

/** The `--mode` of the command line, before the rest is parsed: it decides which rows there are. */
function modeOf(argv: readonly string[]): Mode {
  const at = argv.indexOf('--mode');
  const mode = at >= 0 ? argv[at + 1] : undefined;
  if (mode === undefined || !Object.hasOwn(MODES, mode)) throw new Error(`--mode cold, start, load-1000, request-new or import; usage: ${USAGE}`);
  return mode as Mode;
}

/** Runs `script` in a fresh `node` and returns the JSON of its `<tag> {json}` line; this process's event loop runs meanwhile (--mode start serves the child). */
async function tagged<T>(script: string, argv: readonly string[], tag: string, nodeFlags: readonly string[] = []): Promise<T> {
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [...nodeFlags, script, ...argv], { encoding: 'utf8', env: process.env }, (error, stdout, stderr) => (error ? reject(new Error(`${script}: ${error.message}\n${stderr}`)) : resolve(stdout))),
  );
  const line = out.split('\n').find((l) => l.startsWith(`${tag} `));
  if (line === undefined) throw new Error(`${script}: no ${tag} line`);
  return JSON.parse(line.slice(tag.length + 1)) as T;
}

/** `rounds` samples per tree, one tree after the other, the order reversed every other round. */
async function alternate<T>(rounds: number, trees: number, sample: (tree: number) => Promise<T>): Promise<T[][]> {
  const samples = Array.from({ length: trees }, () => [] as T[]);
  for (let r = 0; r < rounds; r++) {
    const order = [...samples.keys()];
    if (r % 2 === 1) order.reverse();
    for (const t of order) samples[t]!.push(await sample(t));
  }
  return samples;
}

/** A directory holding a copy of this dist/ that imports `root`'s engine and node packages; its `script`. */
function layout(root: string, dir: string, script: string): string {
  mkdirSync(join(dir, 'node_modules/@avsb'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  cpSync(fileURLToPath(new URL('.', import.meta.url)), join(dir, 'dist'), { recursive: true });
  for (const name of ['engine', 'node']) symlinkSync(join(root, 'packages', name), join(dir, 'node_modules/@avsb', name));
  return join(dir, `dist/${script}`);
}

type Phases = Record<string, number>;

/** Per phase of two trees' paired samples: each tree's median (ms) and the median of the pairs' ratios with their quartiles. */
function phaseTable(title: string, [a, b]: string[], first: Phases[], second: Phases[]): string {
  const q = (xs: readonly number[], f: number): number => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(f * xs.length))]!;
  const names = [...new Set([...first, ...second].flatMap((p) => Object.keys(p)))].filter((k) => k !== 'mode' && k !== 'value');
  const lines = [`${title}, ${first.length} pairs (ms; ratio ${b} ÷ ${a}: median of the pairs' ratios [quartiles])`, `| phase | ${a} | ${b} | ratio |`, '|---|---:|---:|---:|'];
  for (const name of names) {
    const xs = first.map((p) => p[name] ?? 0);
    const ys = second.map((p) => p[name] ?? 0);
    const ratios = xs.map((x, i) => (x > 0 ? ys[i]! / x : NaN)).filter((r) => Number.isFinite(r));
    const ratio = ratios.length ? `${median(ratios).toFixed(2)}× [${q(ratios, 0.25).toFixed(2)}–${q(ratios, 0.75).toFixed(2)}]` : '–';
    lines.push(`| ${name} | ${median(xs).toFixed(3)} | ${median(ys).toFixed(3)} | ${ratio} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Two trees laid out side by side in a temporary directory (`layout`), `run` with their copies of `script`. */
async function laidOut(trees: PairedArgs<string>['trees'], mode: string, script: string, run: (scripts: string[]) => Promise<void>): Promise<void> {
  if (trees.length !== 2) throw new Error(`--mode ${mode} compares two trees; usage: ${USAGE}`);
  const base = mkdtempSync(join(tmpdir(), 'avsb-fresh-paired-'));
  try {
    await run(trees.map(({ label, root }) => layout(root, join(base, label.replace(/\W/g, '_')), script)));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

async function cold({ rounds, rows, trees }: PairedArgs<string>): Promise<void> {
  await laidOut(trees, 'cold', 'cold-phases.js', async (scripts) => {
    for (const row of rows) {
      const [first, second] = await alternate(rounds, 2, (t) => tagged<Phases>(scripts[t]!, [row], 'PHASES'));
      process.stdout.write(phaseTable(`cold-phases ${row}`, trees.map((t) => t.label), first!, second!));
    }
  });
}

async function importRows({ rounds, rows, trees }: PairedArgs<string>): Promise<void> {
  await laidOut(trees, 'import', 'cold-import.js', async (scripts) => {
    for (const row of rows) {
      const [first, second] = await alternate(rounds, 2, (t) => tagged<Phases>(scripts[t]!, [row], 'IMPORT'));
      process.stdout.write(phaseTable(`import ${row}`, trees.map((t) => t.label), first!, second!));
    }
  });
}

async function start({ rounds, rows, trees, options }: PairedArgs<string>): Promise<void> {
  const fetches = (options.get('fetches') ?? 'default,default').split(',');
  if (fetches.length !== 2 || fetches.some((f) => f !== 'default' && f !== 'fetch' && f !== 'http')) {
    throw new Error(`--fetches: two of default, fetch, http; usage: ${USAGE}`);
  }
  const service = await startService();
  try {
    await laidOut(trees, 'start', 'cold-start.js', async (scripts) => {
      for (const row of rows) {
        const evaluator = row.startsWith('evaluator-');
        service.delayMs = Number(evaluator ? row.slice('evaluator-'.length) : row);
        const argv = (t: number): string[] => [service.baseUrl, evaluator ? 'evaluator' : 'full', fetches[t]!];
        const [first, second] = await alternate(rounds, 2, (t) => tagged<Phases>(scripts[t]!, argv(t), 'START'));
        process.stdout.write(phaseTable(`start ${evaluator ? 'evaluator' : 'full engine'}, service delay ${service.delayMs} ms`, trees.map((t) => t.label), first!, second!));
      }
    });
  } finally {
    await service.close();
  }
}

async function load1000({ rounds, rows, trees }: PairedArgs<string>): Promise<void> {
  const fmt = (xs: readonly number[]) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  for (const row of rows) {
    const samples = await alternate(rounds, trees.length, (t) => tagged<ColdLoadRow>(join(trees[t]!.root, 'tools/bench/dist', LOAD_SCRIPTS[row]!), [], 'COLDLOAD'));
    for (const [i, tree] of trees.entries()) {
      const first = samples[i]!.map((s) => s.firstLoadCpuMs);
      const later = samples[i]!.map((s) => s.reloadCpuMs);
      const ratio = (pick: (s: ColdLoadRow) => number) => samples[i]!.map((s, r) => pick(s) / pick(samples[0]![r]!));
      const paired = i === 0 ? '' : `  ÷ ${trees[0]!.label}: first ${fmt(ratio((s) => s.firstLoadCpuMs))}, later ${fmt(ratio((s) => s.reloadCpuMs))}`;
      process.stdout.write(`${row} ${tree.label}: CPU ms, create + first ${fmt(first)}, later ${fmt(later)}${paired}\n`);
    }
  }
}

async function requestNew({ rounds, rows, trees, options }: PairedArgs<string>): Promise<void> {
  const script = fileURLToPath(new URL('./sdk/fresh-request.js', import.meta.url));
  const requests = options.get('requests') ?? '200000';
  const range = (xs: readonly number[], digits: number) =>
    `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
  for (const row of rows) {
    const samples = await alternate(rounds, trees.length, (t) =>
      tagged<FreshRequestRow>(script, ['--row', row, '--requests', requests, trees[t]!.root], 'REQUEST', ['--expose-gc']),
    );
    process.stdout.write(`request ${row}, ${rounds} rounds of ${requests} requests a process (median (min–max))\n`);
    for (const [i, tree] of trees.entries()) {
      const s = samples[i]!;
      const ratios = s.map((x, r) => x.cpuNs / samples[0]![r]!.cpuNs);
      const paired = i === 0 ? '' : `; ÷ ${trees[0]!.label} ${range(ratios, 3)}`;
      process.stdout.write(
        `  ${tree.label}: CPU ${range(s.map((x) => x.cpuNs), 0)} ns/request; scavenges ${range(s.map((x) => x.scavenges), 0)}, ` +
          `${range(s.map((x) => x.scavengeMs), 1)} ms; mark-compacts ${range(s.map((x) => x.markCompacts), 0)}; ` +
          `old space +${range(s.map((x) => x.oldGrowthPerRequest), 1)} B/request${paired}\n`,
      );
    }
  }
}

const argv = process.argv.slice(2);
const mode = modeOf(argv);
const args = parsePairedArgs<string>(argv, { rows: MODES[mode].rows, defaultRows: [...MODES[mode].defaultRows], options: ['mode', 'fetches', 'requests'], defaultRounds: 15, usage: USAGE });
if (mode === 'request-new') await requestNew(args);
// no compiled document: nothing but the import runs
else if (mode === 'import') await importRows(args);
else {
  await writeCompiledDocuments();
  try {
    if (mode === 'cold') await cold(args);
    else if (mode === 'start') await start(args);
    else await load1000(args);
  } finally {
    removeCompiledDocuments();
  }
}
