// AvsbEdge on the evaluator (avsb-evaluator.wasm) in Node against the real A vs B server: it asks for compiled
// datafiles and serves them, and a service that answers JSON (one that predates compiled datafiles, played by
// rewriting the request's Accept, as such a service ignores it) switches the engine to fullEngine, once, before
// the first request's reads; the reads are the full engine's in every case.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { MemoryLogger, datafileService } from '@avsb/test-support';
import type { ResponseLike } from '@avsb/core';
import { COMPILED_MEDIA_TYPE } from '@avsb/engine';
import { AvsbEdge } from './index';
import type { AvsbEdgeOptions } from './index';

const module = (name: string) => new WebAssembly.Module(readFileSync(fileURLToPath(new URL(`../../engine/dist/${name}`, import.meta.url))));
const evaluator = module('avsb-evaluator.wasm');
const fullEngine = module('avsb-engine.wasm');

let real: SandboxServer;
beforeAll(async () => {
  real = await startSandboxServer();
});
afterAll(async () => {
  await real?.close();
});

const clients: AvsbEdge[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** The real server through a fetch recording each datafile exchange; `jsonOnly` plays a service that answers JSON. */
const service = (jsonOnly: boolean) => datafileService<ResponseLike>(jsonOnly);

function edge(options: Partial<AvsbEdgeOptions>): AvsbEdge & { log: MemoryLogger } {
  const logger = new MemoryLogger();
  const client = new AvsbEdge({ sdkKey: real.serverKey, baseUrl: real.url, wasm: evaluator, logger, logLevel: 'debug', events: false, ...options });
  clients.push(client);
  return Object.assign(client, { log: logger });
}

/** What a set of users reads, detailed, from `avsb`. */
function reads(avsb: AvsbEdge): unknown[] {
  return ['u_1', 'u_2', 'u_7', 'u_42'].map((key) => {
    const client = avsb.forUser({ kind: 'user', key, plan: 'free' });
    try {
      return [client.getBoolFlagDetails('checkout-v2', false), client.getStringFlagDetails('ui-theme', 'default'), client.allFlags()];
    } finally {
      client.close();
    }
  });
}

async function fullEngineReads(): Promise<unknown[]> {
  const full = edge({ wasm: fullEngine });
  expect(await full.onReady()).toMatchObject({ ready: true });
  expect(full.metrics().engineBinary).toBe('full');
  return reads(full);
}

it('asks for the compiled datafile, serves it on the evaluator, and reads as the full engine does', async () => {
  const net = service(false);
  const avsb = edge({ fetch: net.fetch, fullEngine });
  expect(await avsb.onReady()).toMatchObject({ ready: true });
  expect(net.seen).toEqual([{ accept: expect.stringMatching(new RegExp(`^${COMPILED_MEDIA_TYPE.replace(/[.;=+]/g, '\\$&')}`)), type: expect.stringContaining('compiled') }]);
  expect(avsb.metrics().engineBinary).toBe('evaluator');
  expect(reads(avsb)).toEqual(await fullEngineReads());
});

it('switches to fullEngine when the service answers JSON, before the first request reads', async () => {
  const net = service(true);
  // given later than the datafile (a dynamic import): the first onReady still settles after the switch
  const avsb = edge({ fetch: net.fetch, fullEngine: () => new Promise((resolve) => setTimeout(() => resolve(fullEngine), 50)), pollIntervalMs: 0 });
  expect(await avsb.onReady()).toMatchObject({ ready: true });
  expect(net.seen[0]).toMatchObject({ type: expect.stringContaining('application/json') });
  expect(avsb.metrics()).toMatchObject({ engineBinary: 'full', engineFaults: 0 });
  expect(reads(avsb)).toEqual(await fullEngineReads());
  // switched once: later requests are the full engine's, asking JSON first
  expect(await avsb.onReady()).toMatchObject({ ready: true });
  expect(net.seen.at(-1)!.accept).toMatch(/^application\/json/);
  expect(avsb.log.lines.filter((l) => l.message.includes('loading avsb-engine.wasm'))).toHaveLength(1);
});

it('serves defaults and says what to pass when the service answers JSON and no fullEngine was given', async () => {
  const avsb = edge({ fetch: service(true).fetch });
  expect(await avsb.onReady({ timeoutMs: 10_000 })).toMatchObject({ ready: false });
  expect(avsb.metrics().engineBinary).toBe('evaluator');
  expect(avsb.log.lines.some((l) => l.level === 'error' && l.message.includes('pass fullEngine'))).toBe(true);
  const client = avsb.forUser({ kind: 'user', key: 'u_1' });
  expect(client.getBoolFlagDetails('checkout-v2', false)).toMatchObject({ value: false, reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' } });
  client.close();
});

it('serves a JSON initialDatafile offline on the evaluator through fullEngine', async () => {
  const datafile = await (await fetch(`${real.url}/sdk/v1/datafile`, { headers: { authorization: `Bearer ${real.serverKey}` } })).json();
  const avsb = edge({ sdkKey: undefined, offline: true, initialDatafile: datafile, fullEngine });
  expect(await avsb.onReady()).toMatchObject({ ready: true });
  expect(avsb.metrics().engineBinary).toBe('full');
  expect(reads(avsb)).toEqual(await fullEngineReads());
});

it('refuses a fullEngine that is not a precompiled module, with what to pass', () => {
  expect(() => edge({ fullEngine: new Uint8Array(8) as never })).toThrow(/fullEngine must be avsb-engine\.wasm precompiled/);
});
