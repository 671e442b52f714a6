import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { expect, it } from 'vitest';
import { guideDatafile } from '../test/support/fixtures';
import { MemoryLogger } from '@avsb/test-support';
import { testPlatform } from '../test/support/platform';
import { ClientCore } from './client-core';
import type { DataSink } from './data-sources/data-source';

/** A data source the test drives by hand through the sink it was given. */
function manualSource() {
  const state = { sink: null as DataSink | null, started: 0, stopped: 0 };
  const factory = (sink: DataSink) => {
    state.sink = sink;
    return { start: () => void state.started++, stop: () => void state.stopped++ };
  };
  return { state, factory };
}

function core(extra: Partial<ConstructorParameters<typeof ClientCore>[0]> = {}) {
  const logger = new MemoryLogger();
  const source = manualSource();
  const c = new ClientCore({
    platform: testPlatform(logger),
    engine: AvsbEngine.createSync(engineWasmModule()),
    dataSource: source.factory,
    ...extra,
  });
  return { c, logger, source: source.state };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

it('starts its data source on the next turn, not in the constructor', async () => {
  const { source } = core();
  expect(source.started).toBe(0);
  await tick();
  expect(source.started).toBe(1);
});

it('resolves onReady once the data source delivers a datafile', async () => {
  const { c, source } = core();
  const ready = c.onReady({ timeoutMs: 5000 });
  await tick();
  expect(c.ready).toBe(false);
  source.sink!.put(guideDatafile(9));
  await expect(ready).resolves.toEqual({ ready: true, revision: 9 });
  await expect(c.onReady()).resolves.toEqual({ ready: true, revision: 9 });
});

it('is ready at once with an initial datafile', async () => {
  const { c } = core({ initialDatafile: guideDatafile(2) });
  await expect(c.onReady({ timeoutMs: 0 })).resolves.toEqual({ ready: true, revision: 2 });
});

it('settles with a timeout error that names the last problem, and becomes ready later', async () => {
  const { c, source } = core();
  await tick();
  source.sink!.error({ kind: 'network', message: 'stream: connect ECONNREFUSED' });
  const result = await c.onReady({ timeoutMs: 20 });
  expect(result.ready).toBe(false);
  if (result.ready) return;
  expect(result.error.kind).toBe('timeout');
  expect(result.error.message).toMatch(/no datafile within 20 ms \(last problem: stream: connect ECONNREFUSED\).*CLIENT_NOT_READY.*background/);
  source.sink!.put(guideDatafile(1));
  expect((await c.onReady({ timeoutMs: 20 })).ready).toBe(true);
});

it('settles with an unauthorized error at once when the key is refused', async () => {
  const { c, source, logger } = core();
  const pending = c.onReady({ timeoutMs: 10_000 });
  await tick();
  source.sink!.error({ kind: 'unauthorized', status: 401, message: 'stream: refused' });
  const result = await pending;
  expect(result.ready).toBe(false);
  if (result.ready) return;
  expect(result.error.kind).toBe('unauthorized');
  expect(result.error.message).toMatch(/refused the SDK key \(HTTP 401\).*AVSB_SDK_KEY.*Settings → Environments/);
  expect(logger.at('error')).toHaveLength(1);
  expect((await c.onReady()).ready).toBe(false);
});

it('logs a repeated data source problem once, and its recovery', async () => {
  const { c, source, logger } = core();
  await tick();
  for (let i = 0; i < 5; i++) source.sink!.error({ kind: 'http', status: 500, message: 'datafile request: HTTP 500' });
  source.sink!.valid();
  expect(logger.at('warn')).toEqual(['datafile request: HTTP 500; serving flag defaults and retrying']);
  expect(logger.at('info')).toContain('connected to A vs B again');
  expect(c.lastError).toBeNull();
});

it('calls update listeners with the changed keys until they are removed', async () => {
  const { c, source } = core();
  const seen: string[][] = [];
  const listener = (keys: string[]) => seen.push(keys);
  c.on('update', listener);
  await tick();
  source.sink!.put(guideDatafile(1));
  const next = guideDatafile(2);
  next.flags[4]!.on = true;
  source.sink!.put(next);
  c.off('update', listener);
  source.sink!.put(guideDatafile(3));
  expect(seen).toEqual([['checkout-v2', 'ui-theme', 'page-size', 'banner', 'dark-launch'], ['dark-launch']]);
});

it('close stops the data source, settles waiters and flushes events within its limit', async () => {
  let closedWith: number | undefined;
  const { c, source } = core({
    closeTimeoutMs: 50,
    events: {
      recordExposure() {},
      recordCustom() {},
      close: (ms?: number) => {
        closedWith = ms;
        return new Promise(() => {}); // never finishes: close must not wait forever
      },
    },
  });
  const pending = c.onReady({ timeoutMs: 10_000 });
  await tick();
  // the events' close never settles: close() resolving at all is its limit at work (a wait for it times the test out)
  await c.close();
  expect(closedWith).toBe(50);
  expect(source.stopped).toBe(1);
  const result = await pending;
  expect(!result.ready && result.error.kind).toBe('closed');
  expect(c.close()).toBe(c.close());
});
