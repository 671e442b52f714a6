import { expect, it } from 'vitest';
import { contractSuite } from '../harness/contract-suite';
import { datafile } from '../harness/datafiles';
import { ceilings, outOfBounds, reconnectDelays } from '../harness/delays';

const suite = contractSuite();
/** Time the SDK may take, beyond its delay, to see a closed connection and open the next one. */
const SLACK_MS = 400;

it('reconnects after a drop with delays from the initial delay, doubling to the cap, each jittered by at most half', async ({ skip }) => {
  const initial = 200;
  const max = 800;
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: initial, maxRetryDelayMs: max, fallbackAfterFailures: 100 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.datafile = datafile(1);
        m.onStream((c) => {
          if (c.index === 0) {
            c.put(m.datafile);
            setTimeout(() => c.close(), 50); // a drop after a good connection
          } else if (c.index <= 5) {
            c.reply(503); // then five failed attempts
          } else {
            c.put(m.datafile);
          }
        });
      },
    },
  );
  expect(await client.waitForReady(5_000)).toMatchObject({ ready: true });
  await mock.waitFor(() => mock.streams.length >= 7, 'the seventh stream connection', 15_000);
  const delays = reconnectDelays(mock.streams.slice(0, 7));
  // 200, 400, 800 (the cap), 800, 800, 800
  expect(outOfBounds(delays, ceilings(6, initial, max), SLACK_MS)).toEqual([]);
});

it('keeps doubling the delay when every connection sends a put and closes at once (the backoff resets only after 60 s up)', async ({ skip }) => {
  const initial = 100;
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: initial, maxRetryDelayMs: 30_000, fallbackAfterFailures: 100 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.datafile = datafile(1);
        m.onStream((c) => {
          c.put(m.datafile);
          c.close();
        });
      },
    },
  );
  expect(await client.waitForReady(5_000)).toMatchObject({ ready: true });
  await mock.waitFor(() => mock.streams.length >= 6, 'the sixth stream connection', 15_000);
  const delays = reconnectDelays(mock.streams.slice(0, 6));
  // 100, 200, 400, 800, 1600: a put is no proof that the service is healthy
  expect(outOfBounds(delays, ceilings(5, initial, 30_000), SLACK_MS)).toEqual([]);
});

it('reconnects after the service ends a healthy stream, and serves the new stream\'s datafile', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 100 } },
    {
      requires: ['streaming', 'stream-retry-delay'],
      prepare: (m) => {
        m.onStream((c) => {
          c.put(datafile(c.index + 1));
          if (c.index === 0) setTimeout(() => c.close(), 100);
        });
      },
    },
  );
  expect(await client.waitForReady(5_000)).toEqual({ ready: true, revision: 1 });
  await mock.waitFor(() => mock.streams.length >= 2, 'a second stream connection');
  await mock.waitFor(async () => (await client.status()).revision === 2, 'revision 2');
  expect(mock.streams[0]!.endedBy).toBe('mock');
});
