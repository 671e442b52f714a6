// The row "a 1,000-flag datafile": in a fresh process, from having the
// datafile's JSON text in memory and the package files on disk (page cache
// warm), `import()` of @avsb/engine and its Node loader, `createSync`, `load`
// of 1,000 flags (the workload's 20 flags 50 times under new keys, so every
// operator, target list and rollout is in it), then one more load of the same
// text in the same process (compiled and warmed up: what an update costs).
// The engine is created with `lazyFlags` (a server's option: the host parses
// each flag's JSON when a read first needs it, not the whole text at every
// load; tools/bench/earlier-measurements.md, "1,000 flags after the seventh session's load pass").
// Run by run.ts: `node dist/cold-load.js <runs>` prints one `COLDLOAD {json}` line per process.
// The CPU times (this process's threads, V8's background compilers included)
// are for comparing builds on a busy machine, where wall time mostly measures
// waiting for a core.
import { printColdLoadRow } from './cold-load-row.js';
import { largeDatafile } from './workload.js';

const text = largeDatafile(50);
const t0 = process.hrtime.bigint();
const { AvsbEngine, LazyFlags } = await import('@avsb/engine');
const { engineWasmModule } = await import('@avsb/engine/node');
const t1 = process.hrtime.bigint();
const c1 = process.cpuUsage();
const engine = AvsbEngine.createSync(engineWasmModule(), { lazyFlags: new LazyFlags() });
const first = engine.load(text);
const firstCpu = process.cpuUsage(c1);
const t2 = process.hrtime.bigint();
if (!first.ok || first.flagCount !== 1000 || first.warningCount !== 0) throw new Error(`the 1,000-flag datafile did not load cleanly: ${JSON.stringify(first).slice(0, 300)}`);
const t3 = process.hrtime.bigint();
const c3 = process.cpuUsage();
engine.load(text);
const reloadCpu = process.cpuUsage(c3);
const t4 = process.hrtime.bigint();
printColdLoadRow(first.flagCount, text, { t0, t1, t2, t3, t4, firstCpu, reloadCpu });
