import { expect, it } from 'vitest';
import { contractSuite } from '../harness/contract-suite';
import { sleep } from '../harness/mock-service';

const suite = contractSuite();
const READ_TIMEOUT_MS = 500;

it('drops a stream that goes silent after its put (no heartbeat) once the read timeout passes, and reconnects', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, readTimeoutMs: READ_TIMEOUT_MS } },
    { requires: ['streaming', 'stream-read-timeout'] },
  );
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  await mock.waitFor(() => mock.streams.length >= 2, 'a second stream connection', 5_000);
  const first = mock.streams[0]!;
  expect(first.endedBy).toBe('sdk');
  // not before the read timeout counted from the last byte
  expect(first.endedAt! - first.lastWriteAt!).toBeGreaterThanOrEqual(READ_TIMEOUT_MS - 5);
});

it('drops a stream that answers 200 and never sends a byte, and reconnects', async ({ skip }) => {
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, readTimeoutMs: READ_TIMEOUT_MS, fallbackAfterFailures: 100 } },
    {
      requires: ['streaming', 'stream-read-timeout'],
      prepare: (m) => m.onStream((c) => (c.index === 0 ? c.open() : c.put(m.datafile))),
    },
  );
  expect(await client.waitForReady(5_000)).toMatchObject({ ready: true });
  expect(mock.streams).toHaveLength(2);
  expect(mock.streams[0]!.endedBy).toBe('sdk');
});

it('keeps a stream that sends only heartbeats, more often than the read timeout', async ({ skip }) => {
  let beat: ReturnType<typeof setInterval> | undefined;
  // a longer timeout here: a busy test process must not turn a late heartbeat into a drop
  const readTimeoutMs = READ_TIMEOUT_MS * 2;
  const { mock, client } = await suite.start(
    skip,
    { events: null, dataSource: { initialRetryDelayMs: 50, readTimeoutMs } },
    {
      requires: ['streaming', 'stream-read-timeout'],
      prepare: (m) =>
        m.onStream((c) => {
          c.put(m.datafile);
          beat = setInterval(() => c.comment('heartbeat'), readTimeoutMs / 10);
        }),
    },
  );
  try {
    expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
    await sleep(readTimeoutMs * 2.5);
    expect(mock.streams).toHaveLength(1);
    expect(mock.streams[0]!.endedAt).toBeNull();
  } finally {
    clearInterval(beat);
  }
});
