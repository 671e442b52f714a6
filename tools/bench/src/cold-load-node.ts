// The row "a 1,000-flag datafile through @avsb/node": the engine rows' datafile (cold-load.ts) put into an
// `AvsbServer` the way its polling source puts a response (`sink.put(body, { source: 'poll' })`: the body's text,
// which the store hands to the lazy engine unparsed), in a
// fresh process: `import()` of @avsb/node, `new AvsbServer` (which creates its engine) + the first put, then a
// put of the next revision with one flag changed (what an update costs; its `update` listener is told that one key).
// Run by run.ts: `node dist/cold-load-node.js` prints one `COLDLOAD {json}` line per process.
import type { AvsbServerOptions } from '@avsb/node';
import { printColdLoadRow } from './cold-load-row.js';
import { largeDatafile } from './workload.js';

const text = largeDatafile(50);
// the next revision: one flag's fallthrough serves another variation (the text differs there only)
const next = text.replace('"revision":1,', '"revision":2,').replace('"fallthrough":{"variation":0}', '"fallthrough":{"variation":1}');
const t0 = process.hrtime.bigint();
const { AvsbServer } = await import('@avsb/node');
const t1 = process.hrtime.bigint();
let sink: Parameters<NonNullable<AvsbServerOptions['dataSource']>>[0] | null = null;
const c1 = process.cpuUsage();
const server = new AvsbServer({
  sdkKey: undefined,
  offline: true,
  logLevel: 'error',
  dataSource: (s) => {
    sink = s;
    return { start() {}, stop() {} };
  },
});
// the core starts its data source on the next turn (outside the clock: a timer, not work)
const c1a = process.cpuUsage(c1);
await new Promise((resolve) => setImmediate(resolve));
const c1b = process.cpuUsage();
const put = (body: string) => sink!.put(body, { source: 'poll' });
const first = put(text);
const firstCpu = sum(c1a, process.cpuUsage(c1b));
const t2 = process.hrtime.bigint();
if (first !== 'applied' || server.revision !== 1) throw new Error(`the 1,000-flag datafile did not load through @avsb/node: ${first}, revision ${server.revision}`);
let changed: string[] = [];
server.on('update', (keys) => (changed = keys));
const t3 = process.hrtime.bigint();
const c3 = process.cpuUsage();
const second = put(next);
const reloadCpu = process.cpuUsage(c3);
const t4 = process.hrtime.bigint();
if (second !== 'applied' || revisionOf(server) !== 2 || changed[0] !== 'kill-switch-0') throw new Error(`the next revision did not load through @avsb/node: ${second}, changed ${changed.join(', ')}`);
await server.close();
printColdLoadRow(1000, text, { t0, t1, t2, t3, t4, firstCpu, reloadCpu });

function revisionOf(s: { readonly revision: number | null }): number | null {
  return s.revision;
}

function sum(a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): NodeJS.CpuUsage {
  return { user: a.user + b.user, system: a.system + b.system };
}
