// `pnpm bench`: one run of child processes, one per SDK, one after the other,
// so that the ratios are comparable; then cold starts; then the server SDKs
// (src/sdk/: one process each, events on); then the server load (src/server/:
// the server and the load generator in two more processes); then the report.
// Options: --only id,id  --cold-runs N  --no-write  --no-server  --server-only
//          --sdks id,id  --no-sdk  --sdk-only
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { ChildResult } from './child.js';
import { RUN_MS } from './measure.js';
import { SDK_IDS } from './peers/index.js';
import { removeCompiledDocuments, writeCompiledDocuments } from './cold-compiled.js';
import type { ColdLoadRow } from './cold-load-row.js';
import { renderEvaluatorColdMarkdown, type PhaseRow } from './cold-report.js';
import { renderColdLoadMarkdown, renderMarkdown, type SdkReport, type WasmSize } from './report.js';
import type { SdkChildResult } from './sdk/child.js';
import { SDK_LEVEL_IDS, SOAK, SOAK_S } from './sdk/index.js';
import { renderSdkMarkdown } from './sdk/report.js';
import { defaultServerOptions, runServerBench } from './server/bench.js';
import { renderServerMarkdown } from './server/report.js';
import { renderWorstCaseMarkdown, type WorstCaseRow } from './worst-case.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = join(here, '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
// --server-only: just the server section, printed, not written (results/latest.md keeps the whole report)
const serverOnly = args.includes('--server-only');
// --sdk-only: just the SDK-level section, printed, not written
const sdkOnly = args.includes('--sdk-only');
const withServer = serverOnly || (!sdkOnly && !args.includes('--no-server'));
const ids = serverOnly || sdkOnly ? [] : (opt('--only')?.split(',') ?? [...SDK_IDS]);
const sdkIds = serverOnly || (!sdkOnly && args.includes('--no-sdk')) ? [] : (opt('--sdks')?.split(',') ?? [...SDK_LEVEL_IDS]);
for (const id of sdkIds) {
  if (!(SDK_LEVEL_IDS as readonly string[]).includes(id)) throw new Error(`--sdks: unknown id ${id} (one of ${SDK_LEVEL_IDS.join(', ')})`);
}
const coldRuns = Number(opt('--cold-runs') ?? 7);
const log = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);

function runNode(script: string, id: string, flags: string[] = []): string {
  const r = spawnSync(process.execPath, [...flags, join(here, script), id], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${script} ${id} failed (exit ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function lineJson<T>(out: string, tag: string): T {
  const line = out.split('\n').find((l) => l.startsWith(`${tag} `));
  if (!line) throw new Error(`no ${tag} line in output:\n${out}`);
  return JSON.parse(line.slice(tag.length + 1)) as T;
}

function wasmSize(path: string | null): WasmSize | null {
  if (!path) return null;
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const loadAtStart = loadavg()[0]!;
// the evaluator rows load the workload compiled in this run (no checked-in artefact to drift)
const withEvaluator = ids.includes('avsb-evaluator');
if (withEvaluator) log(`compiled datafile documents: ${await writeCompiledDocuments()}`);
const reports: SdkReport[] = [];
for (const id of ids) {
  log(`${id}: agreement check, then timing…`);
  const result = lineJson<ChildResult>(runNode('child.js', id, ['--expose-gc']), 'RESULT');
  if (!result.agreement.ok) log(`${id}: DISAGREES with the reference (see the report)`);
  log(`${id}: ${result.eval.ns.toFixed(1)} ns/eval`);
  reports.push({ result, coldNs: null, coldRuns: [], coldImportNs: null, coldImportRuns: [], coldAfterImportNs: null, wasm: wasmSize(result.wasmPath) });
}
for (const rep of reports) {
  log(`${rep.result.id}: ${coldRuns} cold starts…`);
  for (let i = 0; i < coldRuns; i++) {
    const cold = lineJson<{ ns: number; importNs: number }>(runNode('cold.js', rep.result.id), 'COLD');
    rep.coldRuns.push(cold.ns);
    rep.coldImportRuns.push(cold.importNs);
  }
  rep.coldNs = rep.coldRuns.length ? median(rep.coldRuns) : null;
  rep.coldImportNs = rep.coldImportRuns.length ? median(rep.coldImportRuns) : null;
  rep.coldAfterImportNs = rep.coldRuns.length ? median(rep.coldRuns.map((ns, i) => ns - rep.coldImportRuns[i]!)) : null;
}

// a 1,000-flag datafile: create + first load in fresh processes (median), and a later load of it
let largeMd = '';
const rows: ColdLoadRow[] = [];
const evaluatorRows: ColdLoadRow[] = [];
// the same datafile through @avsb/node (AvsbServer's sink, as its polling source puts it): with the SDK rows
const nodeRows: ColdLoadRow[] = [];
const withNode = sdkIds.includes('avsb');
if (ids.includes('avsb') || ids.includes('avsb-index') || withEvaluator || withNode) {
  log(`engine: ${coldRuns} fresh processes loading a 1,000-flag datafile${withEvaluator ? ', alternating with the evaluator loading its compiled document' : ''}…`);
  for (let i = 0; i < coldRuns; i++) {
    rows.push(lineJson<ColdLoadRow>(runNode('cold-load.js', 'avsb'), 'COLDLOAD'));
    if (withEvaluator) evaluatorRows.push(lineJson<ColdLoadRow>(runNode('cold-load-evaluator.js', 'avsb-evaluator'), 'COLDLOAD'));
    if (withNode) nodeRows.push(lineJson<ColdLoadRow>(runNode('cold-load-node.js', 'avsb'), 'COLDLOAD'));
  }
  largeMd = renderColdLoadMarkdown(rows, nodeRows);
}

// bytes → first evaluation by phase, full engine and evaluator alternating in fresh processes
let evaluatorMd = '';
if (withEvaluator) {
  log(`engine, evaluator and the evaluator's raw exports: ${coldRuns} fresh processes each, timing the cold start's phases…`);
  const phases: Record<'engine' | 'evaluator' | 'evaluator-raw', PhaseRow[]> = { engine: [], evaluator: [], 'evaluator-raw': [] };
  for (let i = 0; i < coldRuns; i++) {
    for (const mode of ['engine', 'evaluator', 'evaluator-raw'] as const) phases[mode].push(lineJson<PhaseRow>(runNode('cold-phases.js', mode), 'PHASES'));
  }
  evaluatorMd = renderEvaluatorColdMarkdown(phases.engine, phases.evaluator, phases['evaluator-raw'], rows, evaluatorRows);
  removeCompiledDocuments();
}

// the engine's worst case within SPEC.md §10's limits, in its own process like the SDK rows
let worstMd = '';
if (!serverOnly && !sdkOnly) {
  log('engine: worst-case evaluation within documented limits…');
  worstMd = renderWorstCaseMarkdown(lineJson<WorstCaseRow[]>(runNode('worst-case.js', 'all'), 'WORSTCASE'));
}

let sdkMd = '';
if (sdkIds.length) {
  const loadAt = loadavg()[0]!;
  const results: SdkChildResult[] = [];
  for (const id of sdkIds) {
    log(`sdk ${id}: load, 10,000 requests (agreement check), timings, soak…`);
    const r = spawnSync(process.execPath, ['--expose-gc', join(here, 'sdk/child.js'), id], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const line = r.stdout.split('\n').find((l) => l.startsWith('SDKRESULT '));
    if (r.status !== 0 || !line) {
      // a crash is a bench failure, not an SDK that cannot run offline (that one reports itself as not measured)
      process.exitCode = 1;
      const last = r.stderr.trim().split('\n').slice(-3).join(' ');
      log(`sdk ${id}: FAILED (exit ${r.status}): ${r.stderr}`);
      results.push({ id, label: id, readApi: '–', requestApi: '–', events: '–', trackApi: '–', notMeasured: `the bench's child process failed (exit ${r.status}): ${last}`, agreement: null, readT: null, repeatT: null, requestT: null, repeatRequestT: null, trackT: null, memory: null, eventStats: '', sink: 0 });
      continue;
    }
    const result = JSON.parse(line.slice('SDKRESULT '.length)) as SdkChildResult;
    if (result.notMeasured !== null) log(`sdk ${id}: not measured: ${result.notMeasured}`);
    else log(`sdk ${id}: ${result.readT!.ns.toFixed(0)} ns/read, ${result.requestT!.ns.toFixed(0)} ns/request${result.agreement!.ok ? '' : ', DISAGREES with the reference'}`);
    results.push(result);
  }
  sdkMd = renderSdkMarkdown(results, { soak: SOAK, soakS: SOAK_S, load: [loadAt, loadavg()[0]!] });
}

let serverMd = '';
if (withServer) {
  const server = await runServerBench(defaultServerOptions(log));
  if (server.errors.length) process.exitCode = 1;
  serverMd = renderServerMarkdown(server);
}
if (serverOnly || sdkOnly) {
  process.stdout.write(serverOnly ? serverMd : sdkMd);
} else {
  const md =
    renderMarkdown(reports, {
      date: new Date().toISOString().slice(0, 10),
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      cores: availableParallelism(),
      node: process.version,
      command: args.length ? `pnpm --filter @avsb/bench run bench ${args.join(' ')}` : 'pnpm bench',
      coldRunsPerSdk: coldRuns,
      runMs: RUN_MS,
      load: [loadAtStart, loadavg()[0]!],
    }) +
    (largeMd ? `\n${largeMd}` : '') +
    (evaluatorMd ? `\n${evaluatorMd}` : '') +
    (worstMd ? `\n${worstMd}` : '') +
    (sdkMd ? `\n${sdkMd}` : '') +
    (serverMd ? `\n${serverMd}` : '');
  process.stdout.write(md);
  if (!args.includes('--no-write')) {
    mkdirSync(join(pkgRoot, 'results'), { recursive: true });
    writeFileSync(join(pkgRoot, 'results/latest.md'), md);
    log(`wrote ${join(pkgRoot, 'results/latest.md')}`);
  }
}
