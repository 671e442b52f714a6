// A service that misbehaves on purpose (issue 7): huge Retry-After values,
// invalid stream data, a stream that closes right after each datafile.
// Connections are counted, never timed: what the SDK did is seen through its own fetch, in the order it did it.
import type { ServerResponse } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { AvsbServer } from '../src/index';
import { streamingDataSource } from '@avsb/core';
import { MemoryLogger, holdTimers, sleep, timersDue, waitFor } from '@avsb/test-support';
import { recordingFetch } from './support/recording-fetch';
import {
  MALFORMED,
  SCHEMA_INVALID,
  ScriptedService,
  answer,
  goodDatafile,
  heartbeats,
  openStream,
  serveDatafile,
} from './support/scripted-service';

const STREAM = '/sdk/v1/stream';
const DATAFILE = '/sdk/v1/datafile';
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function service(): Promise<ScriptedService> {
  const s = await ScriptedService.start();
  cleanup.push(() => s.close());
  return s;
}

/** An SDK with quick retries (100 ms doubling to 400 ms) unless a test asks otherwise. */
function sdk(baseUrl: string, extra: Partial<ConstructorParameters<typeof AvsbServer>[0]> = {}) {
  const logger = new MemoryLogger();
  const server = new AvsbServer({
    sdkKey: 'srv-test-key',
    baseUrl,
    logger,
    logLevel: 'debug',
    events: false,
    streamInitialRetryDelayMs: 100,
    streamMaxRetryDelayMs: 400,
    requestTimeoutMs: 1000,
    ...extra,
  });
  cleanup.push(() => server.close());
  return { server, logger };
}

const putOf = (datafile: object): [string, string] => ['put', JSON.stringify({ datafile })];

it.each([
  ['429 with Retry-After: 99999999', 429, '99999999'],
  ['503 with Retry-After in the year 9999', 503, 'Fri, 31 Dec 9999 23:59:59 GMT'],
])('waits out a stream answered %s instead of reconnecting in a loop', async (_name, status, retryAfter) => {
  const s = await service();
  s.scripts[STREAM] = answer(status, { 'retry-after': retryAfter });
  s.scripts[DATAFILE] = answer(status, { 'retry-after': retryAfter });
  const did: string[] = [];
  const { server } = sdk(s.url, { streamInitialRetryDelayMs: 10, fetch: recordingFetch(did) });
  // the stream's answer, then the poll's (which the long pause started at once), handled: both timers are armed
  await waitFor(() => server.lastError?.message.startsWith('datafile request:'), 5000, 'the poll’s answer');
  // before the fix, Node fired the unclamped timer after 1 ms: hundreds of connections a second; a retry that ignored
  // the Retry-After would come after 10-20 ms. Either timer, fallen due, calls fetch at once
  await timersDue(100);
  // the long pause starts polling at once, and polling honours the same Retry-After
  expect(did).toEqual(['fetch /sdk/v1/stream', 'fetch /sdk/v1/datafile']);
  expect(s.count(STREAM)).toBe(1);
  expect(s.count(DATAFILE)).toBe(1);
  expect(server.lastError).toMatchObject({ kind: 'http', status });
});

it('polls at once when the stream asks for a pause longer than the polling interval, and gets ready from polling', async () => {
  const s = await service();
  s.scripts[STREAM] = answer(503, { 'retry-after': '3600' });
  s.scripts[DATAFILE] = serveDatafile(() => goodDatafile(4));
  const { server, logger } = sdk(s.url, { pollIntervalMs: 60_000 });
  // before, polling waited for three failed connections: three hours with this Retry-After
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true, revision: 4 });
  expect(s.count(STREAM)).toBe(1);
  expect(logger.text).toMatch(/stream: HTTP 503; polling the datafile while the stream retries/);
});

it('keeps waiting for onReady with a time limit above 2^31−1 ms instead of timing out at once', async () => {
  const s = await service();
  s.scripts[STREAM] = (_req, res) => {
    openStream(res, []);
    heartbeats(res, 100);
  };
  const { server } = sdk(s.url);
  const result = await Promise.race([server.onReady({ timeoutMs: 2 ** 32 }), sleep(500).then(() => 'still waiting')]);
  expect(result).toBe('still waiting');
});

it.each([
  ['malformed JSON', MALFORMED],
  ['a schema-invalid datafile', SCHEMA_INVALID],
])('drops a stream whose first put is %s, reconnects with backoff and gets ready through polling', async (_name, bad) => {
  const s = await service();
  s.scripts[STREAM] = (_req, res) => {
    openStream(res, [['put', bad]]);
    heartbeats(res, 50); // heartbeats keep the read timeout quiet: only the bad data can end this stream
  };
  s.scripts[DATAFILE] = serveDatafile(() => goodDatafile(3));
  const { server, logger } = sdk(s.url, { pollIntervalMs: 60_000 });
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true, revision: 3 });
  expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  expect(s.count(STREAM)).toBeGreaterThanOrEqual(3);
  expect(s.count(DATAFILE)).toBeGreaterThanOrEqual(1);
  expect(logger.text).toMatch(/stream: (a put event is not a JSON object|the engine refused a put event); polling the datafile while the stream retries/);
  // the stream keeps reconnecting (with backoff) while polling serves
  const streams = s.count(STREAM);
  await waitFor(() => s.count(STREAM) > streams, 3000, 'another stream connection');
});

it.each([
  ['malformed JSON', MALFORMED],
  ['a schema-invalid datafile', SCHEMA_INVALID],
])('refuses a put of %s after a good datafile, keeps serving the good one and reconnects', async (_name, bad) => {
  const s = await service();
  let second: ServerResponse | undefined;
  s.scripts[STREAM] = (_req, res, n) => {
    openStream(res, n === 1 ? [putOf(goodDatafile(2)), ['put', bad]] : [putOf(goodDatafile(2))]);
    if (n === 2) second = res;
    heartbeats(res, 50);
  };
  const did: string[] = [];
  const { server, logger } = sdk(s.url, { fetch: recordingFetch(did, { heartbeats: true }) });
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true, revision: 2 });
  await waitFor(() => s.count(STREAM) >= 2, 3000, 'a new stream after the bad put');
  expect(server.revision).toBe(2);
  expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  expect(logger.text).toMatch(/not a JSON object|refused a datafile \(stream\)/);
  // the good stream stays up: the SDK reads its heartbeats (300 ms of them) and the next put it carries, and opens no
  // other connection meanwhile
  const onSecond = () => did.slice(did.lastIndexOf('fetch /sdk/v1/stream'));
  await waitFor(() => onSecond().filter((d) => d === 'heartbeat').length >= 6, 5000, 'six heartbeats on the good stream');
  second!.write(`event: put\ndata: ${JSON.stringify({ datafile: goodDatafile(3) })}\n\n`);
  await waitFor(() => server.revision === 3, 3000, 'the next put on the good stream');
  expect(did.filter((d) => d === 'fetch /sdk/v1/stream')).toHaveLength(2);
  expect(s.count(STREAM)).toBe(2);
});

it('backs off from a stream that sends a datafile and closes every 100 ms (1 s initial delay, doubling)', async () => {
  const s = await service();
  s.scripts[STREAM] = (_req, res) => {
    openStream(res, [putOf(goodDatafile(1))]);
    s.later(100, () => res.destroy());
  };
  // the SDK's streaming source as AvsbServer builds it for streamInitialRetryDelayMs: 1_000 and streamMaxRetryDelayMs:
  // 30_000, its timers held on the test's clock: the reconnect delays are read as asked, not timed (a loaded machine
  // stretches them, and would pass a backoff that each put resets)
  const clock = holdTimers();
  const did: string[] = [];
  const source = streamingDataSource({ baseUrl: s.url, sdkKey: 'srv-test-key', requestTimeoutMs: 60_000, pollIntervalMs: 30_000, initialRetryDelayMs: 1_000, maxRetryDelayMs: 30_000 });
  const { server } = sdk(s.url, { fetch: recordingFetch(did), dataSource: (sink, platform) => source(sink, clock.wrap(platform)) });
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true });
  // between connections the one timer armed is the reconnect's (a connection's watchdogs wait 45 or 60 s)
  const reconnect = () => (clock.armed.length === 1 && clock.armed[0]!.ms <= 30_000 ? clock.armed[0]!.ms : undefined);
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    delays.push(await waitFor(reconnect, 3000, `the drop of connection ${i + 1}`));
    clock.advance(delays[i]!);
    expect(did.filter((d) => d === 'fetch /sdk/v1/stream')).toHaveLength(i + 2);
  }
  // from 1 s doubling, jitter keeping at least half: 0.5-1, 1-2, 2-4, 4-8 s (each 0.5-1 s when each put reset the backoff)
  delays.forEach((ms, i) => expect(ms).toSatisfy((ms: number) => ms >= 500 * 2 ** i && ms <= 1_000 * 2 ** i));
  expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
});

it('retries a polled datafile the engine refuses sooner than the interval, and serves the next good one', async () => {
  const s = await service();
  let good = false;
  s.scripts[DATAFILE] = (req, res, n) =>
    good ? serveDatafile(() => goodDatafile(4))(req, res, n) : refusedDatafile(res);
  const { server } = sdk(s.url, { streaming: false, pollIntervalMs: 60_000 });
  await waitFor(() => s.count(DATAFILE) >= 2, 5000, 'a second poll well before the interval');
  expect(server.ready).toBe(false);
  expect(server.lastError).toMatchObject({ kind: 'invalid-datafile' });
  good = true;
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true, revision: 4 });
});

/** A datafile answer with a body that is JSON but no datafile the engine accepts. */
function refusedDatafile(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify((JSON.parse(SCHEMA_INVALID) as { datafile: object }).datafile));
}
