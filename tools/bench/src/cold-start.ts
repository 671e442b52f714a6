// A server's start-up in a fresh process, as a serverless cold start runs it: `import('@avsb/node')`, `new AvsbServer`
// against a service on 127.0.0.1 (start-service.ts, which answers after a fixed delay), `await onReady()`, the first
// read. `fresh-paired.js --mode start` runs it beside each build's dist/ and serves it. Wall and CPU time (this
// process's threads: V8's background compile counts) from before the import on; `afterImport` from the constructor on.
// And the main thread's own time on a core (Linux's schedstat): what moves when work goes to V8's background threads,
// which a loaded machine's wall time hides (an A/A pass's wall ratios spread ±30 % over 30 pairs on the shared 2-core
// machine). The kernel adds a running thread's time at each tick or switch, so one sample is off by up to a tick;
// read medians of many pairs.
// Which `fetch` the server is given: `default` none (the SDK's own default: over node:http since http-12, Node's fetch
// before), `fetch` Node's global fetch (undici, loaded on its first call), `http` http-fetch-sketch.ts's over node:http
// (imported before the clock starts; the reference the http-12 pass was measured against).
// Usage: node dist/cold-start.js <baseUrl> full|evaluator [default|fetch|http]; prints one `START {json}` line (ms).
import { runMain } from './run-main.js';
import { makeContexts, userContext } from './workload.js';

export interface StartSample {
  /** import → first read, wall. */
  total: number;
  /** new AvsbServer → first read, wall. */
  afterImport: number;
  /** The constructor alone, wall (main reads and compiles the .wasm in it). */
  create: number;
  /** import → first read, CPU of every thread. */
  cpuTotal: number;
  /** new AvsbServer → first read, CPU of every thread. */
  cpuAfterImport: number;
  /** import → first read, the main thread's time on a core (absent where /proc has no schedstat). */
  mainThread?: number;
  /** new AvsbServer → first read, the main thread's time on a core. */
  mainAfterImport?: number;
}

const FETCHES = ['default', 'fetch', 'http'];
const [baseUrl, binary = 'full', fetchVariant = 'default'] = process.argv.slice(2);
if (baseUrl === undefined || (binary !== 'full' && binary !== 'evaluator') || !FETCHES.includes(fetchVariant)) {
  throw new Error('usage: node dist/cold-start.js <baseUrl> full|evaluator [default|fetch|http]');
}
const context = userContext(makeContexts(1)[0]!);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
// the main thread's task is the process's id; its schedstat's first field is its time on a core in ns
const fs = process.getBuiltinModule('node:fs');
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
const hasSchedstat = fs.existsSync(schedstat);
const mainMs = (): number => (hasSchedstat ? Number(fs.readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6 : NaN);

runMain(async () => {
  const fetch =
    fetchVariant === 'http' ? (await import('./http-fetch-sketch.js')).httpFetchSketch : fetchVariant === 'fetch' ? globalThis.fetch : undefined;
  const m0 = mainMs();
  const t0 = performance.now();
  const c0 = cpuMs();
  const { AvsbServer } = await import('@avsb/node');
  const m1 = mainMs();
  const t1 = performance.now();
  const c1 = cpuMs();
  // events on, as an application has them: onReady() waits for their pipeline's import too
  const server = new AvsbServer({ sdkKey: 'srv-bench-start', baseUrl, engineBinary: binary, logLevel: 'error', ...(fetch === undefined ? {} : { fetch }) });
  const t2 = performance.now();
  const ready = await server.onReady({ timeoutMs: 10_000 });
  if (!ready.ready) throw new Error(`not ready: ${ready.error.message}`);
  const detail = server.forUser(context).getBoolFlagDetails('kill-switch', true);
  const t3 = performance.now();
  const c3 = cpuMs();
  const m3 = mainMs();
  if (detail.reason.kind === 'ERROR') throw new Error(`the first read served its default: ${JSON.stringify(detail.reason)}`);
  const sample: StartSample = { total: t3 - t0, afterImport: t3 - t1, create: t2 - t1, cpuTotal: c3 - c0, cpuAfterImport: c3 - c1 };
  if (hasSchedstat) Object.assign(sample, { mainThread: m3 - m0, mainAfterImport: m3 - m1 });
  process.stdout.write(`START ${JSON.stringify(sample)}\n`);
});
