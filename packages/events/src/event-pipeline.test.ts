import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FaultProxy } from '../test/support/fault-proxy';
import type { Backend } from '../test/support/harness';
import { holdTimers, waitFor } from '@avsb/test-support';
import { heldNow, pipelineTo, recordSends, settled, startStack, user } from '../test/support/harness';
import type { EventBatch } from './wire';

let stack: Awaited<ReturnType<typeof startStack>>;
let backend: Backend;
let proxy: FaultProxy;
let before = 0;

beforeAll(async () => {
  stack = await startStack();
  ({ backend, proxy } = stack);
});
afterAll(() => stack.close());
beforeEach(async () => {
  proxy.fault = () => ({ kind: 'pass' });
  before = (await backend.events()).length;
});

/** Events stored since the test began. */
async function stored() {
  return (await backend.events()).slice(before);
}

it('sends a full batch without waiting for the interval, in batches of at most batchSize', async () => {
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { batchSize: 5, flushIntervalMs: 60_000 });
  const seen = proxy.eventRequests.length;
  for (let i = 0; i < 12; i++) pipeline.recordCustom({ key: 'purchase', value: i, context: user('u_size') });
  await waitFor(async () => (await stored()).length === 13, 5_000, '13 stored events');
  const sizes = proxy.eventRequests.slice(seen).map((r) => r.events);
  expect(sizes).toEqual([5, 5, 3]);
  const events = await stored();
  expect(events.filter((e) => e.kind === 'context')).toHaveLength(1);
  expect(events.filter((e) => e.kind === 'custom').map((e) => e.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  expect(pipeline.diagnostics()).toMatchObject({ sent: 13, queued: 0, dropped: 0 });
  await pipeline.close();
});

it('sends on the flush interval without being asked', async () => {
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { flushIntervalMs: 100 });
  pipeline.recordCustom({ key: 'signup', context: user('u_interval') });
  await waitFor(async () => (await stored()).some((e) => e.kind === 'custom' && e.key === 'signup'), 3_000, 'the interval flush');
  await pipeline.close();
});

it('flushes pending events on close, then records and sends nothing more', async () => {
  const sends: EventBatch[] = [];
  const clock = holdTimers((ms) => ms !== 2_000);
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, {}, 2_000, (p) => recordSends(sends)(clock.wrap(p)));
  pipeline.recordCustom({ key: 'checkout', value: 10, properties: { currency: 'usd' }, context: user('u_close') });
  pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, reason: 'FALLTHROUGH', inExperiment: true, context: user('u_close'), revision: 3 });
  await pipeline.close(2_000);
  const events = await stored();
  expect(events.map((e) => e.kind).sort()).toEqual(['context', 'custom', 'exposure', 'summary']);
  expect(events.find((e) => e.kind === 'custom')).toMatchObject({ key: 'checkout', value: 10, properties: { currency: 'usd' }, contextKeys: { user: 'u_close' } });
  expect(events.find((e) => e.kind === 'exposure')).toMatchObject({
    flag: 'checkout-v2', variation: 1, reason: 'FALLTHROUGH', inExperiment: true, revision: 3, contextKeys: { user: 'u_close' },
  });
  const requests = sends.length;
  pipeline.recordCustom({ key: 'late', context: user('u_close') });
  await pipeline.flush();
  // whatever timer is left falls due now: a send it made would be noted at once
  clock.fire();
  await settled();
  expect(sends).toHaveLength(requests);
  expect(pipeline.diagnostics()).toMatchObject({ sent: 4, dropped: 1, queued: 0 });
});

it('gives up on close when its timeout fires while the server does not answer, and sends nothing more', async () => {
  proxy.fault = () => ({ kind: 'hang' });
  // close()'s bound is held until the test fires it: what it does then is asserted, not how long a loaded machine took
  const bound = holdTimers((ms) => ms === 300);
  // and the other timers on a clock of the test: whatever is left after close() falls due when the test says
  const rest = holdTimers((ms) => ms !== 300);
  const sends: EventBatch[] = [];
  const { pipeline, logger } = pipelineTo(proxy.url, backend.sdkKey, {}, 30_000, (p) => recordSends(sends)(rest.wrap(bound.wrap(p))));
  const requests = proxy.eventRequests.length;
  for (let i = 0; i < 3; i++) pipeline.recordCustom({ key: 'stuck', context: user('u_hang') });
  let closed = false;
  const closing = pipeline.close(300).then(() => (closed = true));
  await waitFor(() => proxy.eventRequests.length > requests, 5_000, 'the batch to reach the server');
  // the server holds the batch: close() waits, on a timer of its bound that keeps the process alive
  expect(closed).toBe(false);
  expect(bound.armed).toEqual([{ ms: 300, keepAlive: true }]);
  bound.fire();
  await closing;
  expect(pipeline.diagnostics()).toMatchObject({ queued: 0, dropped: 4, sent: 0, failedBatches: 1 });
  expect(logger.text()).toContain('4 events could not be sent in time');
  proxy.fault = () => ({ kind: 'pass' });
  expect(sends).toHaveLength(1);
  rest.fire();
  bound.fire();
  await settled();
  expect(sends).toHaveLength(1);
});

it('by default sends exposures only for reads in an experiment (and their contexts), and counts every read in the summary', async () => {
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { dedupeWindowMs: 60_000 });
  const plain = user('u_plain_reader', { plan: 'free' });
  const experimenter = user('u_experimenter', { plan: 'pro' });
  for (let i = 0; i < 4; i++) pipeline.recordExposure({ flag: 'ui-theme', variation: 2, reason: 'FALLTHROUGH', inExperiment: false, context: plain });
  pipeline.recordExposure({ flag: 'checkout-v2', variation: null, reason: 'ERROR', context: plain });
  pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, reason: 'FALLTHROUGH', inExperiment: true, context: experimenter });
  pipeline.recordExposure({ flag: 'ui-theme', variation: 0, reason: 'RULE_MATCH', context: experimenter });
  await pipeline.close();
  const events = await stored();
  expect(events.filter((e) => e.kind !== 'summary').map((e) => `${e.kind}:${e.contextKeys?.user ?? e.context.key}:${e.flag ?? ''}`)).toEqual([
    'context:u_experimenter:',
    'exposure:u_experimenter:checkout-v2',
  ]);
  const summary = events.find((e) => e.kind === 'summary')!;
  expect(summary.flags).toEqual({
    'ui-theme': { counters: [{ variation: 0, count: 1 }, { variation: 2, count: 4 }] },
    'checkout-v2': { counters: [{ variation: 1, count: 1 }, { variation: null, count: 1 }] },
  });
  expect(pipeline.diagnostics()).toMatchObject({ sent: 3, dropped: 0, invalid: 0 });
});

it('reads counted with flag indexes send the summary counting by key would: a datafile that moved a flag, a bad index, a new window', async () => {
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { flushIntervalMs: 60_000 });
  const plain = user('u_indexed_reader');
  pipeline.countEvaluation('ui-theme', 0, 0);
  pipeline.countEvaluation('ui-theme', 0, 0);
  pipeline.countEvaluation('checkout-v2', 1, 1);
  pipeline.countEvaluation('ui-theme', null, 0);
  pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, reason: 'FALLTHROUGH', context: plain });
  // a new datafile: search-v3 is now at index 0, ui-theme at index 1
  pipeline.countEvaluation('search-v3', 2, 0);
  pipeline.countEvaluation('ui-theme', 0, 1);
  pipeline.recordExposure({ flag: 'ui-theme', variation: 0, reason: 'FALLTHROUGH', context: plain });
  pipeline.recordExposure({ flag: 'ui-theme', variation: 0, reason: 'FALLTHROUGH', inExperiment: true, context: plain });
  for (const index of [-1, 1.5, 1e9, Number.NaN]) pipeline.countEvaluation('checkout-v2', 0, index);
  pipeline.countEvaluation('checkout-v2', 0);
  pipeline.countEvaluation('', 0, 2); // invalid flag at an empty slot
  pipeline.countEvaluation('ui-theme', 5000, 1); // invalid variation at a slot holding the flag
  await pipeline.flush();
  // a new window: the slots of the last one are not counted into
  pipeline.countEvaluation('search-v3', 0, 0);
  await pipeline.close();
  const events = await stored();
  expect(events.filter((e) => e.kind === 'exposure').map((e) => e.flag)).toEqual(['ui-theme']);
  const summaries = events.filter((e) => e.kind === 'summary');
  expect(summaries.map((e) => JSON.stringify(e.flags))).toEqual([
    JSON.stringify({
      'ui-theme': { counters: [{ variation: 0, count: 5 }, { variation: null, count: 1 }] },
      'checkout-v2': { counters: [{ variation: 0, count: 5 }, { variation: 1, count: 2 }] },
      'search-v3': { counters: [{ variation: 2, count: 1 }] },
    }),
    JSON.stringify({ 'search-v3': { counters: [{ variation: 0, count: 1 }] } }),
  ]);
  expect(pipeline.diagnostics()).toMatchObject({ invalid: 2, dropped: 0 });
});

it('warns once, at construction, about an exposures option it does not know, and uses the default', async () => {
  const { pipeline, logger } = pipelineTo(proxy.url, backend.sdkKey, { exposures: 'All' as 'all' });
  expect(pipeline.recordsEveryRead).toBe(false);
  expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
    'events option exposures: "All" is neither "experiments" nor "all"; sending exposures for experiment reads only ("experiments")',
  ]);
  await pipeline.close();
});

it('countEvaluation counts a read without an exposure; recordsEveryRead says which recorder a scoped client may skip', async () => {
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey);
  expect(pipeline.recordsEveryRead).toBe(false);
  const everyRead = pipelineTo(proxy.url, backend.sdkKey, { exposures: 'all' }).pipeline;
  expect(everyRead.recordsEveryRead).toBe(true);
  await everyRead.close();
  pipeline.countEvaluation('ui-theme', 1);
  pipeline.countEvaluation('ui-theme', 1);
  pipeline.countEvaluation('checkout-v2', null);
  pipeline.countEvaluation('', 0); // invalid: counted as such, never thrown
  pipeline.countEvaluation('ui-theme', -1 as number);
  await pipeline.close();
  pipeline.countEvaluation('ui-theme', 1); // after close: nothing
  const events = await stored();
  expect(events.map((e) => e.kind)).toEqual(['summary']);
  expect(events[0]!.flags).toEqual({
    'ui-theme': { counters: [{ variation: 1, count: 2 }] },
    'checkout-v2': { counters: [{ variation: null, count: 1 }] },
  });
  expect(pipeline.diagnostics()).toMatchObject({ sent: 1, invalid: 2, dropped: 0 });
});

it('with exposures: "all", sends one exposure per context, flag and variation in a window, and counts every evaluation in the summary', async () => {
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { dedupeWindowMs: 60_000, exposures: 'all' });
  const u1 = user('u_dedupe_1', { plan: 'free' });
  for (let i = 0; i < 1_000; i++) {
    pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, reason: 'FALLTHROUGH', inExperiment: true, context: u1 });
  }
  for (let i = 0; i < 3; i++) pipeline.recordExposure({ flag: 'checkout-v2', variation: 0, context: u1 });
  for (let i = 0; i < 5; i++) pipeline.recordExposure({ flag: 'ui-theme', variation: null, reason: 'ERROR', context: { ...u1 } });
  for (let i = 0; i < 2; i++) pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, context: user('u_dedupe_2') });
  await pipeline.flush();
  let events = await stored();
  const exposures = events.filter((e) => e.kind === 'exposure').map((e) => `${e.contextKeys.user}/${e.flag}/${e.variation}/${e.inExperiment}`);
  expect(exposures.sort()).toEqual([
    'u_dedupe_1/checkout-v2/0/false',
    'u_dedupe_1/checkout-v2/1/true',
    'u_dedupe_1/ui-theme/null/false',
    'u_dedupe_2/checkout-v2/1/false',
  ]);
  const summaries = events.filter((e) => e.kind === 'summary');
  expect(summaries).toHaveLength(1);
  expect(summaries[0]!.flags).toEqual({
    'checkout-v2': { counters: [{ variation: 0, count: 3 }, { variation: 1, count: 1_002 }] },
    'ui-theme': { counters: [{ variation: null, count: 5 }] },
  });
  expect(Number.isInteger(summaries[0]!.startTime) && summaries[0]!.endTime >= summaries[0]!.startTime).toBe(true);

  // same window: reads already sent produce no exposure, only counts
  const mark = events.length;
  for (let i = 0; i < 10; i++) pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, inExperiment: true, context: u1 });
  await pipeline.flush();
  events = (await stored()).slice(mark);
  expect(events.map((e) => e.kind)).toEqual(['summary']);
  expect(events[0]!.flags).toEqual({ 'checkout-v2': { counters: [{ variation: 1, count: 10 }] } });
  await pipeline.close();
});

it('sends exposures and contexts again in a new dedupe window', async () => {
  // the pipeline's clock moves only when the test says: the window ends when it has passed, however slow the machine
  const clock = heldNow();
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { dedupeWindowMs: 300 }, 2_000, clock.wrap);
  const read = () => pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, inExperiment: true, context: user('u_window') });
  read();
  read();
  await pipeline.flush();
  clock.advance(300);
  read();
  await pipeline.flush(); // the flush that ends the window sends the exposure; the next read is new again
  read();
  await pipeline.close();
  const kinds = (await stored()).filter((e) => e.kind !== 'summary').map((e) => e.kind);
  expect(kinds).toEqual(['context', 'exposure', 'context', 'exposure']);
});

it('forgets the least recently used contexts beyond dedupeCapacity, and sends them again', async () => {
  // capacity counts remembered entries: a context and each of its exposures
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { dedupeCapacity: 3, dedupeWindowMs: 60_000, exposures: 'all' });
  const read = (key: string) => pipeline.recordExposure({ flag: 'lru', variation: 0, context: user(key) });
  read('u_lru_a'); // a, a/lru: 2 entries
  read('u_lru_b'); // b, b/lru: 4 entries > 3, so a is forgotten
  read('u_lru_b'); // remembered
  read('u_lru_a'); // forgotten: sent again
  await pipeline.close();
  const sent = (await stored()).filter((e) => e.kind !== 'summary').map((e) => `${e.kind}:${e.contextKeys?.user ?? e.context.key}`);
  expect(sent).toEqual([
    'context:u_lru_a', 'exposure:u_lru_a',
    'context:u_lru_b', 'exposure:u_lru_b',
    'context:u_lru_a', 'exposure:u_lru_a',
  ]);
});

it('counts a repeat exposure read by its mark as recordExposure counts it; the mark stops holding once the context is forgotten, the window ends or the pipeline stops', async () => {
  const clock = heldNow();
  const { pipeline } = pipelineTo(proxy.url, backend.sdkKey, { flushIntervalMs: 60_000, dedupeCapacity: 4, dedupeWindowMs: 1 }, 2_000, clock.wrap);
  const held = user('u_marked_reader');
  const read = { flag: 'checkout-v2', variation: 1, reason: 'FALLTHROUGH', inExperiment: true, context: held };
  const mark = pipeline.recordExposure(read);
  expect(mark).toBeGreaterThanOrEqual(0);
  expect(pipeline.recordExposure({ ...read, inExperiment: false })).toBe(-1);
  expect(pipeline.repeatExposure(mark, 'checkout-v2', 1, 0)).toBe(true);
  expect(pipeline.repeatExposure(mark, 'checkout-v2', 1, 0)).toBe(true);
  for (let i = 0; i < 8; i++) pipeline.recordExposure({ ...read, flag: 'ui-theme', context: user(`u_marked_other_${i}`) });
  // forgotten (capacity 4): recorded again, sent again
  expect(pipeline.repeatExposure(mark, 'checkout-v2', 1, 0)).toBe(false);
  const again = pipeline.recordExposure(read);
  expect(pipeline.repeatExposure(again, 'checkout-v2', 1, 0)).toBe(true);
  clock.advance(1);
  await pipeline.flush();
  // a new window (1 ms)
  expect(pipeline.repeatExposure(again, 'checkout-v2', 1, 0)).toBe(false);
  const third = pipeline.recordExposure(read);
  await pipeline.close();
  expect(pipeline.repeatExposure(third, 'checkout-v2', 1, 0)).toBe(false);
  const events = await stored();
  expect(events.filter((e) => e.kind === 'exposure' && e.flag === 'checkout-v2').map((e) => e.contextKeys?.user)).toEqual([
    'u_marked_reader',
    'u_marked_reader',
    'u_marked_reader',
  ]);
  // the read outside the experiment, the three recorded and the three repeats
  expect(events.filter((e) => e.kind === 'summary').map((e) => JSON.stringify(e.flags['checkout-v2']))).toEqual([
    JSON.stringify({ counters: [{ variation: 1, count: 6 }] }),
    JSON.stringify({ counters: [{ variation: 1, count: 1 }] }),
  ]);
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 0, invalid: 0 });
});
