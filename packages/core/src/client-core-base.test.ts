import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { MemoryLogger } from '@avsb/test-support';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import { ClientCoreBase } from './client-core-base';
import type { DataSink } from './data-sources/data-source';

function base(initialDatafile: object | null = null) {
  const engine = AvsbEngine.createSync(engineWasmModule());
  const state = { sink: null as DataSink | null };
  const core = new ClientCoreBase({
    platform: testPlatform(new MemoryLogger()),
    engine,
    dataSource: (sink) => ((state.sink = sink), { start: () => {}, stop: () => {} }),
    initialDatafile,
  });
  return { core, engine, state };
}

it('serves a datafile, reports updates and closes like ClientCore, with neither hooks nor a release backstop', async () => {
  const { core, engine, state } = base(guideDatafile(1));
  expect(core.hooks).toBeNull();
  expect(core.backstop).toBeNull();
  expect('addHook' in core).toBe(false);
  await expect(core.onReady({ timeoutMs: 0 })).resolves.toEqual({ ready: true, revision: 1 });
  const user = core.forUser({ kind: 'user', key: 'u_1' });
  expect(user.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(engine.liveContexts).toBe(1);
  const updates: string[][] = [];
  core.on('update', (keys) => updates.push(keys));
  const next = guideDatafile(2);
  next.flags[0]!.on = false;
  state.sink!.put(next);
  expect(updates).toEqual([['checkout-v2']]);
  expect(user.getBoolFlag('checkout-v2', true)).toBe(false);
  user.close();
  expect(engine.liveContexts).toBe(0);
  await core.close();
  expect(core.ready).toBe(false);
  expect(core.forUser({ key: 'u_1' }).getBoolFlagDetails('checkout-v2', false).reason).toMatchObject({ errorKind: 'CLIENT_CLOSED' });
});

it('is what ClientCore extends: ClientCore keeps its hooks and its backstop', () => {
  const engine = AvsbEngine.createSync(engineWasmModule());
  const core = new ClientCore({ platform: testPlatform(new MemoryLogger()), engine, initialDatafile: guideDatafile(1) });
  expect(core).toBeInstanceOf(ClientCoreBase);
  expect(core.backstop).not.toBeNull();
  const seen: string[] = [];
  core.addHook({ afterEvaluation: (series) => void seen.push(series.flagKey) });
  core.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false);
  expect(seen).toEqual(['checkout-v2']);
});

// A custom data source is application code: whatever it throws is reported like a source problem, never thrown into the host.
it('reports a custom data source that throws from its factory, start() or stop() instead of throwing into the host app', async () => {
  const boom = (what: string) => () => {
    throw new Error(`${what} broke`);
  };
  for (const [name, factory] of [
    ['factory', boom('factory')],
    ['start', () => ({ start: boom('start'), stop: () => {} })],
    ['stop', () => ({ start: () => {}, stop: boom('stop') })],
  ] as const) {
    const logger = new MemoryLogger();
    const core = new ClientCoreBase({
      platform: testPlatform(logger),
      engine: AvsbEngine.createSync(engineWasmModule()),
      dataSource: factory,
      initialDatafile: guideDatafile(1),
    });
    // start runs on the next turn: give it one
    await new Promise((resolve) => setTimeout(resolve, 5));
    const user = core.forUser({ kind: 'user', key: 'u_1' });
    expect(user.getBoolFlag('checkout-v2', false), name).toBe(true);
    await expect(core.close(), name).resolves.toBeUndefined();
    const errors = logger.at('error');
    expect(errors, logger.text).toEqual([
      `the data source's ${name === 'factory' ? 'factory' : `${name}()`} threw: ${name} broke; ` +
        (name === 'stop' ? 'closing anyway' : 'serving revision 1 and no updates will arrive'),
    ]);
  }
});

// String() of an object without a prototype throws: turning it into the message must not throw out of the report.
it('reports a custom data source that throws a value without a message or a prototype, and still closes', async () => {
  const logger = new MemoryLogger();
  const core = new ClientCoreBase({
    platform: testPlatform(logger),
    engine: AvsbEngine.createSync(engineWasmModule()),
    dataSource: () => ({
      start: () => {},
      stop: () => {
        throw Object.create(null);
      },
    }),
    initialDatafile: guideDatafile(1),
  });
  await expect(core.close()).resolves.toBeUndefined();
  expect(logger.at('error')).toEqual(["the data source's stop() threw: unknown error; closing anyway"]);
});

it('names a throwing custom data source in a first wait that times out', async () => {
  const core = new ClientCoreBase({
    platform: testPlatform(new MemoryLogger()),
    engine: AvsbEngine.createSync(engineWasmModule()),
    dataSource: () => ({
      start: () => {
        throw new TypeError('no endpoint configured');
      },
      stop: () => {},
    }),
  });
  const result = await core.onReady({ timeoutMs: 30 });
  expect(result.ready).toBe(false);
  expect(result.ready ? '' : result.error.message).toContain("last problem: the data source's start() threw: no endpoint configured");
  expect(result.ready ? null : result.error.lastError).toEqual({ kind: 'source', message: "the data source's start() threw: no endpoint configured" });
  await core.close();
});
