// The 1,000-flag rows on the evaluator: cold-load.ts's measurement with
// `avsb-evaluator.wasm` (`evaluatorWasmModule()`) and `loadCompiled` of the
// 1,000-flag datafile's compiled document (cold-compiled.ts), from its text,
// on an engine with `lazyFlags` as cold-load.ts's (flag views made on first read).
// Run by run.ts with the evaluator row: `node dist/cold-load-evaluator.js`
// prints one `COLDLOAD {json}` line (`ColdLoadRow`, cold-load-row.ts) per process.
import { compiledDocument } from './cold-compiled.js';
import { printColdLoadRow } from './cold-load-row.js';

const text = compiledDocument('large');
const t0 = process.hrtime.bigint();
const { AvsbEngine, LazyFlags, loadCompiled } = await import('@avsb/engine');
const { evaluatorWasmModule } = await import('@avsb/engine/node');
const t1 = process.hrtime.bigint();
const c1 = process.cpuUsage();
const engine = AvsbEngine.createSync(evaluatorWasmModule(), { lazyFlags: new LazyFlags() });
const first = loadCompiled(engine, text);
const firstCpu = process.cpuUsage(c1);
const t2 = process.hrtime.bigint();
if (!first.ok || first.flagCount !== 1000) throw new Error(`the 1,000-flag compiled document did not load: ${JSON.stringify(first).slice(0, 300)}`);
const t3 = process.hrtime.bigint();
const c3 = process.cpuUsage();
loadCompiled(engine, text);
const reloadCpu = process.cpuUsage(c3);
const t4 = process.hrtime.bigint();
printColdLoadRow(first.flagCount, text, { t0, t1, t2, t3, t4, firstCpu, reloadCpu });
