// @avsb/edge in Cloudflare's runtime: workerd, driven by miniflare from npm.
// The test app is bundled with esbuild as wrangler would, and the engines are
// CompiledWasm modules (what `import wasm from '@avsb/engine/avsb-evaluator.wasm'`
// gives a Worker): the app runs on the evaluator with compiled datafiles. The datafile and the events go to the real A vs B server
// on 127.0.0.1.
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll } from 'vitest';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { edgeRuntimeScenario, startWorkerd } from './support/runtime-scenario';

let real: SandboxServer;
let mf: Miniflare;

beforeAll(async () => {
  real = await startSandboxServer();
  mf = await startWorkerd('worker.ts', { AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url, POLL_INTERVAL_MS: '1000' });
});

afterAll(async () => {
  await mf?.dispose();
  await real?.close();
});

edgeRuntimeScenario({
  name: 'workerd',
  real: () => real,
  // miniflare's Response is undici's, the same shape as the standard one
  send: async (path, init) => (await mf.dispatchFetch(`http://worker.test${path}`, init as never)) as unknown as Response,
  purchaser: 'u_edge_1',
  waitUntil: 'ctx.waitUntil',
  engine: 'evaluator',
});
