// @avsb/edge in the Vercel edge runtime, as the `edge-runtime` package from
// npm runs it (the sandbox `next dev` and `vercel dev` use). As Next.js does
// for a `.wasm?module` import, the engine is compiled outside the sandbox and
// handed in as a global: a WebAssembly.Module of another realm. The datafile
// and the events go to the real A vs B server on 127.0.0.1.
import { EdgeRuntime } from 'edge-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaseFiles, runConformance } from '@avsb/conformance';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { waitFor } from '@avsb/test-support';
import { patchFlag } from './support/admin';
import { bundle, engineWasmBytes } from './support/bundle';
import { runtimeConformanceHost } from './support/conformance-host';

let real: SandboxServer;
let runtime: EdgeRuntime;

beforeAll(async () => {
  real = await startSandboxServer();
  const initialCode = await bundle('vercel-edge.ts', 'iife');
  const wasm = new WebAssembly.Module(engineWasmBytes());
  const env = { AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url, POLL_INTERVAL_MS: '1000' };
  runtime = new EdgeRuntime({ initialCode, extend: (context) => Object.assign(context, { AVSB_WASM: wasm, AVSB_ENV: env }) });
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

async function get(path: string, user: string): Promise<Record<string, unknown>> {
  const res = await send(path, { headers: { 'x-user-id': user } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

it('accepts the engine module compiled in another realm, which instanceof does not recognise', () => {
  expect(runtime.evaluate('AVSB_WASM instanceof WebAssembly.Module')).toBe(false);
});

it('answers the first requests of a fresh isolate together, from one datafile', async () => {
  const answers = await Promise.all(['u_1', 'u_2', 'u_3', 'u_4', 'u_5'].map((user) => get('/checkout', user)));
  for (const answer of answers) expect(answer).toMatchObject({ ready: true, revision: answers[0]!.revision });
});

it('reads flags per request from the datafile of the real server', async () => {
  expect(await get('/checkout', 'u_1')).toMatchObject({ ready: true, showNewCheckout: true, theme: 'default' });
  expect(await get('/checkout', 'u_7')).toMatchObject({ ready: true, theme: 'dark' });
  expect(await get('/metrics', 'u_1')).toMatchObject({ liveContexts: 0, engineFaults: 0 });
});

it('sends tracked events through waitUntil and the server stores them', async () => {
  const res = await send('/purchase', { method: 'POST', headers: { 'x-user-id': 'u_vercel_1' } });
  expect(res.status).toBe(202);
  const events = await waitFor(async () => {
    const stored = await real.admin<Array<Record<string, any>>>('/events?limit=1000');
    return stored.some((e) => e.kind === 'custom' && e.contextKeys?.user === 'u_vercel_1') ? stored : null;
  }, 20_000, 'the purchase event stored by the server');
  expect(events.find((e) => e.kind === 'custom' && e.contextKeys?.user === 'u_vercel_1')).toMatchObject({ key: 'purchase', value: 149.99 });
  expect(events.some((e) => e.kind === 'summary' && e.flags?.['checkout-v2'] !== undefined)).toBe(true);
});

it('refreshes a stale datafile after the response, and the change reaches a later request', async () => {
  expect(await get('/checkout', 'u_7')).toMatchObject({ theme: 'dark' });
  await patchFlag(real, 'ui-theme', { on: false });
  try {
    // pollIntervalMs is 1 000: a request after that starts the conditional request through waitUntil
    await waitFor(async () => (await get('/checkout', 'u_7')).theme === 'default', 20_000, 'the flag change served by the runtime');
  } finally {
    await patchFlag(real, 'ui-theme', { on: true });
  }
});

describe('conformance vectors inside the edge runtime', () => {
  const host = runtimeConformanceHost((path, body) => send(path, { method: 'POST', body: JSON.stringify(body) }));
  runConformance(host, { describe, it, expect });
  it('evaluated every case of the evaluation files in the runtime', () => {
    const cases = loadCaseFiles().reduce((n, f) => n + (f.type === 'evaluation' ? f.cases.length : 0), 0);
    expect(host.evaluations).toBeGreaterThanOrEqual(cases);
  });
});
