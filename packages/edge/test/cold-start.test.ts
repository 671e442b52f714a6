// A fresh isolate's first request, on the evaluator with the compiled datafile and on the full engine with JSON,
// in workerd (a new miniflare per isolate) and in the edge runtime (a new sandbox per isolate), against the real
// server on 127.0.0.1: both answer the same flags. With AVSB_COLD_START_SAMPLES=N it also prints the median times
// of N isolates per mode, alternating the modes (the figures in the README; never asserted).
import { Miniflare } from 'miniflare';
import { EdgeRuntime } from 'edge-runtime';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { EVALUATOR_MODULE_NAME, WASM_MODULE_NAME, bundle, engineWasmBytes, evaluatorWasmBytes } from './support/bundle';

const SAMPLES = Math.max(1, Number(process.env.AVSB_COLD_START_SAMPLES ?? 1) || 1);
const MODES = ['evaluator', 'full'] as const;
type Mode = (typeof MODES)[number];

let real: SandboxServer;
beforeAll(async () => {
  real = await startSandboxServer();
});
afterAll(async () => {
  await real?.close();
});

interface Sample {
  /** Until the isolate could take its first request (script evaluated; in workerd, both .wasm compiled). */
  startMs: number;
  /** The first request: engine instance, datafile request, load, first evaluations, answer. */
  firstRequestMs: number;
  answer: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

async function measure(isolate: (mode: Mode) => Promise<Sample>): Promise<Record<Mode, Sample[]>> {
  const samples: Record<Mode, Sample[]> = { evaluator: [], full: [] };
  for (let i = 0; i < SAMPLES; i++) {
    for (const mode of i % 2 === 0 ? MODES : [...MODES].reverse()) samples[mode].push(await isolate(mode));
  }
  return samples;
}

function check(samples: Record<Mode, Sample[]>, where: string): void {
  for (const mode of MODES) {
    for (const s of samples[mode]) {
      expect(s.answer).toEqual(samples.full[0]!.answer);
      expect(s.metrics).toMatchObject({ engineBinary: mode, engineFaults: 0 });
    }
  }
  expect(samples.evaluator[0]!.answer).toMatchObject({ ready: true, showNewCheckout: true });
  if (SAMPLES === 1) return;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const row = (mode: Mode) => ({ start: median(samples[mode].map((s) => s.startMs)), first: median(samples[mode].map((s) => s.firstRequestMs)) });
  const e = row('evaluator');
  const f = row('full');
  console.log(
    `cold start, ${where}, median of ${SAMPLES} isolates: start ${e.start.toFixed(1)} / ${f.start.toFixed(1)} ms, ` +
      `first request ${e.first.toFixed(2)} / ${f.first.toFixed(2)} ms (evaluator / full; first request ${(e.first / f.first).toFixed(2)}x)`,
  );
}

async function firstRequest(send: (path: string, user: string) => Promise<Response>): Promise<Pick<Sample, 'firstRequestMs' | 'answer' | 'metrics'>> {
  const t = performance.now();
  const res = await send('/checkout', 'u_1');
  const answer = (await res.json()) as Record<string, unknown>;
  const firstRequestMs = performance.now() - t;
  const metrics = (await (await send('/metrics', 'u_1')).json()) as Record<string, unknown>;
  return { firstRequestMs, answer, metrics };
}

it('a fresh workerd isolate answers its first request alike on the evaluator (compiled) and on the full engine (JSON)', async () => {
  const script = await bundle('cold-start-worker.ts', 'esm');
  const full = engineWasmBytes();
  const evaluator = evaluatorWasmBytes();
  const samples = await measure(async (mode) => {
    const t = performance.now();
    const mf = new Miniflare({
      modules: [
        { type: 'ESModule', path: 'worker.js', contents: script },
        { type: 'CompiledWasm', path: WASM_MODULE_NAME, contents: full },
        { type: 'CompiledWasm', path: EVALUATOR_MODULE_NAME, contents: evaluator },
      ],
      compatibilityDate: '2025-09-01',
      bindings: { AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url, ENGINE: mode },
    });
    try {
      await mf.ready;
      const startMs = performance.now() - t;
      const send = async (path: string, user: string) => (await mf.dispatchFetch(`http://worker.test${path}`, { headers: { 'x-user-id': user } })) as unknown as Response;
      return { startMs, ...(await firstRequest(send)) };
    } finally {
      await mf.dispose();
    }
  });
  check(samples, 'workerd');
}, 600_000);

it('a fresh edge-runtime sandbox answers its first request alike on the evaluator (compiled) and on the full engine (JSON)', async () => {
  const initialCode = await bundle('vercel-edge.ts', 'iife');
  // compiled once outside the sandbox, as Next.js does for a `.wasm?module` import
  const modules = { evaluator: new WebAssembly.Module(evaluatorWasmBytes()), full: new WebAssembly.Module(engineWasmBytes()) };
  const env = { AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url, POLL_INTERVAL_MS: '30000' };
  const samples = await measure(async (mode) => {
    const t = performance.now();
    const globals = mode === 'evaluator' ? { AVSB_WASM: modules.evaluator, AVSB_FULL_WASM: modules.full } : { AVSB_WASM: modules.full, AVSB_FULL_WASM: undefined };
    const runtime = new EdgeRuntime({ initialCode, extend: (context) => Object.assign(context, { ...globals, AVSB_ENV: env }) });
    const startMs = performance.now() - t;
    const send = async (path: string, user: string) => (await runtime.dispatchFetch(`http://edge.test${path}`, { headers: { 'x-user-id': user } })) as unknown as Response;
    return { startMs, ...(await firstRequest(send)) };
  });
  check(samples, 'edge-runtime');
}, 600_000);
