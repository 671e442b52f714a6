import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { globalPlatform, silentLogger } from '@avsb/common';
import { type SandboxServer, startSandboxServer } from '@avsb/server';
import { waitFor } from '@avsb/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BROWSER_KEEPALIVE_BYTES, browserTransport } from './browser-transport';
import type { FetchRequest } from './fetch-transport';
import type { EventBatch } from './wire';

// browserTransport against the real server. The page's services are injected as a page would give them: `fetch` (the
// real one, recording the options it was given) and `sendBeacon` (a real POST that nobody awaits, as a browser queues
// one). The same transport runs in Chromium in @avsb/browser's tests.

let server: SandboxServer;
beforeAll(async () => {
  server = await startSandboxServer();
}, 30_000);
afterAll(() => server.close());

let n = 0;
function batch(user: string, padding = 0): EventBatch {
  return {
    batchId: `browser-transport-${++n}`,
    sdk: { name: 'test', version: '1' },
    events: [{ kind: 'custom', time: Date.now(), contextKeys: { user }, key: 'tap', properties: { pad: 'x'.repeat(padding) } }],
  };
}

function harness(leaving: boolean, beaconAnswer = true) {
  const fetches: { url: string; keepalive: boolean | undefined; authorization: string | undefined }[] = [];
  const beacons: { url: string; body: string }[] = [];
  const platform = globalPlatform({ logger: silentLogger });
  const transport = browserTransport({
    baseUrl: server.url,
    sdkKey: server.clientKey,
    platform,
    fetch: (url: string, init: FetchRequest) => {
      fetches.push({ url, keepalive: init.keepalive, authorization: init.headers.Authorization });
      return fetch(url, init);
    },
    sendBeacon: (url, body) => {
      beacons.push({ url, body });
      if (beaconAnswer) void fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
      return beaconAnswer;
    },
    leaving: () => leaving,
  });
  return { transport, fetches, beacons };
}

async function stored(user: string): Promise<number> {
  const events = await server.admin<{ contextKeys?: Record<string, string> }[]>('/events?limit=1000');
  return events.filter((e) => e.contextKeys?.user === user).length;
}

it('sends by fetch with the key in a header and keepalive while the page lives; a large body without keepalive', async () => {
  const { transport, fetches, beacons } = harness(false);
  expect(await transport.send(batch('bt-live'))).toMatchObject({ status: 202 });
  expect(await transport.send(batch('bt-live', BROWSER_KEEPALIVE_BYTES))).toMatchObject({ status: 202 });
  expect(beacons).toEqual([]);
  expect(fetches.map((f) => f.keepalive)).toEqual([true, false]);
  expect(fetches.every((f) => f.url === `${server.url}/sdk/v1/events` && f.authorization === server.clientKey)).toBe(true);
  expect(await stored('bt-live')).toBe(2);
});

it('counts the body in UTF-8 bytes for keepalive and the beacon, as the browser sends it', async () => {
  // 'é' is one UTF-16 unit and two UTF-8 bytes: 29,000 of them fit under the limit, 30,000 do not (in characters, both would)
  const fits = { ...batch('bt-utf8'), events: [{ ...batch('bt-utf8').events[0]!, properties: { pad: 'é'.repeat(29_000) } }] } as EventBatch;
  const over = { ...batch('bt-utf8'), events: [{ ...batch('bt-utf8').events[0]!, properties: { pad: 'é'.repeat(30_000) } }] } as EventBatch;
  expect(JSON.stringify(over).length).toBeLessThan(BROWSER_KEEPALIVE_BYTES);
  const live = harness(false);
  expect(await live.transport.send(fits)).toMatchObject({ status: 202 });
  expect(await live.transport.send(over)).toMatchObject({ status: 202 });
  expect(live.fetches.map((f) => f.keepalive)).toEqual([true, false]);
  const leaving = harness(true);
  expect(await leaving.transport.send(over)).toMatchObject({ status: 202 });
  expect(leaving.beacons).toEqual([]);
  expect(await leaving.transport.send(fits)).toEqual({ status: 202 });
  expect(leaving.beacons).toEqual([{ url: expect.stringContaining('?key='), body: JSON.stringify(fits) }]);
  // two batches, each sent twice: the batch id keeps each stored once
  expect(await stored('bt-utf8')).toBe(2);
});

it('sends by beacon with ?key= while the page is leaving, and the server stores it', async () => {
  const { transport, fetches, beacons } = harness(true);
  const b = batch('bt-leaving');
  expect(await transport.send(b)).toEqual({ status: 202 });
  expect(fetches).toEqual([]);
  expect(beacons).toEqual([{ url: `${server.url}/sdk/v1/events?key=${encodeURIComponent(server.clientKey)}`, body: JSON.stringify(b) }]);
  await waitFor(async () => (await stored('bt-leaving')) === 1, 10_000, 'the beacon’s event');
});

it('falls back to fetch when the browser refuses the beacon, or the body is too large for one', async () => {
  const refused = harness(true, false);
  expect(await refused.transport.send(batch('bt-refused'))).toMatchObject({ status: 202 });
  expect(refused.beacons).toHaveLength(1);
  expect(refused.fetches).toHaveLength(1);
  const large = harness(true);
  expect(await large.transport.send(batch('bt-large', BROWSER_KEEPALIVE_BYTES))).toMatchObject({ status: 202 });
  expect(large.beacons).toEqual([]);
  expect(large.fetches.map((f) => f.keepalive)).toEqual([false]);
  expect(await stored('bt-refused')).toBe(1);
  expect(await stored('bt-large')).toBe(1);
});

it('gives up on a request the server does not answer within timeoutMs, and close() aborts one under way', async () => {
  // a real server that reads each request and never answers
  const hanging = createServer((request) => void request.resume());
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  try {
    const platform = globalPlatform({ logger: silentLogger });
    const armed: number[] = [];
    const timed = { ...platform, setTimeout: (fn: () => void, ms: number, keepAlive?: boolean) => (armed.push(ms), platform.setTimeout(fn, ms, keepAlive)) };
    const base = { baseUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, sdkKey: 'cli-hanging', platform: timed, leaving: () => false };
    // the server never answers: only the transport's own timer, armed for what was asked, can end the request
    await expect(browserTransport({ ...base, timeoutMs: 200 }).send(batch('bt-hang'))).rejects.toThrow('the events request timed out after 200 ms');
    expect(armed).toEqual([200]);
    const transport = browserTransport(base);
    const sending = transport.send(batch('bt-hang'));
    transport.close!();
    await expect(sending).rejects.toThrow();
  } finally {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  }
});
