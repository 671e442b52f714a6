// Where a cold start's CPU goes, phase by phase, summed over many fresh processes: cold-phases.ts run under V8's
// sampling profiler (`--cpu-prof`, one sample every `--interval` µs), each sample given to the phase whose marks
// (cold-phases' `MARKS` line, the clock the profile stamps samples with) it falls between. One process samples a
// 0.3 ms phase a dozen times; thirty give a split to read. Per phase: the sampled ms per process, the leaf frames
// that took most (self time: a host function, a wasm function, V8's `(program)` or `(garbage collector)`), and the
// time under each function of @avsb/engine's host (the innermost host frame of the sample: the host function with
// the wasm code, runtime calls and lazy compiles it waited on).
// `--functions`: instead, one process under `--log-function-events`: each function of @avsb/engine's dist/ that V8
// compiled and first ran, in order, by its source name (through the source map), with the compile time V8 logged for it
// (the log's own cost inflates it: compare them with each other); those before the first `…WasmModule` ran at import.
// Usage: node dist/cold-profile.js [--runs 30] [--interval 25] [--top 12] [--functions] engine|evaluator|engine-raw|evaluator-raw|node|node-evaluator
// (this tree's cold-phases.js and packages; the profiler's own cost inflates every phase by about the same share).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { removeCompiledDocuments, writeCompiledDocuments } from './cold-compiled.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const USAGE = 'node dist/cold-profile.js [--runs 30] [--interval 25] [--top 12] [--functions] engine|evaluator|engine-raw|evaluator-raw|node|node-evaluator';
const options = { runs: 30, interval: 25, top: 12 };
let mode = 'engine';
let functions = false;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i]!;
  const name = arg.slice(2) as keyof typeof options;
  if (arg === '--functions') functions = true;
  else if (arg.startsWith('--') && name in options) options[name] = Number(argv[++i]);
  else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}; usage: ${USAGE}`);
  else mode = arg;
}

const script = fileURLToPath(new URL('./cold-phases.js', import.meta.url));

/** The source maps of the packages' dist/ files, by URL (null: none); a compacted entry is one line, its map says where. */
const maps = new Map<string, SourceMap | null>();
function mapOf(url: string): SourceMap | null {
  let map = maps.get(url);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return map;
}

/** Where a position of a package's dist/ file lies in its TypeScript source, and the name the map gives it there. */
function original(url: string, line: number, column: number): { source: string; line: number; name?: string } | null {
  const entry = mapOf(url)?.findEntry(line, column) as { originalSource?: string; originalLine?: number; name?: string } | undefined;
  if (entry?.originalSource === undefined) return null;
  return { source: entry.originalSource.replace(/^.*\/src\//, ''), line: entry.originalLine! + 1, name: entry.name };
}

/** A frame as the tables print it: the function and where it lives (a package's source file, `node:…`, wasm). */
function frameName(f: CallFrame): string {
  const fn = f.functionName || '(anonymous)';
  if (f.url === '') return fn;
  if (f.url.startsWith('wasm://')) return `wasm ${fn}`;
  const m = /packages\/([^/]+)\/dist\/(.*)$/.exec(f.url);
  if (m !== null) {
    const at = original(f.url, f.lineNumber, f.columnNumber);
    return at !== null ? `${at.name ?? fn} ${m[1]}/${at.source}:${at.line}` : `${fn} ${m[1]}/${m[2]}:${f.lineNumber + 1}`;
  }
  return `${fn} ${f.url.startsWith('node:') ? f.url : f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
}

const isHost = (f: CallFrame): boolean => /packages\/engine\/dist\//.test(f.url);

/** ms by key, summed over the processes. */
type Tally = Map<string, number>;
const add = (t: Tally, key: string, ms: number): void => void t.set(key, (t.get(key) ?? 0) + ms);

interface PhaseTally {
  total: number;
  self: Tally;
  host: Tally;
  kind: Tally;
}

/** Whose work a leaf frame is: the host's JavaScript, the wasm code (and its lazy compiles), V8's WebAssembly API, Node, the bench. */
function kindOf(f: CallFrame): string {
  if (f.url.startsWith('wasm://')) return 'wasm functions (their lazy compile included)';
  if (isHost(f)) return 'host JS (engine/src, its lazy compiles included)';
  if (f.url.startsWith('node:')) return 'Node\'s JS';
  if (f.url !== '') return 'bench script';
  if (/^(Module|Instance|GenericJSToWasmWrapper|.*Wasm.*)$/.test(f.functionName)) return `V8: ${f.functionName}`;
  return `other: ${f.functionName}`;
}

/** Runs cold-phases.js in a fresh `node` with `flags`; its stdout. */
function runPhases(flags: readonly string[]): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [...flags, script, mode], { encoding: 'utf8', env: { ...process.env, AVSB_COLD_MARKS: '1' } }, (error, out, stderr) =>
      error ? reject(new Error(`${script}: ${error.message}\n${stderr}`)) : resolve(out),
    ),
  );
}

async function runOne(dir: string): Promise<[string, number][]> {
  const stdout = await runPhases(['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', String(options.interval)]);
  const line = stdout.split('\n').find((l) => l.startsWith('MARKS '));
  if (line === undefined) throw new Error('cold-phases.js printed no MARKS line');
  return JSON.parse(line.slice(6)) as [string, number][];
}

/** `--functions`: the host functions one process compiled and ran, in the order they first ran. */
async function listFunctions(dir: string): Promise<void> {
  const log = join(dir, 'v8.log');
  await runPhases(['--log-function-events', `--logfile=${log}`, '--no-logfile-per-isolate']);
  const lines = readFileSync(log, 'utf8').split('\n');
  const scripts = new Map<string, string>();
  for (const l of lines) {
    const [kind, id, url] = l.split(',');
    if (kind === 'script-details' && url !== undefined && /packages\/engine\/dist\//.test(url)) scripts.set(id!, url);
  }
  // per function (script and start offset): V8's compile events' logged ms, and when it first ran
  const seen = new Map<string, { url: string; start: number; ms: number; first: number; name: string }>();
  for (const l of lines) {
    if (!l.startsWith('function,')) continue;
    const [, event, id, start, , ms, ts, ...name] = l.split(',');
    const url = scripts.get(id!);
    if (url === undefined) continue;
    const key = `${id}:${start}`;
    let f = seen.get(key);
    if (f === undefined) seen.set(key, (f = { url, start: Number(start), ms: 0, first: -1, name: name.join(',') }));
    if (event === 'first-execution') f.first = Number(ts);
    // its own parse and bytecode (not the script's parse at import, nor a baseline batch that compiles several)
    else if (event === 'full-parse' || event === 'parse-function' || event === 'parse' || event === 'interpreter') f.ms += Number(ms);
  }
  const texts = new Map<string, string>();
  const named = [...seen.values()]
    .filter((f) => f.first >= 0 && f.start > 0)
    .sort((a, b) => a.first - b.first)
    .map((f) => {
      let text = texts.get(f.url);
      if (text === undefined) texts.set(f.url, (text = readFileSync(fileURLToPath(f.url), 'utf8')));
      const before = text.slice(0, f.start).split('\n');
      const at = original(f.url, before.length - 1, before.at(-1)!.length);
      // the log's name is the built file's (a shortened `_member`'s is a letter or two), the map's the source's
      const name = at?.name ?? (f.name || '(anonymous)');
      return { name: at === null ? `${name} ${f.url}@${f.start}` : `${name} ${at.source}:${at.line}`, ms: f.ms };
    });
  const firstCall = named.findIndex((f) => /WasmModule /.test(f.name));
  if (firstCall < 0) throw new Error('no …WasmModule function ran: is this a raw mode?');
  const after = named.slice(Math.max(0, firstCall));
  process.stdout.write(`cold-phases ${mode}: ${named.length} functions of @avsb/engine's dist/ compiled and run, ${after.length} of them after the import (logged compile ms ${after.reduce((a, f) => a + f.ms, 0).toFixed(3)})\n`);
  for (const [i, f] of named.entries()) process.stdout.write(`${i < firstCall ? '  import ' : '         '}${f.ms.toFixed(3)}  ${f.name}\n`);
}

/** `--runs` processes under the profiler: per phase (in the marks' order) the samples' ms, summed over the processes. */
async function profileRuns(dir: string): Promise<Map<string, PhaseTally>> {
  const phases = new Map<string, PhaseTally>();
  for (let run = 0; run < options.runs; run++) {
    const runDir = join(dir, String(run));
    const marks = await runOne(runDir);
    for (const [name] of marks.slice(1)) if (!phases.has(name)) phases.set(name, { total: 0, self: new Map(), host: new Map(), kind: new Map() });
    const file = readdirSync(runDir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('no .cpuprofile written');
    const profile = JSON.parse(readFileSync(join(runDir, file), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i]!;
      // a sample stands for the time until the next one
      const ms = (profile.timeDeltas[i + 1] ?? options.interval) / 1000;
      const k = marks.findIndex(([, t]) => t > at);
      if (k <= 0) continue; // before the first mark or after the last
      const tally = phases.get(marks[k]![0])!;
      tally.total += ms;
      let node = byId.get(profile.samples[i]!)!;
      add(tally.self, frameName(node.callFrame), ms);
      add(tally.kind, kindOf(node.callFrame), ms);
      // the innermost host frame: the host function this sample's work was done for
      for (;;) {
        if (isHost(node.callFrame)) {
          add(tally.host, frameName(node.callFrame), ms);
          break;
        }
        const up = parent.get(node.id);
        if (up === undefined) {
          add(tally.host, '(no host frame)', ms);
          break;
        }
        node = byId.get(up)!;
      }
    }
  }
  return phases;
}

function printPhases(phases: Map<string, PhaseTally>): void {
  const per = (ms: number): string => (ms / options.runs).toFixed(3);
  const top = (t: Tally): string[] =>
    [...t]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top)
      .map(([k, ms]) => `    ${per(ms).padStart(7)}  ${k}`);
  process.stdout.write(`cold-profile ${mode}: ${options.runs} processes, a sample every ${options.interval} µs; ms per process\n`);
  for (const [phase, t] of phases) {
    process.stdout.write(`${phase}: ${per(t.total)} ms sampled\n  by kind (self):\n${top(t.kind).join('\n')}\n  self:\n${top(t.self).join('\n')}\n  under host functions:\n${top(t.host).join('\n')}\n`);
  }
}

await writeCompiledDocuments();
const dir = mkdtempSync(join(tmpdir(), 'avsb-cold-profile-'));
try {
  if (functions) await listFunctions(dir);
  else printPhases(await profileRuns(dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
  removeCompiledDocuments();
}
