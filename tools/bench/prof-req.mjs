import { createSdk } from './dist/sdk/avsb.js';
import { makeContexts, FLAGS } from './dist/workload.js';
const sdk = createSdk(); await sdk.load();
const cs = makeContexts(); const N = cs.length; const F = FLAGS.length;
const users = Number(process.argv[2] ?? N);
let sink = 0;
async function run(total) {
  const t0 = process.hrtime.bigint();
  for (let j = 0; j < total; j++) {
    const sc = sdk.scope(cs[j % users]);
    for (let f = 0; f < F; f++) { const v = sdk.get(sc, f); sink += v === true ? 1 : 0; }
    sdk.close(sc);
    if ((j + 1) % 100 === 0) await new Promise((r) => setImmediate(r));
  }
  return Number(process.hrtime.bigint() - t0) / total;
}
await run(50000);
for (let i = 0; i < 3; i++) console.log(users, 'users: ns/request', (await run(200000)).toFixed(0));
console.log(await sdk.eventStats());
await sdk.shutdown();
