// The scenario every edge runtime passes against the real A vs B server, and a workerd (miniflare) instance
// running a bundled fixture: written once, so each runtime's test file keeps only how it hosts the app.
import { Miniflare } from 'miniflare';
import { describe, expect, it } from 'vitest';
import { loadCaseFiles, runConformance } from '@avsb/conformance';
import type { SandboxServer } from '@avsb/server';
import { waitFor } from '@avsb/test-support';
import { EVALUATOR_MODULE_NAME, WASM_MODULE_NAME, bundle, engineWasmBytes, evaluatorWasmBytes } from './bundle';
import { runtimeConformanceHost } from './conformance-host';

/** workerd running `fixtures/<fixture>` bundled as wrangler would, with both binaries as CompiledWasm modules. */
export async function startWorkerd(fixture: string, bindings: Record<string, string>): Promise<Miniflare> {
  return new Miniflare({
    modules: [
      { type: 'ESModule', path: 'worker.js', contents: await bundle(fixture, 'esm') },
      { type: 'CompiledWasm', path: WASM_MODULE_NAME, contents: engineWasmBytes() },
      { type: 'CompiledWasm', path: EVALUATOR_MODULE_NAME, contents: evaluatorWasmBytes() },
    ],
    compatibilityDate: '2025-09-01',
    bindings,
  });
}

/** How a runtime's test file reaches the test app (fixtures/edge-app.ts) and the server it polls. */
export interface EdgeRuntimeUnderTest {
  /** The runtime's name in the conformance `describe`. */
  name: string;
  /** The real server (set by the file's `beforeAll`). */
  real(): SandboxServer;
  /** A request to the app; resolves once the runtime has answered (and, where the runtime lets a test, its waitUntil work is done). */
  send(path: string, init?: RequestInit): Promise<Response>;
  /** The user whose purchase the events test tracks (unique per runtime: the server's events are shared). */
  purchaser: string;
  /** How the app hands its flush to the runtime, as the events test's name says it (`ctx.waitUntil`, `waitUntil`). */
  waitUntil: string;
  /** The binary AvsbEdge runs in the app (`wasm`): the conformance vectors reach the runtime's engine as that binary reads them. */
  engine: 'evaluator' | 'full';
}

/** GETs `path` as `user` and returns the app's JSON answer. */
export async function getAs(runtime: Pick<EdgeRuntimeUnderTest, 'send'>, path: string, user: string): Promise<Record<string, unknown>> {
  const res = await runtime.send(path, { headers: { 'x-user-id': user } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** Registers the tests every edge runtime passes: first requests together, reads, events, refresh, conformance vectors. */
export function edgeRuntimeScenario(runtime: EdgeRuntimeUnderTest): void {
  const get = (path: string, user: string) => getAs(runtime, path, user);

  it('answers the first requests of a fresh isolate together, from one datafile', async () => {
    const answers = await Promise.all(['u_1', 'u_2', 'u_3', 'u_4', 'u_5'].map((user) => get('/checkout', user)));
    for (const answer of answers) expect(answer).toMatchObject({ ready: true, revision: answers[0]!.revision });
  });

  it('reads flags per request from the datafile of the real server', async () => {
    expect(await get('/checkout', 'u_1')).toMatchObject({ ready: true, showNewCheckout: true, theme: 'default' });
    expect(await get('/checkout', 'u_7')).toMatchObject({ ready: true, theme: 'dark' });
    expect(await get('/metrics', 'u_1')).toMatchObject({ liveContexts: 0, engineFaults: 0, engineBinary: runtime.engine });
  });

  it(`sends tracked events through ${runtime.waitUntil} and the server stores them`, async () => {
    const user = runtime.purchaser;
    const res = await runtime.send('/purchase', { method: 'POST', headers: { 'x-user-id': user } });
    expect(res.status).toBe(202);
    const events = await waitFor(async () => {
      const stored = await runtime.real().admin<Array<Record<string, any>>>('/events?limit=1000');
      return stored.some((e) => e.kind === 'custom' && e.contextKeys?.user === user) ? stored : null;
    }, 20_000, 'the purchase event stored by the server');
    expect(events.find((e) => e.kind === 'custom' && e.contextKeys?.user === user)).toMatchObject({ key: 'purchase', value: 149.99 });
    expect(events.some((e) => e.kind === 'summary' && e.flags?.['checkout-v2'] !== undefined)).toBe(true);
  });

  it('refreshes a stale datafile after the response, and the change reaches a later request', async () => {
    expect(await get('/checkout', 'u_7')).toMatchObject({ theme: 'dark' });
    await runtime.real().patchFlag('ui-theme', { on: false });
    try {
      // pollIntervalMs is 1 000: a request after that starts the conditional request through waitUntil
      await waitFor(async () => (await get('/checkout', 'u_7')).theme === 'default', 20_000, 'the flag change served by the runtime');
    } finally {
      await runtime.real().patchFlag('ui-theme', { on: true });
    }
  });

  describe(`conformance vectors inside ${runtime.name} (${runtime.engine === 'evaluator' ? 'avsb-evaluator.wasm, compiled datafiles' : 'avsb-engine.wasm'})`, () => {
    const host = runtimeConformanceHost((path, body) => runtime.send(path, { method: 'POST', body: JSON.stringify(body) }), runtime.engine);
    runConformance(host, { describe, it, expect });
    it('evaluated every case of the evaluation files in the runtime', () => {
      const cases = loadCaseFiles().reduce((n, f) => n + (f.type === 'evaluation' ? f.cases.length : 0), 0);
      expect(host.evaluations).toBeGreaterThanOrEqual(cases);
    });
  });
}
