import { expect, it } from 'vitest';
import { contractSuite } from '../harness/contract-suite';
import { datafile } from '../harness/datafiles';
import { sleep } from '../harness/mock-service';

const suite = contractSuite();

it.for([401, 403])('stops for good after HTTP %i on the stream: no reconnection, no polling, ready resolves unauthorized', async (status, { skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, fallbackAfterFailures: 1, pollIntervalMs: 100 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.onStream((c) => c.reply(status)).onDatafile(() => ({ status }));
      },
    },
  );
  expect(await client.waitForReady(5_000)).toEqual({ ready: false, errorKind: 'unauthorized' });
  // time for a dozen retries at 50 ms, had it kept trying
  await sleep(1_000);
  expect(mock.streams).toHaveLength(1);
  expect(mock.datafileRequests).toHaveLength(0);
  expect((await client.status()).lastError).toEqual({ kind: 'unauthorized', status });
});

it.for([400, 408, 429, 500, 502, 503])('retries after HTTP %i on the stream and becomes ready from the next connection', async (status, { skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, fallbackAfterFailures: 100 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.datafile = datafile(5);
        m.onStream((c) => (c.index === 0 ? c.reply(status) : c.put(m.datafile)));
      },
    },
  );
  expect(await client.waitForReady(5_000)).toEqual({ ready: true, revision: 5 });
  expect(mock.streams).toHaveLength(2);
});

const HUGE_RETRY_AFTER = [
  [429, '99999999'],
  [503, '99999999'],
  [429, 'Fri, 31 Dec 9999 23:59:59 GMT'],
  [503, 'Fri, 31 Dec 9999 23:59:59 GMT'],
] as const;

it.for(HUGE_RETRY_AFTER)('does not storm the service when HTTP %i carries Retry-After: %s', async ([status, retryAfter], { skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, pollIntervalMs: 200 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        const answer = { status, headers: { 'Retry-After': retryAfter } };
        m.onStream((c) => c.reply(answer.status, answer.headers)).onDatafile(() => answer);
      },
    },
  );
  // setTimeout turns a delay above 2^31−1 ms into 1 ms: an unclamped Retry-After reconnects at once, again and again
  await sleep(1_500);
  expect(mock.dataRequests).toBeLessThanOrEqual(3);
  expect(await client.status()).toMatchObject({ ready: false, lastError: { kind: 'http', status } });
});

it('honours a short Retry-After on the stream before reconnecting', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, fallbackAfterFailures: 100 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.onStream((c) => (c.index === 0 ? c.reply(503, { 'Retry-After': '1' }) : c.put(m.datafile)));
      },
    },
  );
  expect(await client.waitForReady(5_000)).toMatchObject({ ready: true });
  expect(mock.streams[1]!.at - mock.streams[0]!.endedAt!).toBeGreaterThanOrEqual(995);
});

it('polls the datafile after repeated stream failures and becomes ready from it', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, maxRetryDelayMs: 100, fallbackAfterFailures: 2, pollIntervalMs: 60_000 } },
    {
      requires: ['streaming', 'polling', 'stream-retry-delay'],
      prepare: (m) => {
        m.datafile = datafile(11);
        m.onStream((c) => c.reply(503));
      },
    },
  );
  expect(await client.waitForReady(5_000)).toEqual({ ready: true, revision: 11 });
  expect(mock.datafileRequests.length).toBeGreaterThanOrEqual(1);
  expect(mock.streams.length).toBeGreaterThanOrEqual(2);
});
