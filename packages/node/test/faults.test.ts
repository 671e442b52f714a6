import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { AvsbServer } from '../src/index';
import { FaultProxy, freePort } from './support/fault-proxy';
import type { RealServer } from './support/harness';
import { MemoryLogger, sleep, timersDue, waitFor } from '@avsb/test-support';
import { startRealServer } from './support/harness';
import { recordingFetch } from './support/recording-fetch';

let real: RealServer;
const cleanup: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  real = await startRealServer();
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
afterAll(async () => {
  await real?.close();
});

/** Toggles a flag through the admin API, and back after the test. */
async function toggle(flag: string, on: boolean): Promise<void> {
  expect((await real.admin('PATCH', `/flags/${flag}`, { on })).status).toBe(200);
  cleanup.unshift(() => real.admin('PATCH', `/flags/${flag}`, { on: !on }));
}

async function proxy(port = 0): Promise<FaultProxy> {
  const p = await FaultProxy.start(real.url, port);
  cleanup.push(() => p.close());
  return p;
}

/** An SDK with quick retries, so the tests take seconds. */
function sdk(baseUrl: string, extra: Partial<ConstructorParameters<typeof AvsbServer>[0]> = {}) {
  const logger = new MemoryLogger();
  const server = new AvsbServer({
    sdkKey: real.serverKey,
    baseUrl,
    logger,
    logLevel: 'debug',
    events: false,
    streamInitialRetryDelayMs: 100,
    streamMaxRetryDelayMs: 400,
    requestTimeoutMs: 500,
    ...extra,
  });
  cleanup.push(() => server.close());
  return { server, logger };
}

it('serves defaults while the service is down at start-up, and gets ready once it comes up', async () => {
  const port = await freePort();
  const { server, logger } = sdk(`http://127.0.0.1:${port}`);
  const early = await server.onReady({ timeoutMs: 400 });
  expect(early.ready).toBe(false);
  if (!early.ready) {
    expect(early.error.kind).toBe('timeout');
    expect(early.error.message).toMatch(/no datafile within 400 ms \(last problem: (stream|datafile request): fetch failed \(ECONNREFUSED\)\)/);
  }
  expect(server.forUser({ key: 'u_1' }).getBoolFlagDetails('checkout-v2', false)).toMatchObject({
    value: false,
    reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' },
  });
  await proxy(port);
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true });
  expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  // one warning per distinct problem (the stream's, the fallback polling's), however many attempts it took
  const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  expect(warnings.length).toBeGreaterThanOrEqual(1);
  expect(warnings.length).toBeLessThanOrEqual(2);
  expect(new Set(warnings).size).toBe(warnings.length);
});

it('polls through 500s and timeouts on the datafile, and keeps the last good datafile', async () => {
  const p = await proxy();
  p.faults.datafileStatus = 500;
  const { server, logger } = sdk(p.url, { streaming: false, pollIntervalMs: 150 });
  const failed = await server.onReady({ timeoutMs: 500 });
  expect(failed.ready).toBe(false);
  expect(server.lastError).toMatchObject({ kind: 'http', status: 500 });
  p.faults = { datafileDelayMs: 2000 };
  await waitFor(() => server.lastError?.message.includes('timed out'), 3000, 'a timeout');
  p.faults = {};
  expect(await server.onReady({ timeoutMs: 3000 })).toMatchObject({ ready: true });
  const revision = server.revision;
  p.faults = { datafileStatus: 500 };
  const polls = p.count('/sdk/v1/datafile');
  await waitFor(() => p.count('/sdk/v1/datafile') > polls + 2, 3000, 'more polls');
  expect(server.revision).toBe(revision);
  expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  expect(logger.text).toMatch(/datafile request: HTTP 500; serving revision \d+ and retrying/);
});

it('falls back to polling with ETags when the stream keeps failing, and goes back to streaming', async () => {
  const p = await proxy();
  p.faults.streamStatus = 503;
  const did: string[] = [];
  const { server, logger } = sdk(p.url, { pollIntervalMs: 200, fetch: recordingFetch(did) });
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true });
  expect(logger.text).toMatch(/stream: HTTP 503; polling the datafile while the stream retries/);
  const revision = server.revision!;
  // polling sees a toggle
  await toggle('ui-theme', false);
  await waitFor(() => server.revision === revision + 1, 3000, 'the polled change');
  // unchanged polls are 304s: the datafile is not loaded again
  const polls = p.count('/sdk/v1/datafile');
  await waitFor(() => p.count('/sdk/v1/datafile') >= polls + 3, 3000, 'more polls');
  expect(server.revision).toBe(revision + 1);
  expect(p.statuses['/sdk/v1/datafile']!.slice(-2)).toEqual([304, 304]);
  // the stream comes back: polling stops as the SDK reads its put. The order the SDK did things in, not the proxy's
  // count some time after the stream opened: a loaded machine reads the put later than a poll interval.
  p.faults = {};
  await waitFor(() => did.includes('put stream'), 5000, 'the stream to deliver again');
  // the next poll's timer, armed before the put was read, has fallen due: it would have called fetch at once
  await timersDue(200);
  expect(did.slice(did.indexOf('put stream'))).not.toContain('fetch /sdk/v1/datafile');
});

it('reconnects a stream that drops every couple of seconds and keeps serving and updating', async () => {
  const p = await proxy();
  p.faults.dropStreamsAfterMs = 1500;
  const { server, logger } = sdk(p.url);
  const updates: string[][] = [];
  server.on('update', (keys) => updates.push(keys));
  await server.onReady({ timeoutMs: 3000 });
  const reader = server.forUser({ kind: 'user', key: 'u_2', plan: 'pro' });
  // reads all along until the third connection, the toggle sent once the first drop was reconnected: counted
  // connections, not five seconds of a clock that a loaded machine's reconnects can outlast
  let toggled = false;
  while (!toggled || p.count('/sdk/v1/stream') < 3) {
    expect(reader.getBoolFlag('checkout-v2', false)).toBe(!toggled);
    if (!toggled && p.count('/sdk/v1/stream') >= 2) {
      await toggle('checkout-v2', false);
      await waitFor(() => updates.some((k) => k.includes('checkout-v2') && updates.length > 1), 3000, 'the toggle');
      toggled = true;
    }
    await sleep(50);
  }
  expect(server.ready).toBe(true);
  // drops after a good connection are routine: nothing above debug
  expect(logger.at('warn')).toEqual([]);
}, 15_000);

it('refuses a malformed datafile pushed mid-stream, keeps serving the old one and reconnects', async () => {
  const p = await proxy();
  const { server, logger } = sdk(p.url);
  await server.onReady({ timeoutMs: 3000 });
  await waitFor(() => p.openStreams === 1, 2000, 'the stream');
  const revision = server.revision!;
  const c = server.forUser({ key: 'u_1' });
  const bad: [string, string][] = [
    ['put', JSON.stringify({ datafile: { schemaVersion: 1, revision: revision + 5, flags: 'none' } })],
    ['put', '{"datafile": {"schemaVersion": 1, "flags": ['],
    ['patch', JSON.stringify({ revision: revision + 1, kind: 'flag', key: 'checkout-v2' })],
  ];
  // each bad event breaks the stream: the SDK drops it and reconnects (with backoff), and the new stream starts with a good put
  for (const [event, data] of bad) {
    const streams = p.count('/sdk/v1/stream');
    p.inject(event, data);
    await waitFor(() => p.count('/sdk/v1/stream') > streams && p.openStreams === 1, 3000, `a new stream after a bad ${event}`);
  }
  await waitFor(() => logger.at('error').length >= 2 && logger.at('warn').some((m) => m.includes('not a JSON object')), 2000, 'the refusals');
  expect(logger.at('error').join('\n')).toMatch(/refused a datafile \(stream\): flags: .*still serving revision/);
  expect(logger.at('error').join('\n')).toMatch(/refused a patch \(revision \d+\): it needs a kind and a value object/);
  expect(server.revision).toBe(revision);
  expect(c.getBoolFlag('checkout-v2', false)).toBe(true);
  // the next real change still arrives over the stream
  await toggle('ui-theme', false);
  await waitFor(() => server.revision === revision + 1, 2000, 'the next change');
});

it('refetches the datafile when a patch was lost', async () => {
  const p = await proxy();
  const { server } = sdk(p.url);
  await server.onReady({ timeoutMs: 3000 });
  await waitFor(() => p.openStreams === 1, 2000, 'the stream');
  const revision = server.revision!;
  const fetches = p.count('/sdk/v1/datafile');
  p.faults.dropPatches = 1;
  await real.admin('PATCH', '/flags/search-page-size', { on: false });
  await waitFor(() => p.faults.dropPatches === 0, 2000, 'the patch to be lost');
  expect(server.revision).toBe(revision);
  await real.admin('PATCH', '/flags/search-page-size', { on: true });
  await waitFor(() => server.revision === revision + 2, 2000, 'the refetch');
  expect(p.count('/sdk/v1/datafile')).toBe(fetches + 1);
  expect(server.forUser({ key: 'u_1' }).getNumberFlag('search-page-size', 0)).toBe(20);
});

it('does not retry a refused key (401) in a loop', async () => {
  const p = await proxy();
  const did: string[] = [];
  const { server } = sdk(p.url, { sdkKey: 'srv-refusedrefusedrefusedrefused00000000', fetch: recordingFetch(did) });
  const result = await server.onReady({ timeoutMs: 5000 });
  expect(!result.ready && result.error.kind).toBe('unauthorized');
  // a retry's timer was armed as the 401 was handled, for at most the backoff's cap (400 ms here): fallen due, it
  // would have called fetch at once
  await timersDue(400);
  expect(did).toEqual(['fetch /sdk/v1/stream']);
  expect(p.count('/sdk/v1/stream')).toBe(1);
  expect(p.count('/sdk/v1/datafile')).toBe(0);
  const polled: string[] = [];
  const polling = sdk(p.url, { sdkKey: 'srv-refusedrefusedrefusedrefused00000000', streaming: false, pollIntervalMs: 100, fetch: recordingFetch(polled) });
  expect((await polling.server.onReady({ timeoutMs: 5000 })).ready).toBe(false);
  // a failed poll comes back no later than the interval
  await timersDue(100);
  expect(polled).toEqual(['fetch /sdk/v1/datafile']);
  expect(p.count('/sdk/v1/datafile')).toBe(1);
});

it('delivers a flag toggled through the admin API to update listeners over the stream it has open, with no request', async () => {
  const did: string[] = [];
  const { server } = sdk(real.url, { fetch: recordingFetch(did) });
  await server.onReady({ timeoutMs: 3000 });
  const c = server.forUser({ kind: 'user', key: 'u_1' });
  expect(c.getBoolFlag('checkout-v2', false)).toBe(true);
  const changed = new Promise<string[]>((resolve) => server.on('update', resolve));
  await toggle('checkout-v2', false);
  expect(await changed).toEqual(['checkout-v2']);
  // pushed on the one connection: no reconnect, no datafile request (a poll comes every 30 s), so no wait of the SDK's
  expect(did).toEqual(['fetch /sdk/v1/stream', 'put stream']);
  expect(c.getBoolFlagDetails('checkout-v2', true)).toMatchObject({ value: false, reason: { kind: 'OFF' } });
});

it('serves a valid initialDatafile while the service is down, then the service datafile once it is up', async () => {
  const port = await freePort();
  const initialDatafile = {
    schemaVersion: 1,
    revision: 0,
    flags: [{ key: 'checkout-v2', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 0 } }],
  };
  const did: string[] = [];
  const { server } = sdk(`http://127.0.0.1:${port}`, { initialDatafile, fetch: recordingFetch(did) });
  expect(await server.onReady({ timeoutMs: 1000 })).toMatchObject({ ready: true });
  expect(server.forUser({ key: 'u_1' }).getBoolFlagDetails('checkout-v2', true)).toMatchObject({ value: false, reason: { kind: 'FALLTHROUGH' } });
  // the service is still down: the initial datafile keeps serving once a connection failed (the SDK tries the next one)
  await waitFor(() => did.filter((d) => d === 'fetch /sdk/v1/stream').length >= 2, 5000, 'a failed connection');
  expect(server.revision).toBe(0);
  const updated = new Promise<readonly string[]>((resolve) => server.on('update', resolve));
  await proxy(port);
  expect(await updated).toContain('checkout-v2');
  expect(server.revision).toBeGreaterThan(0);
  expect(server.forUser({ key: 'u_1' }).getBoolFlagDetails('checkout-v2', false)).toMatchObject({ value: true, reason: { kind: 'TARGET_MATCH' } });
});

it('keeps events through a minute-long outage of the events endpoint, then stores each of them once', { timeout: 120_000 }, async () => {
  const p = await proxy();
  const did: string[] = [];
  const { server } = sdk(p.url, { events: { flushIntervalMs: 500, retryInitialDelayMs: 200, retryMaxDelayMs: 5_000 }, fetch: recordingFetch(did) });
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true });
  const prefix = `outage-${Date.now()}`;
  p.faults = { eventsStatus: 503 };
  const started = Date.now();
  let users = 0;
  while (Date.now() - started < 60_000) {
    // a free-plan visitor falls into checkout-v2's experiment: a context, an exposure and a purchase each
    using visitor = server.forUser({ kind: 'user', key: `${prefix}-${users}`, plan: 'free' });
    visitor.getBoolFlag('checkout-v2', false);
    visitor.track('purchase', { value: users });
    users++;
    await sleep(2_000);
  }
  const refused = p.statuses['/sdk/v1/events']?.filter((s) => s === 503).length ?? 0;
  expect(refused).toBeGreaterThan(5); // it kept retrying through the outage
  expect(server.metrics().events!.dropped).toBe(0);
  expect(server.metrics().events!.queued).toBeGreaterThanOrEqual(users * 3); // and the summaries
  p.faults = {};
  const mine = async () => (await real.events()).filter((e: any) => JSON.stringify(e.contextKeys ?? e.context?.key ?? '').includes(prefix));
  await waitFor(async () => (await mine()).length >= users * 3, 20_000, 'the held events to arrive');
  // no duplicate can come: nothing is held to be sent again, and the proxy answered every request the SDK made (the
  // server stores a batch before it answers; a request the SDK gave up on would still be on its way)
  const made = () => did.filter((d) => d === 'fetch /sdk/v1/events').length;
  await waitFor(() => server.metrics().events!.queued === 0 && (p.statuses['/sdk/v1/events']?.length ?? 0) === made(), 20_000, 'every request answered');
  const stored = await mine();
  const values = stored.filter((e: any) => e.kind === 'custom').map((e: any) => e.value).sort((a: number, b: number) => a - b);
  expect(values).toEqual(Array.from({ length: users }, (_, i) => i));
  expect(stored.filter((e: any) => e.kind === 'exposure')).toHaveLength(users);
  expect(stored.filter((e: any) => e.kind === 'context')).toHaveLength(users);
  expect(server.metrics().events).toMatchObject({ queued: 0, dropped: 0 });
});
