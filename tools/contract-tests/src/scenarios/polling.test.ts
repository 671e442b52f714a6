import { expect, it } from 'vitest';
import { contractSuite } from '../harness/contract-suite';
import { boolFlag, datafile } from '../harness/datafiles';
import { sleep } from '../harness/mock-service';

const suite = contractSuite();
const user = { kind: 'user', key: 'u_1' };
/** Polling only, often: a failed poll is retried no later than the interval. */
const POLLING = { events: null, dataSource: { streaming: false, pollIntervalMs: 100 } } as const;

it.for([401, 403])('stops polling for good after HTTP %i and resolves ready as unauthorized', async (status, { skip }) => {
  const { mock, client } = await suite.start(skip, POLLING, {
    requires: ['polling'],
    prepare: (m) => m.onDatafile(() => ({ status })),
  });
  expect(await client.waitForReady(5_000)).toEqual({ ready: false, errorKind: 'unauthorized' });
  await sleep(1_000); // ten intervals
  expect(mock.datafileRequests).toHaveLength(1);
  expect(mock.streams).toHaveLength(0);
});

it.for([400, 429, 500, 503])('keeps polling after HTTP %i and becomes ready from the next answer', async (status, { skip }) => {
  const { mock, client } = await suite.start(skip, POLLING, {
    requires: ['polling'],
    prepare: (m) => {
      m.datafile = datafile(6);
      const good = { status: 200, body: JSON.stringify(m.datafile) };
      m.onDatafile((r) => (r.index === 0 ? { status } : good));
    },
  });
  expect(await client.waitForReady(5_000)).toEqual({ ready: true, revision: 6 });
  expect(mock.datafileRequests.length).toBeGreaterThanOrEqual(2);
});

it('sends If-None-Match with the last ETag, keeps serving on 304, and takes a changed datafile', async ({ skip }) => {
  const { mock, client } = await suite.start(skip, POLLING, {
    requires: ['polling'],
    prepare: (m) => {
      m.datafile = datafile(1, [boolFlag('contract-flag', true)]);
      m.onDatafile((r) =>
        r.headers['if-none-match'] === '"r1"' && r.index < 3
          ? { status: 304 }
          : r.index < 3
            ? { status: 200, headers: { ETag: '"r1"' }, body: JSON.stringify(m.datafile) }
            : { status: 200, headers: { ETag: '"r2"' }, body: JSON.stringify(datafile(2, [boolFlag('contract-flag', false)])) },
      );
    },
  });
  expect(await client.waitForReady(5_000)).toEqual({ ready: true, revision: 1 });
  await mock.waitFor(() => mock.datafileRequests.length >= 3, 'two conditional polls');
  expect(mock.datafileRequests[1]!.headers['if-none-match']).toBe('"r1"');
  await mock.waitFor(async () => (await client.status()).revision === 2, 'revision 2');
  expect(await client.evaluate('contract-flag', user, true)).toMatchObject({ value: false });
});
