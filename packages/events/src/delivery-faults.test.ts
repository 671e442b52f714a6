import { expect, it } from 'vitest';
import { holdTimers, sleep, waitFor } from '@avsb/test-support';
import { FAST, pipelineTo, recordSends, recordingLogger, settled, useFaultStack, user } from '../test/support/harness';
import type { EventBatch } from './wire';
import type { DeliveryBase, DeliveryHooks } from './delivery-base';
import { EventPipeline } from './event-pipeline';
import { fetchTransport } from './fetch-transport';
import { createPlatform } from './global-platform';
import type { LogGate } from './pipeline-stats';
import type { QueuedEvent } from './queued-event';

const suite = useFaultStack();

async function stored() {
  return (await suite.backend.events()).slice(suite.storedBefore);
}
/** Event requests since the test began. */
function requests() {
  return suite.proxy.eventRequests.slice(suite.seenBefore);
}
/** Values of the stored custom events of `key`, sorted. */
async function storedValues(key: string): Promise<number[]> {
  return (await stored()).filter((e) => e.kind === 'custom' && e.key === key).map((e) => e.value as number).sort((a, b) => a - b);
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

it('keeps every event while the server is down and stores each once when it is back', async () => {
  const { pipeline, logger } = pipelineTo(suite.proxy.url, suite.backend.sdkKey, {
    flushIntervalMs: 50,
    batchSize: 40,
    dedupeWindowMs: 60_000,
  });
  await suite.proxy.down();
  for (let i = 0; i < 300; i++) {
    pipeline.recordCustom({ key: 'outage', value: i, context: user(`u_outage_${i % 7}`) });
    if (i % 50 === 49) await sleep(150);
  }
  expect(pipeline.diagnostics()).toMatchObject({ sent: 0, dropped: 0, queued: 307 });
  expect(pipeline.diagnostics().lastError).toMatch(/^network: /);
  // back, but the first answers get lost after the server stored the batch: the retry must not store it twice
  let lost = 0;
  suite.proxy.fault = () => (lost++ < 3 ? { kind: 'forward-then-reset' } : { kind: 'pass' });
  await suite.proxy.up();
  await waitFor(() => pipeline.diagnostics().queued === 0, 10_000, 'the outbox to drain');
  await pipeline.close();

  expect(await storedValues('outage')).toEqual(range(300));
  expect((await stored()).filter((e) => e.kind === 'context')).toHaveLength(7);
  const retried = requests().filter((r) => r.fault === 'forward-then-reset').map((r) => r.batchId);
  expect(retried).toHaveLength(3);
  for (const id of retried) expect(requests().filter((r) => r.batchId === id).length).toBeGreaterThan(1);
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 0, failedBatches: 0, queued: 0 });
  expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1); // one warning for the outage, not one per attempt
  expect(logger.text()).toContain('recovered');
  expect(logger.text()).not.toContain(suite.backend.sdkKey);
});

it('flush() cuts a backoff wait short: the server is back, so send now', async () => {
  await suite.proxy.down();
  const { pipeline } = pipelineTo(suite.proxy.url, suite.backend.sdkKey, { retryInitialDelayMs: 60_000, retryMaxDelayMs: 60_000 });
  pipeline.recordCustom({ key: 'impatient', context: user('u_flush') });
  await pipeline.flush(); // fails: the next retry is a minute away
  expect(pipeline.diagnostics().queued).toBe(2);
  await suite.proxy.up();
  await pipeline.flush();
  expect(pipeline.diagnostics()).toMatchObject({ queued: 0, sent: 2 });
  await pipeline.close();
});

it('retries a 5xx with the same batchId and stores the batch once', async () => {
  suite.proxy.fault = (r) => (r.index < suite.seenBefore + 2 ? { kind: 'status', status: 500 } : { kind: 'pass' });
  const { pipeline } = pipelineTo(suite.proxy.url, suite.backend.sdkKey);
  for (let i = 0; i < 5; i++) pipeline.recordCustom({ key: 'five-hundred', value: i, context: user('u_500') });
  await pipeline.flush();
  await waitFor(() => pipeline.diagnostics().queued === 0, 5_000, 'the retry');
  const ids = requests().map((r) => r.batchId);
  expect(ids).toHaveLength(3);
  expect(new Set(ids).size).toBe(1);
  expect(await storedValues('five-hundred')).toEqual(range(5));
  await pipeline.close();
});

it('drops a batch after maxAttempts server errors, counts it and logs once', async () => {
  suite.proxy.fault = (r) => (r.index < suite.seenBefore + 3 ? { kind: 'status', status: 500, message: 'disk on fire' } : { kind: 'pass' });
  const { pipeline, logger } = pipelineTo(suite.proxy.url, suite.backend.sdkKey, { maxAttempts: 3 });
  pipeline.recordCustom({ key: 'doomed', context: user('u_doomed') });
  await pipeline.flush();
  await waitFor(() => pipeline.diagnostics().failedBatches === 1, 5_000, 'the batch to be given up');
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 2, failedBatches: 1, queued: 0 });
  expect(pipeline.diagnostics().lastError).toContain('disk on fire');
  expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  pipeline.recordCustom({ key: 'after', context: user('u_doomed') });
  await pipeline.close();
  expect((await stored()).map((e) => e.key)).toEqual(['after']); // its context went with the dropped batch
});

it('treats 503 and timeouts as unavailability: retried past maxAttempts, stored once', async () => {
  // 503 twice, then an answer too slow for the transport's timeout (the server still stores it), then pass
  suite.proxy.fault = (r) =>
    r.index < suite.seenBefore + 2 ? { kind: 'status', status: 503 } : r.index === suite.seenBefore + 2 ? { kind: 'delay', ms: 400 } : { kind: 'pass' };
  const { pipeline } = pipelineTo(suite.proxy.url, suite.backend.sdkKey, { maxAttempts: 1 }, 150);
  for (let i = 0; i < 4; i++) pipeline.recordCustom({ key: 'slow', value: i, context: user('u_slow') });
  await pipeline.flush();
  await waitFor(() => pipeline.diagnostics().queued === 0, 5_000, 'delivery');
  // the slow request reaches the server too: once the server answered it, each of the batch's requests was stored or refused
  await waitFor(() => suite.proxy.forwarded.includes(suite.seenBefore + 2), 5_000, 'the slow request to be answered');
  expect(new Set(requests().map((r) => r.batchId)).size).toBe(1);
  expect(requests().length).toBeGreaterThanOrEqual(4);
  expect(await storedValues('slow')).toEqual(range(4));
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 0, failedBatches: 0, sent: 5 });
  await pipeline.close();
});

it('honours Retry-After on a 429, even for flush()', async () => {
  suite.proxy.fault = (r) => (r.index === suite.seenBefore ? { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } : { kind: 'pass' });
  const { pipeline } = pipelineTo(suite.proxy.url, suite.backend.sdkKey);
  pipeline.recordCustom({ key: 'limited', context: user('u_429') });
  await pipeline.flush();
  await pipeline.flush(); // must not send before the server's time
  await waitFor(() => pipeline.diagnostics().queued === 0, 5_000, 'the retry after 1 s');
  const [first, second] = requests();
  expect(second!.batchId).toBe(first!.batchId);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  await pipeline.close();
});

it('splits a batch the server finds too large (413) and stores every event once', async () => {
  suite.proxy.fault = (r) => (r.events > 4 ? { kind: 'status', status: 413 } : { kind: 'pass' });
  const { pipeline } = pipelineTo(suite.proxy.url, suite.backend.sdkKey, { batchSize: 100 });
  for (let i = 0; i < 17; i++) pipeline.recordCustom({ key: 'big', value: i, context: user('u_413') });
  await pipeline.close(3_000);
  expect(await storedValues('big')).toEqual(range(17));
  const parent = requests()[0]!.batchId!;
  const delivered = requests().filter((r) => r.fault === 'pass');
  expect(delivered.every((r) => r.events <= 4 && r.batchId!.startsWith(parent) && r.batchId!.length <= 64)).toBe(true);
  expect(new Set(delivered.map((r) => r.batchId)).size).toBe(delivered.length);
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 0, sent: 18 }); // 17 custom events and their context
});

it('splits a batch over 1 MiB before sending it, and drops a single event over 1 MiB', async () => {
  const { pipeline, logger } = pipelineTo(suite.proxy.url, suite.backend.sdkKey);
  const filler = 'x'.repeat(20_000);
  for (let i = 0; i < 120; i++) pipeline.recordCustom({ key: 'bulky', value: i, properties: { filler }, context: user('u_bulky') });
  pipeline.recordCustom({ key: 'huge', properties: { text: '€'.repeat(600_000) }, context: user('u_bulky') }); // 1.8 MB of UTF-8
  await pipeline.close(5_000);
  expect(await storedValues('bulky')).toEqual(range(120));
  expect(requests().length).toBeGreaterThan(2);
  expect(requests().every((r) => r.bytes <= 1024 * 1024)).toBe(true);
  expect(pipeline.diagnostics()).toMatchObject({ sent: 121, dropped: 1, failedBatches: 1 });
  expect(logger.text()).toContain('a single event larger than 1048576 bytes');
});

it('drops a batch the server rejects (400) and logs the server message once', async () => {
  suite.proxy.fault = (r) =>
    r.index < suite.seenBefore + 2 ? { kind: 'status', status: 400, message: 'events[0].key: is required' } : { kind: 'pass' };
  const { pipeline, logger } = pipelineTo(suite.proxy.url, suite.backend.sdkKey);
  pipeline.recordCustom({ key: 'rejected-1', context: user('u_400') });
  await pipeline.flush();
  pipeline.recordCustom({ key: 'rejected-2', context: user('u_400') });
  await pipeline.flush();
  pipeline.recordCustom({ key: 'accepted', context: user('u_400') });
  await pipeline.close();
  expect(requests()).toHaveLength(3); // a 400 is never retried
  expect((await stored()).filter((e) => e.kind === 'custom').map((e) => e.key)).toEqual(['accepted']);
  const errors = logger.lines.filter((l) => l.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]!.message).toContain('events[0].key: is required');
  expect(pipeline.diagnostics()).toMatchObject({ failedBatches: 2, dropped: 3 });
});

it('stops for good on a 401 from the real server, logs once and counts everything after as dropped', async () => {
  const { pipeline, logger } = pipelineTo(suite.proxy.url, 'srv-not-a-real-key-0000');
  for (let i = 0; i < 3; i++) pipeline.recordCustom({ key: 'unauthorised', context: user('u_401') });
  await pipeline.flush();
  expect(pipeline.diagnostics()).toMatchObject({ stoppedForAuth: true, dropped: 4, queued: 0, sent: 0 });
  for (let i = 0; i < 10; i++) {
    pipeline.recordCustom({ key: 'unauthorised', context: user('u_401') });
    pipeline.recordExposure({ flag: 'checkout-v2', variation: 0, inExperiment: true, context: user('u_401') });
    await pipeline.flush();
  }
  await pipeline.close();
  expect(requests()).toHaveLength(1);
  expect(pipeline.diagnostics().dropped).toBe(24);
  const errors = logger.lines.filter((l) => l.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]!.message).toContain('401');
  expect(errors[0]!.message).toContain('a server key, srv-…, of the right environment');
  expect(logger.text()).not.toContain('srv-not-a-real-key');
  expect(JSON.stringify(pipeline.diagnostics())).not.toContain('srv-not-a-real-key');
});

it('stops on a 403 too', async () => {
  suite.proxy.fault = () => ({ kind: 'status', status: 403 });
  const sends: EventBatch[] = [];
  const clock = holdTimers();
  const { pipeline } = pipelineTo(suite.proxy.url, suite.backend.sdkKey, { flushIntervalMs: 20 }, 2_000, (p) => recordSends(sends)(clock.wrap(p)));
  pipeline.recordCustom({ key: 'forbidden', context: user('u_403') });
  clock.advance(20); // the interval's flush
  await waitFor(() => pipeline.diagnostics().stoppedForAuth, 2_000, 'the stop');
  // a minute on: every flush tick and retry would have fallen due, and each hands its batch over at once
  clock.advance(60_000);
  await settled();
  expect(sends).toHaveLength(1);
  expect(requests()).toHaveLength(1);
});

it('drops new events beyond capacity, counts them and warns once per window', async () => {
  await suite.proxy.down();
  // one dedupe window for the whole test: exactly one context event, however late the flush ticks run
  // the flush interval, which starts a new window of warnings, is held until the test fires it
  const interval = holdTimers((ms) => ms === 1_000);
  const { pipeline, logger } = pipelineTo(suite.proxy.url, suite.backend.sdkKey, { capacity: 10, flushIntervalMs: 1_000, dedupeWindowMs: 60_000 }, 2_000, interval.wrap);
  for (let i = 0; i < 25; i++) pipeline.recordCustom({ key: 'overflow', value: i, context: user('u_capacity') });
  expect(pipeline.diagnostics()).toMatchObject({ queued: 10, dropped: 16 });
  await pipeline.flush();
  for (let i = 25; i < 30; i++) pipeline.recordCustom({ key: 'overflow', value: i, context: user('u_capacity') });
  const warnings = () => logger.lines.filter((l) => l.level === 'warn' && l.message.includes('buffer is full'));
  expect(warnings()).toHaveLength(1);
  expect(pipeline.diagnostics()).toMatchObject({ queued: 10, dropped: 21 });
  // an experiment flag read 100 times while full loses one exposure, not 100; the summary still counts every read
  for (let i = 0; i < 100; i++) pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, inExperiment: true, context: user('u_capacity') });
  expect(pipeline.diagnostics()).toMatchObject({ queued: 10, dropped: 22 });
  expect(warnings()).toHaveLength(1);
  interval.fire(); // a new flush window: the next drop is logged again, once
  pipeline.recordCustom({ key: 'overflow', value: 99, context: user('u_capacity') });
  pipeline.recordCustom({ key: 'overflow', value: 99, context: user('u_capacity') });
  expect(warnings()).toHaveLength(2);
  expect(warnings()[1]!.message).toContain('23 dropped so far');
  await suite.proxy.up();
  await pipeline.close(3_000);
  expect(await storedValues('overflow')).toEqual(range(9)); // the context event and the first nine
  const summary = (await stored()).find((e) => e.kind === 'summary');
  expect(summary!.flags).toEqual({ 'checkout-v2': { counters: [{ variation: 1, count: 100 }] } });
  // every event was sent or counted as dropped (how many of each depends on when the retry met the restored server)
  const { queued, sent, dropped } = pipeline.diagnostics();
  expect(queued).toBe(0);
  expect(sent + dropped).toBe(35); // 32 custom events, the context event, the exposure, the summary
  expect(sent).toBeGreaterThanOrEqual(10);
});

// The writer never throws for what record() accepted; should it ever (a bug), that one batch is dropped and counted,
// and the batches behind it still go: before, the same batch failed again on every attempt and nothing was sent until close().
it('drops a batch that cannot be written, with one error line, and delivers the batches behind it', async () => {
  const logger = recordingLogger();
  const platform = createPlatform({ transport: fetchTransport({ baseUrl: suite.proxy.url, sdkKey: suite.backend.sdkKey }), logger });
  class UnwritablePoison extends EventPipeline {
    protected override _newDelivery(gate: LogGate, hooks: DeliveryHooks): DeliveryBase {
      const poisoned = (records: readonly QueuedEvent[]) => records.some((r) => typeof r === 'object' && r.kind === 'custom' && r.key === 'poison');
      return super._newDelivery(gate, {
        ...hooks,
        toWire: (records, batchId) => {
          if (poisoned(records)) throw new RangeError('Invalid string length');
          return hooks.toWire(records, batchId);
        },
      });
    }
  }
  const pipeline = new UnwritablePoison(platform, { ...FAST, batchSize: 3 });
  pipeline.recordCustom({ key: 'poison', value: 0, context: user('u_poison') }); // with its context event: a batch of 2
  await pipeline.flush();
  for (let i = 1; i <= 5; i++) pipeline.recordCustom({ key: 'after-poison', value: i, context: user('u_poison') });
  await pipeline.flush();
  await pipeline.close();

  expect(await storedValues('after-poison')).toEqual([1, 2, 3, 4, 5]);
  expect(await storedValues('poison')).toEqual([]);
  expect(pipeline.diagnostics()).toMatchObject({ sent: 5, dropped: 2, failedBatches: 1, queued: 0 });
  const errors = logger.lines.filter((l) => l.level === 'error').map((l) => l.message);
  expect(errors).toEqual(['a batch of 2 events could not be written and was dropped (Invalid string length)']);
});
