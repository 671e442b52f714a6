// The cold start of `@avsb/engine` (or `@avsb/node`) in a fresh process, split
// into the phases a host pass can move: the bench's datafile and first
// context, as cold.ts times them in one sum. `evaluator`: the same on
// `avsb-evaluator.wasm` with the workload's compiled datafile document
// (cold-compiled.ts), its `JSON.parse` timed apart from `loadCompiled`.
// run.ts runs `engine` and `evaluator` alternately with the evaluator row
// (the "cold start by phase" table); two builds are compared by
// `fresh-paired.js --mode cold`, which runs it alternately beside each
// build's dist/, one fresh process per build a round.
// `evaluator-raw`, `engine-raw`: the evaluator (compiled datafile) or the full engine (JSON) through their exports
// alone, no host (the floor the host JS adds to).
// `node-evaluator`: `node` with `engineBinary: 'evaluator'` and the compiled document as `initialDatafile`.
// Usage: node dist/cold-phases.js engine|evaluator|evaluator-raw|engine-raw|node|node-evaluator; prints one `PHASES {json}` line (ms).
import { compiledDocument } from './cold-compiled.js';
import { avsbDatafile, makeContexts, userContext } from './workload.js';

const mode = process.argv[2] ?? 'engine';
const payload = mode.startsWith('evaluator') || mode === 'node-evaluator' ? compiledDocument('bench') : JSON.stringify(avsbDatafile());
const context = userContext(makeContexts(1)[0]!);
const marks: [string, bigint][] = [['start', process.hrtime.bigint()]];
// each mark's CPU reading too: a phase's CPU (`cpu.load`…) stays readable on a busy machine, where its wall time is mostly waiting
const cpuMarks: NodeJS.CpuUsage[] = [];
// CPU time (this process's threads, V8's background compilers included) from the imports on: on a busy machine
// the wall time of a phase is mostly waiting for a core
let cpuFrom: NodeJS.CpuUsage | null = null;
// and from the first mark on (`cpuTotal`: the cold start with its imports)
let cpuStart = process.cpuUsage();
cpuMarks.push(cpuStart);
// at the last mark, so that what runs after it (`node`'s close) is not counted
let cpuEnd = cpuStart;
const mark = (name: string): void => {
  marks.push([name, process.hrtime.bigint()]);
  cpuEnd = process.cpuUsage();
  cpuMarks.push(cpuEnd);
  // from the last import on
  if (name === 'importNode' || name === 'importEngine' || name === 'import') cpuFrom = process.cpuUsage();
};

type EngineEntry = typeof import('@avsb/engine/node');
/**
 * The engine as a Node host imports it: `@avsb/engine/node` alone, which hands on the main entry's exports since the
 * tenth session (one bare specifier for Node to resolve); a build before it needs `@avsb/engine` too, imported after
 * it (`importEngine`), so that one script times either build.
 */
async function importEngine(): Promise<EngineEntry> {
  const node = await import('@avsb/engine/node');
  mark('importNode');
  if ((node as Partial<EngineEntry>).AvsbEngine !== undefined) return node;
  const main = await import('@avsb/engine');
  mark('importEngine');
  return { ...main, ...node };
}

let value: unknown;
if (mode === 'engine') {
  const { AvsbEngine, ContextEncoder, engineWasmModule } = await importEngine();
  const module = engineWasmModule();
  mark('readCompile');
  const engine = AvsbEngine.createSync(module, { contextEncoder: new ContextEncoder() });
  mark('instantiate');
  const loaded = engine.load(payload);
  if (!loaded.ok) throw new Error(`datafile rejected: ${loaded.error}`);
  mark('load');
  const handle = engine.registerContext(context);
  mark('context');
  value = engine.evaluate(handle, 'kill-switch').value;
  mark('evaluate');
} else if (mode === 'evaluator') {
  const { AvsbEngine, ContextEncoder, LazyFlags, loadCompiled, evaluatorWasmModule } = await importEngine();
  const module = evaluatorWasmModule();
  mark('readCompile');
  // a server's options: each flag's values and reasons are made when a read first needs them
  const engine = AvsbEngine.createSync(module, { contextEncoder: new ContextEncoder(), lazyFlags: new LazyFlags() });
  mark('instantiate');
  const document = JSON.parse(payload) as object;
  mark('parse');
  const loaded = loadCompiled(engine, document);
  if (!loaded.ok) throw new Error(`compiled datafile rejected: ${loaded.error}`);
  mark('load');
  const handle = engine.registerContext(context);
  mark('context');
  value = engine.evaluate(handle, 'kill-switch').value;
  mark('evaluate');
} else if (mode === 'evaluator-raw' || mode === 'engine-raw') {
  // the floor under the host: the binary driven through its exports alone (ABI.md), no host object built; the
  // evaluator's compiled bytes decoded, the full engine's datafile and the context's JSON encoded, and the `.wasm`'s
  // path found, before the clock starts
  const raw = mode === 'evaluator-raw';
  const wasmUrl = new URL(import.meta.resolve(raw ? '@avsb/engine/avsb-evaluator.wasm' : '@avsb/engine/avsb-engine.wasm'));
  const datafile = raw ? Uint8Array.from((JSON.parse(payload) as { compiled: string }).compiled, (c) => c.charCodeAt(0)) : new TextEncoder().encode(payload);
  const contextJson = new TextEncoder().encode(JSON.stringify(context));
  marks[0]![1] = process.hrtime.bigint();
  cpuStart = process.cpuUsage();
  mark('importNode'); // nothing to import: the CPU clock starts here too
  // this package's types have no WebAssembly namespace (no DOM lib): the part used here
  type Raw = Record<string, (...args: number[]) => number> & { memory: { buffer: ArrayBuffer } };
  const wasm = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: unknown } } }).WebAssembly;
  const module = new wasm.Module(process.getBuiltinModule('node:fs').readFileSync(wasmUrl));
  mark('readCompile');
  const x = new wasm.Instance(module, {}).exports as Raw;
  mark('instantiate');
  const input = (data: Uint8Array): number => {
    new Uint8Array(x.memory.buffer, x.avsb_input!(data.length), data.length).set(data);
    return data.length;
  };
  if ((raw ? x.avsb_load_compiled! : x.avsb_load!)(input(datafile)) !== 0) throw new Error(`the ${raw ? 'evaluator' : 'engine'} refused the datafile`);
  mark('load');
  const handle = x.avsb_ctx_create!(input(contextJson));
  mark('context');
  // the bench's first flag (index 0) is kill-switch, the flag the host rows read by key
  value = x.avsb_eval!(handle, 0);
  mark('evaluate');
} else if (mode === 'node' || mode === 'node-evaluator') {
  const parsed = JSON.parse(payload) as object;
  marks[0]![1] = process.hrtime.bigint();
  cpuStart = process.cpuUsage();
  const { AvsbServer } = await import('@avsb/node');
  mark('import');
  const engineBinary = mode === 'node' ? 'full' : 'evaluator';
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: parsed, logLevel: 'error', engineBinary });
  mark('create'); // compile, instantiate and the first load of the datafile
  value = server.forUser(context).getBoolFlag('kill-switch', true);
  mark('firstRead');
  await server.close();
} else {
  throw new Error('usage: cold-phases.js engine|evaluator|evaluator-raw|engine-raw|node|node-evaluator');
}

const phases: Record<string, number> = {};
for (let i = 1; i < marks.length; i++) phases[marks[i]![0]] = Number(marks[i]![1] - marks[i - 1]![1]) / 1e6;
const cpuOf = (from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number => (to.user - from.user + to.system - from.system) / 1e3;
// (the raw rows and `node` restart the clock after the first mark: their first phase's CPU is read from there)
for (let i = 2; i < marks.length; i++) phases[`cpu.${marks[i]![0]}`] = cpuOf(cpuMarks[i - 1]!, cpuMarks[i]!);
phases.total = Number(marks[marks.length - 1]![1] - marks[0]![1]) / 1e6;
const cpuMs = (from: NodeJS.CpuUsage): number => (cpuEnd.user - from.user + cpuEnd.system - from.system) / 1e3;
phases.cpuTotal = cpuMs(cpuStart);
if (cpuFrom !== null) {
  phases.cpuAfterImport = cpuMs(cpuFrom);
}
process.stdout.write(`PHASES ${JSON.stringify({ mode, ...phases, value })}\n`);
// for cold-profile.ts: each mark's clock reading in µs (CLOCK_MONOTONIC, the clock V8's CPU profiles stamp samples with)
if (process.env.AVSB_COLD_MARKS === '1') process.stdout.write(`MARKS ${JSON.stringify(marks.map(([name, at]) => [name, Number(at / 1000n)]))}\n`);
process.exit(0);
