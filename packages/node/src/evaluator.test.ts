// AvsbServer on the evaluator (`engineBinary: 'evaluator'`, avsb-evaluator.wasm from @avsb/engine's files) against
// the real A vs B server on 127.0.0.1: it asks for compiled datafiles, by polling and by the stream, and reads as the
// full engine does; a service that answers JSON (one that predates compiled datafiles, played by rewriting the
// request's Accept, as such a service ignores it) or a JSON initialDatafile switches it to the full engine, once.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { MemoryLogger, datafileService } from '@avsb/test-support';
import type { ResponseLike } from '@avsb/core';
import { COMPILED_MEDIA_TYPE } from '@avsb/engine';
import { compileDatafile } from '@avsb/engine/compiler';
import { AvsbConfigError, AvsbServer } from './index';
import type { AvsbServerOptions } from './index';

let real: SandboxServer;
beforeAll(async () => {
  real = await startSandboxServer();
});
afterAll(async () => {
  await real?.close();
});

const servers: AvsbServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The real server through a fetch recording each datafile exchange; `jsonOnly` plays a service that answers JSON. */
const service = (jsonOnly: boolean) => datafileService<ResponseLike>(jsonOnly);

function server(options: Partial<AvsbServerOptions>): AvsbServer & { log: MemoryLogger } {
  const logger = new MemoryLogger();
  const s = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logger, logLevel: 'debug', events: false, ...options });
  servers.push(s);
  return Object.assign(s, { log: logger });
}

/** What a set of users reads, detailed. */
function reads(avsb: AvsbServer): unknown[] {
  return ['u_1', 'u_2', 'u_7', 'u_42'].map((key) => {
    using client = avsb.forUser({ kind: 'user', key, plan: 'free' });
    return [client.getBoolFlagDetails('checkout-v2', false), client.getStringFlagDetails('ui-theme', 'default'), avsb.allFlags({ kind: 'user', key, plan: 'free' })];
  });
}

async function fullEngineReads(): Promise<unknown[]> {
  const full = server({ streaming: false });
  expect(await full.onReady()).toMatchObject({ ready: true });
  expect(full.metrics().engineBinary).toBe('full');
  return reads(full);
}

const compiledAccept = new RegExp(`^${COMPILED_MEDIA_TYPE.replace(/[.;=+]/g, '\\$&')}`);

for (const streaming of [false, true]) {
  it(`asks for the compiled datafile${streaming ? ' (streaming)' : ' (polling)'}, serves it on the evaluator, and reads as the full engine does`, async () => {
    const net = service(false);
    const avsb = server({ engineBinary: 'evaluator', streaming, fetch: net.fetch });
    expect(await avsb.onReady()).toMatchObject({ ready: true });
    expect(net.seen[0]).toEqual({ accept: expect.stringMatching(compiledAccept), type: expect.stringContaining('compiled') });
    expect(avsb.metrics()).toMatchObject({ engineBinary: 'evaluator', engineFaults: 0 });
    expect(reads(avsb)).toEqual(await fullEngineReads());
  });
}

it('follows a change streamed by the service on the evaluator: it fetches the compiled datafile of the new revision', async () => {
  const net = service(false);
  const avsb = server({ engineBinary: 'evaluator', fetch: net.fetch });
  expect(await avsb.onReady()).toMatchObject({ ready: true });
  const revision = avsb.revision!;
  await real.patchFlag('ui-theme', { on: false });
  try {
    await expect.poll(() => avsb.revision, { timeout: 5_000 }).toBe(revision + 1);
    expect(net.seen.length).toBeGreaterThanOrEqual(2);
    expect(net.seen.at(-1)).toEqual({ accept: expect.stringMatching(compiledAccept), type: expect.stringContaining('compiled') });
    expect(avsb.metrics().engineBinary).toBe('evaluator');
    using client = avsb.forUser({ kind: 'user', key: 'u_1' });
    expect(client.getStringFlagDetails('ui-theme', 'default')).toMatchObject({ reason: { kind: 'OFF' } });
  } finally {
    await real.patchFlag('ui-theme', { on: true });
  }
});

it('switches to the full engine, read from the package files, when the service answers JSON', async () => {
  const net = service(true);
  const avsb = server({ engineBinary: 'evaluator', streaming: false, fetch: net.fetch });
  expect(await avsb.onReady()).toMatchObject({ ready: true });
  expect(net.seen[0]).toMatchObject({ accept: expect.stringMatching(compiledAccept), type: expect.stringContaining('application/json') });
  await expect.poll(() => avsb.metrics().engineBinary).toBe('full');
  expect(avsb.metrics().engineFaults).toBe(0);
  expect(reads(avsb)).toEqual(await fullEngineReads());
  expect(avsb.log.lines.filter((l) => l.message.includes('loading avsb-engine.wasm'))).toHaveLength(1);
});

it('serves a JSON initialDatafile offline on the evaluator through the full engine, and a compiled one on the evaluator', async () => {
  const datafile = (await (await fetch(`${real.url}/sdk/v1/datafile`, { headers: { authorization: real.serverKey } })).json()) as object;
  const fromJson = server({ sdkKey: undefined, offline: true, engineBinary: 'evaluator', initialDatafile: datafile });
  await expect.poll(() => fromJson.metrics().engineBinary).toBe('full');
  expect(await fromJson.onReady()).toMatchObject({ ready: true });
  const compiled = compileDatafile(datafile);
  if (!compiled.ok) throw new Error(compiled.error);
  const fromCompiled = server({ sdkKey: undefined, offline: true, engineBinary: 'evaluator', initialDatafile: compiled.document });
  expect(await fromCompiled.onReady()).toMatchObject({ ready: true });
  expect(fromCompiled.metrics().engineBinary).toBe('evaluator');
  const expected = await fullEngineReads();
  expect(reads(fromJson)).toEqual(expected);
  expect(reads(fromCompiled)).toEqual(expected);
});

it('refuses an engineBinary it does not know, naming the two it takes', () => {
  expect(() => server({ engineBinary: 'fast' as never })).toThrow(/engineBinary must be 'full' or 'evaluator', not "fast"/);
});

it('refuses a fullEngine that is not a compiled module, with what to pass', () => {
  expect(() => server({ engineBinary: 'evaluator', fullEngine: new Uint8Array(8) as never })).toThrow(AvsbConfigError);
  expect(() => server({ engineBinary: 'evaluator', fullEngine: new Uint8Array(8) as never })).toThrow(/fullEngine must be avsb-engine\.wasm compiled/);
});
