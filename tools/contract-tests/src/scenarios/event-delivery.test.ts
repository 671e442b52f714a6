import { expect, it } from 'vitest';
import { contractSuite } from '../harness/contract-suite';
import type { WireEventJson } from '../harness/mock-service';
import { sleep } from '../harness/mock-service';

const suite = contractSuite();
const user = { kind: 'user', key: 'u_1' };
/** Nothing is sent on a timer during a scenario: only `flush` (and close) send. */
const QUIET = { flushIntervalMs: 60_000, batchSize: 1_000, retryInitialDelayMs: 50 };

const customKeys = (events: readonly WireEventJson[]): string[] =>
  events.filter((e) => e.kind === 'custom').map((e) => String(e.key));

it('delivers exactly capacity events and reports every event beyond it as dropped', async ({ skip }) => {
  const capacity = 5;
  const extra = 3;
  const { mock, client } = await suite.start(
    skip,
    { events: { ...QUIET, capacity } },
    { requires: ['events', 'event-capacity', 'event-status'] },
  );
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  // the context's own `context` event is the first of the capacity + extra recorded
  for (let i = 1; i < capacity + extra; i++) await client.track(user, `e${i}`);
  await client.flush();
  await mock.waitFor(() => mock.storedBatches.size >= 1, 'a stored batch');
  const stored = mock.storedEvents();
  expect(stored).toHaveLength(capacity);
  expect(stored.filter((e) => e.kind === 'context')).toHaveLength(1);
  expect(customKeys(stored)).toEqual(['e1', 'e2', 'e3', 'e4']);
  expect((await client.status()).events).toMatchObject({ dropped: extra, sent: capacity, queued: 0 });
  // the buffer has room again once the server took the batch
  await client.track(user, 'after');
  await client.flush();
  await mock.waitFor(() => customKeys(mock.storedEvents()).includes('after'), 'the event recorded after the flush');
  expect((await client.status()).events).toMatchObject({ dropped: extra });
});

it.for([503, 500])('retries a batch the service answered %i with the same batch id and the same bytes, stored once', async (status, { skip }) => {
  const { mock, client } = await suite.start(skip, { events: QUIET }, {
    requires: ['events', 'event-retry-delay'],
    prepare: (m) => m.onEvents((r) => (r.index === 0 ? { status } : { status: 202 })),
  });
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  await client.track(user, 'purchase', { value: 9.5 });
  await client.flush();
  await mock.waitFor(() => mock.storedBatches.size === 1, 'the retried batch');
  const [first, second] = mock.eventRequests;
  expect(first!.status).toBe(status);
  expect(second!.batch!.batchId).toBe(first!.batch!.batchId);
  expect(second!.body).toBe(first!.body);
  expect(customKeys(mock.storedEvents())).toEqual(['purchase']);
});

it('resends a batch whose answer was lost with the same batch id, so the service stores it once', async ({ skip }) => {
  const { mock, client } = await suite.start(skip, { events: QUIET }, {
    requires: ['events', 'event-retry-delay'],
    // the first attempt is stored, then the connection breaks before the answer
    prepare: (m) => m.onEvents((r) => (r.index === 0 ? { destroy: true, stored: true } : { status: 202 })),
  });
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  await client.track(user, 'purchase');
  await client.flush();
  await mock.waitFor(() => mock.eventRequests.length >= 2, 'the resent batch');
  const ids = new Set(mock.eventRequests.map((r) => r.batch!.batchId));
  expect(ids.size).toBe(1);
  expect(mock.storedBatches.size).toBe(1);
  expect(customKeys(mock.storedEvents())).toEqual(['purchase']);
});

it('splits a batch the service answers 413 and delivers every event exactly once', async ({ skip }) => {
  const limit = 3;
  const { mock, client } = await suite.start(skip, { events: QUIET }, {
    requires: ['events'],
    // a service that takes at most `limit` events per request
    prepare: (m) => m.onEvents((r) => ((r.batch?.events.length ?? 0) > limit ? { status: 413 } : { status: 202 })),
  });
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  const keys = Array.from({ length: 8 }, (_, i) => `e${i}`);
  for (const key of keys) await client.track(user, key);
  await client.flush();
  await mock.waitFor(() => customKeys(mock.storedEvents()).length >= keys.length, 'every event stored', 5_000);
  expect(mock.eventRequests[0]!.status).toBe(413);
  expect(customKeys(mock.storedEvents()).sort()).toEqual([...keys].sort());
  expect(mock.storedEvents().filter((e) => e.kind === 'context')).toHaveLength(1);
  // every stored batch had its own id
  const accepted = mock.eventRequests.filter((r) => r.status === 202).map((r) => r.batch!.batchId);
  expect(new Set(accepted).size).toBe(accepted.length);
});

it.for([401, 403])('stops sending events for good after the events endpoint answers %i', async (status, { skip }) => {
  const { mock, client } = await suite.start(skip, { events: QUIET }, {
    requires: ['events', 'event-status'],
    prepare: (m) => m.onEvents(() => ({ status })),
  });
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  await client.track(user, 'first');
  await client.flush();
  await mock.waitFor(() => mock.eventRequests.length === 1, 'the refused batch');
  await client.track(user, 'second');
  await client.flush();
  await client.close();
  expect(mock.eventRequests).toHaveLength(1);
});

it('sends recorded events on the flush interval without being asked', async ({ skip }) => {
  const { mock, client } = await suite.start(skip, { events: { flushIntervalMs: 200, batchSize: 1_000 } }, { requires: ['events'] });
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  await client.track(user, 'on-the-interval');
  await mock.waitFor(() => customKeys(mock.storedEvents()).includes('on-the-interval'), 'the event sent on the interval', 5_000);
});

it('sends a batch as soon as it holds batchSize events', async ({ skip }) => {
  const { mock, client } = await suite.start(skip, { events: { flushIntervalMs: 60_000, batchSize: 4 } }, { requires: ['events'] });
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  for (const key of ['b1', 'b2', 'b3']) await client.track(user, key); // with the context event: 4
  await mock.waitFor(() => mock.storedBatches.size === 1, 'a full batch sent without a flush', 5_000);
  expect(mock.storedEvents()).toHaveLength(4);
});

it.for([
  [429, '99999999'],
  [503, 'Fri, 31 Dec 9999 23:59:59 GMT'],
] as const)('does not storm the events endpoint when HTTP %i carries Retry-After: %s', async ([status, retryAfter], { skip }) => {
  const { mock, client } = await suite.start(skip, { events: QUIET }, {
    requires: ['events', 'event-retry-delay'],
    prepare: (m) => m.onEvents(() => ({ status, headers: { 'Retry-After': retryAfter } })),
  });
  expect(await client.waitForReady(3_000)).toMatchObject({ ready: true });
  await client.track(user, 'purchase');
  void client.flush(); // a flush may wait for the Retry-After: do not
  await sleep(1_500);
  expect(mock.eventRequests.length).toBeGreaterThanOrEqual(1);
  expect(mock.eventRequests.length).toBeLessThanOrEqual(2);
  // let close() finish at once
  mock.onEvents(() => ({ status: 202 }));
});
