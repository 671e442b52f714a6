// @avsb/edge in the Vercel edge runtime, as the `edge-runtime` package from
// npm runs it (the sandbox `next dev` and `vercel dev` use). As Next.js does
// for a `.wasm?module` import, the engine is compiled outside the sandbox and
// handed in as a global: a WebAssembly.Module of another realm (the evaluator,
// and the full engine beside it). The datafile (compiled) and the events go to
// the real A vs B server on 127.0.0.1.
import { EdgeRuntime } from 'edge-runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { bundle, engineWasmBytes, evaluatorWasmBytes } from './support/bundle';
import { edgeRuntimeScenario } from './support/runtime-scenario';

let real: SandboxServer;
let runtime: EdgeRuntime;

beforeAll(async () => {
  real = await startSandboxServer();
  const initialCode = await bundle('vercel-edge.ts', 'iife');
  const wasm = new WebAssembly.Module(evaluatorWasmBytes());
  const fullEngine = new WebAssembly.Module(engineWasmBytes());
  const env = { AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url, POLL_INTERVAL_MS: '1000' };
  runtime = new EdgeRuntime({ initialCode, extend: (context) => Object.assign(context, { AVSB_WASM: wasm, AVSB_FULL_WASM: fullEngine, AVSB_ENV: env }) });
});

afterAll(async () => {
  await real?.close();
});

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await runtime.dispatchFetch(`http://edge.test${path}`, init);
  // the waitUntil promises of the request (the flush), as the platform awaits them after the response
  await res.waitUntil();
  return res as unknown as Response;
}

it('accepts the engine module compiled in another realm, which instanceof does not recognise', () => {
  expect(runtime.evaluate('AVSB_WASM instanceof WebAssembly.Module')).toBe(false);
});

edgeRuntimeScenario({
  name: 'the edge runtime',
  real: () => real,
  send,
  purchaser: 'u_vercel_1',
  waitUntil: 'waitUntil',
  engine: 'evaluator',
});
