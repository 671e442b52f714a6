// The stream's backoff starts over only after a connection stayed up 60 s,
// measured on the platform's clock, which this test moves by hand. Retry
// delays are read from what the data source asks the platform to schedule
// (jitter fixed at 0, so each delay is its full value), never timed.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Platform } from '@avsb/core';
import { ClientCore, streamingDataSource } from '@avsb/core';
import { AvsbEngine } from '@avsb/engine';
import { engineWasmModule } from '@avsb/engine/node';
import { afterEach, expect, it } from 'vitest';
import { MemoryLogger, waitFor } from '@avsb/test-support';
import { ScriptedService, goodDatafile, heartbeats, openStream } from './support/scripted-service';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Node's timers and fetch, a clock `skew` ms ahead of the real one, jitter 0, and every delay scheduled. */
function platform() {
  const state = { skew: 0, delays: [] as number[] };
  const p: Platform = {
    fetch: (url, init) => fetch(url, init as RequestInit),
    newAbortController: () => new AbortController(),
    setTimeout: (fn, ms, keepAlive) => {
      state.delays.push(ms);
      const t = setTimeout(fn, ms);
      if (!keepAlive) t.unref();
      return t;
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now() + state.skew,
    randomId: () => randomUUID(),
    random: () => 0,
    logger: new MemoryLogger(),
  };
  return { p, state };
}

it('starts the backoff over only after a connection stayed up 60 s on the platform clock', async () => {
  const s = await ScriptedService.start();
  cleanup.push(() => s.close());
  const open: ServerResponse[] = [];
  // connections 1–3 send a datafile and close at once; later ones stay open until the test ends them
  s.scripts['/sdk/v1/stream'] = (_req, res, n) => {
    // revision n on connection n: the client applied it (and so counts the connection as up) once its store has it
    openStream(res, [['put', JSON.stringify({ datafile: goodDatafile(n) })]]);
    if (n <= 3) s.later(20, () => res.destroy());
    else {
      heartbeats(res, 100);
      open.push(res);
    }
  };
  const { p, state } = platform();
  const core = new ClientCore({
    platform: p,
    engine: AvsbEngine.createSync(engineWasmModule()),
    dataSource: streamingDataSource({ baseUrl: s.url, sdkKey: 'srv-test', initialRetryDelayMs: 100, maxRetryDelayMs: 30_000 }),
  });
  cleanup.push(() => core.close());
  // retry delays are the ones below the request (10 s) and read (45 s) timeouts
  const retries = () => state.delays.filter((ms) => ms > 0 && ms < 10_000);

  await waitFor(() => open.length === 1 && core.store.revision === 4, 5000, 'the fourth connection, applied');
  expect(retries()).toEqual([100, 200, 400]); // a datafile on each connection did not reset the backoff

  state.skew += 59_000; // up 59 s: not long enough
  open[0]!.destroy();
  await waitFor(() => open.length === 2 && core.store.revision === 5, 5000, 'the fifth connection, applied');
  expect(retries()).toEqual([100, 200, 400, 800]);

  state.skew += 60_000; // up 60 s: the next failure starts over
  open[1]!.destroy();
  await waitFor(() => open.length === 3 && core.store.revision === 6, 5000, 'the sixth connection, applied');
  expect(retries()).toEqual([100, 200, 400, 800, 100]);
  expect(s.count('/sdk/v1/stream')).toBe(6);
  expect(core.ready).toBe(true);
});
