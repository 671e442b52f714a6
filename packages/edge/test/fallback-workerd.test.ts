// The README's Worker on the evaluator (with fullEngine beside it) in workerd, against a service that predates
// compiled datafiles (the real server behind a proxy that answers JSON): the isolate's first request switches the
// engine to the full one and reads the real server's flags; a stale datafile is refreshed as JSON from then on.
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { COMPILED_MEDIA_TYPE } from '@avsb/engine';
import { waitFor } from '@avsb/test-support';
import { startJsonOnlyService } from './support/json-only-service';
import type { JsonOnlyService } from './support/json-only-service';
import { getAs, startWorkerd } from './support/runtime-scenario';

let real: SandboxServer;
let older: JsonOnlyService;
let mf: Miniflare;

beforeAll(async () => {
  real = await startSandboxServer();
  older = await startJsonOnlyService(real.url);
  mf = await startWorkerd('worker.ts', { AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: older.url, POLL_INTERVAL_MS: '1000' });
});

afterAll(async () => {
  await mf?.dispose();
  await older?.close();
  await real?.close();
});

const runtime = { send: async (path: string, init?: RequestInit) => (await mf.dispatchFetch(`http://worker.test${path}`, init as never)) as unknown as Response };

it('switches to the full engine on the first JSON answer and serves the flags in that same request', async () => {
  const answers = await Promise.all(['u_1', 'u_2', 'u_3'].map((user) => getAs(runtime, '/checkout', user)));
  for (const answer of answers) expect(answer).toMatchObject({ ready: true, revision: answers[0]!.revision });
  expect(answers[0]).toMatchObject({ showNewCheckout: true });
  expect(await getAs(runtime, '/checkout', 'u_7')).toMatchObject({ ready: true, theme: 'dark' });
  expect(await getAs(runtime, '/metrics', 'u_1')).toMatchObject({ engineBinary: 'full', engineFaults: 0, liveContexts: 0 });
  expect(older.datafileRequests[0]).toMatchObject({ accept: expect.stringContaining(COMPILED_MEDIA_TYPE), type: expect.stringContaining('application/json') });
});

it('refreshes as JSON on the full engine once switched', async () => {
  await real.patchFlag('ui-theme', { on: false });
  try {
    await waitFor(async () => (await getAs(runtime, '/checkout', 'u_7')).theme === 'default', 20_000, 'the flag change served after the switch');
  } finally {
    await real.patchFlag('ui-theme', { on: true });
  }
  expect(older.datafileRequests.at(-1)!.accept).toMatch(/^application\/json/);
  expect(await getAs(runtime, '/metrics', 'u_1')).toMatchObject({ engineBinary: 'full' });
});
