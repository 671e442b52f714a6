import { expect, it } from 'vitest';
import { contractSuite } from '../harness/contract-suite';
import { boolFlag, datafile, schemaInvalidDatafile } from '../harness/datafiles';
import type { MockService } from '../harness/mock-service';

const suite = contractSuite();
const user = { kind: 'user', key: 'u_1' };
const GOOD = datafile(2, [boolFlag('contract-flag', true)]);

const BAD_FIRST_PUTS = [
  ['a put that is not JSON', (m: MockService) => m.streams[0]!.event('put', '{"datafile": {"schemaVersion": 1, "flags": [')],
  ['a put of a datafile the engine refuses', (m: MockService) => m.streams[0]!.put(schemaInvalidDatafile(1))],
] as const;

it.for(BAD_FIRST_PUTS)('drops a stream whose first event is %s, reconnects or polls, and becomes ready from a good source', async ([, sendBad], { skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, pollIntervalMs: 60_000 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.datafile = GOOD;
        // the first connection stays open after its bad put: only the SDK can end it
        m.onStream((c) => (c.index === 0 ? c.open() : c.put(GOOD)));
      },
    },
  );
  await mock.waitFor(() => mock.streams.length === 1, 'the first stream connection');
  sendBad(mock);
  expect(await client.waitForReady(3_000)).toEqual({ ready: true, revision: 2 });
  expect(mock.streams[0]!.endedBy).toBe('sdk');
  expect(await client.evaluate('contract-flag', user, false)).toMatchObject({ value: true, reason: { kind: 'FALLTHROUGH' } });
});

const BAD_LATER_PUTS = [
  ['is not JSON', '{"datafile": {"schemaVersion": 1, "revision": 3, "flags": ['],
  ['carries a datafile the engine refuses', JSON.stringify({ datafile: schemaInvalidDatafile(3) })],
] as const;

it.for(BAD_LATER_PUTS)('refuses a put that %s after a good one and keeps serving the good datafile', async ([, data], { skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.datafile = GOOD;
        m.onStream((c) => c.put(GOOD));
      },
    },
  );
  expect(await client.waitForReady(3_000)).toEqual({ ready: true, revision: 2 });
  mock.streams[0]!.event('put', data);
  // refused and reported, or the stream dropped and reconnected (whose put is the good datafile again)
  await mock.waitFor(async () => mock.streams.length > 1 || (await client.status()).lastError?.kind === 'invalid-datafile', 'the bad put to be refused');
  expect(await client.evaluate('contract-flag', user, false)).toMatchObject({ value: true, reason: { kind: 'FALLTHROUGH' } });
  expect((await client.status()).revision).toBe(2);
});

it('refetches the datafile after a patch out of sequence and serves what it gets', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.datafile = GOOD;
        m.onStream((c) => c.put(GOOD));
      },
    },
  );
  expect(await client.waitForReady(3_000)).toEqual({ ready: true, revision: 2 });
  mock.datafile = datafile(4, [boolFlag('contract-flag', false)]);
  mock.streams[0]!.patch(4, 'flag', 'contract-flag', boolFlag('contract-flag', false)); // 3 was lost
  await mock.waitFor(() => mock.datafileRequests.length >= 1, 'a datafile request');
  await mock.waitFor(async () => (await client.status()).revision === 4, 'revision 4');
  expect(await client.evaluate('contract-flag', user, true)).toMatchObject({ value: false });
});
