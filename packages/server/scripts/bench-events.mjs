// Measures event ingestion: POST /sdk/v1/events in batches of 100 from a few
// concurrent keep-alive clients against a real server on a temp SQLite file.
// Run after `pnpm build`: node scripts/bench-events.mjs [events=100000] [concurrency=8]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../dist/index.js';

const total = Number(process.argv[2] ?? 100_000);
const concurrency = Number(process.argv[3] ?? 8);
const dir = mkdtempSync(join(tmpdir(), 'avsb-bench-'));
const server = await startServer({ dbPath: join(dir, 'bench.db'), seed: true });
const token = { authorization: `Bearer ${server.adminToken}` };
const keys = await (await fetch(`${server.url}/api/v1/projects/shop/environments/production/keys?reveal=true`, { headers: token })).json();

const batchSize = 100;
const batches = Math.ceil(total / batchSize);
let next = 0;
const body = (n) =>
  JSON.stringify({
    batchId: `bench-${n}`,
    events: Array.from({ length: batchSize }, (_, j) =>
      j % 4 === 0
        ? { kind: 'custom', time: Date.now(), contextKeys: { user: `u_${n}_${j}` }, key: 'purchase', value: j }
        : { kind: 'exposure', time: Date.now(), contextKeys: { user: `u_${n}_${j}` }, flag: 'checkout-v2', variation: j % 2, reason: 'FALLTHROUGH', inExperiment: true, revision: 1 },
    ),
  });
async function worker() {
  while (next < batches) {
    const n = next++;
    const res = await fetch(`${server.url}/sdk/v1/events`, {
      method: 'POST',
      headers: { authorization: keys.serverKey, 'content-type': 'application/json' },
      body: body(n),
    });
    if (res.status !== 202) throw new Error(`status ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
console.log(`${batches * batchSize} events in ${batches} batches of ${batchSize}, ${concurrency} clients: ${seconds.toFixed(2)} s, ${Math.round((batches * batchSize) / seconds)} events/s`);
await server.close();
rmSync(dir, { recursive: true, force: true });
