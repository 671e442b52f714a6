// Cold start of one SDK in a fresh process: from having the flag payload (a
// JSON string in memory) and the package files on disk to the first
// evaluation result. Timed: `import()` of the SDK, then setup + first context +
// first eval ("bytes to first evaluation"), reported apart and together.
// Usage: node dist/cold.js <sdk-id>; prints one `COLD {json}` line.
import { loadPeerModule } from './peers/index.js';
import { makeContexts } from './workload.js';

const id = process.argv[2];
if (!id) throw new Error('usage: cold.js <sdk-id>');

const mod = await loadPeerModule(id); // the adapter only; it imports its SDK inside load()
const payload = mod.translate();
const ctx = makeContexts(1)[0]!;
const peer = mod.createPeer();

const t0 = process.hrtime.bigint();
// what `load` imports first: there it is then a cache hit
for (const specifier of [peer.sdkModule, ...(peer.sdkModules ?? [])]) await import(specifier);
const t1 = process.hrtime.bigint();
await peer.load(payload);
const c = peer.prepareContext(ctx);
const value = await peer.evaluate(c, 0);
const t2 = process.hrtime.bigint();
const ns = Number(t2 - t0);
const importNs = Number(t1 - t0);

process.stdout.write(`COLD ${JSON.stringify({ id, ns, importNs, value })}\n`);
await peer.close?.();
process.exit(0);
