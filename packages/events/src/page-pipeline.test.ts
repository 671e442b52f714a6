// PageEventPipeline, the page's pipeline, against the real server behind the fault proxy: what a page records (one
// visitor at a time, the summary, custom events) and how its batches are delivered (retries with the same id,
// Retry-After, a 413 split, a refused key, the buffer's bound, close()'s bound).
import { holdTimers, sleep, waitFor } from '@avsb/test-support';
import { expect, it } from 'vitest';
import type { EventPipelineOptions } from './options';
import type { EventPlatform } from './platform';
import { FAST, recordSends, recordingLogger, settled, useFaultStack, user } from '../test/support/harness';
import type { EventBatch } from './wire';
import { fetchTransport } from './fetch-transport';
import { createPlatform } from './global-platform';
import { PageEventPipeline } from './page-pipeline';

const suite = useFaultStack();

function pagePipeline(options: EventPipelineOptions = {}, sdkKey = suite.backend.sdkKey, timeoutMs = 2_000, wrap = (p: EventPlatform) => p) {
  const logger = recordingLogger();
  const transport = fetchTransport({ baseUrl: suite.proxy.url, sdkKey, timeoutMs });
  return { pipeline: new PageEventPipeline(wrap(createPlatform({ transport, logger })), { ...FAST, ...options }), logger };
}
const requests = () => suite.proxy.eventRequests.slice(suite.seenBefore);
const stored = async () => (await suite.backend.events()).slice(suite.storedBefore);
async function storedKeys(): Promise<string[]> {
  return (await stored()).filter((e) => e.kind === 'custom').map((e) => e.key as string);
}
const errors = (logger: ReturnType<typeof recordingLogger>) => logger.lines.filter((l) => l.level === 'error');

it('sends a visitor once per window, its experiment exposures once per flag and variation, and counts every read', async () => {
  const { pipeline } = pagePipeline({ dedupeWindowMs: 60_000 });
  const visitor = user('u_page_visitor', { plan: 'pro' });
  for (let i = 0; i < 3; i++) {
    pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, reason: 'RULE_MATCH', inExperiment: true, context: visitor, revision: 7 });
    pipeline.recordExposure({ flag: 'ui-theme', variation: 2, reason: 'FALLTHROUGH', inExperiment: false, context: visitor }); // counted only
  }
  pipeline.recordExposure({ flag: 'checkout-v2', variation: 0, reason: 'FALLTHROUGH', inExperiment: true, context: visitor });
  pipeline.recordExposure({ flag: 'banner', variation: null, reason: 'ERROR', context: visitor }); // not in an experiment
  pipeline.recordCustom({ key: 'purchase', value: 149.99, properties: { currency: 'usd' }, context: visitor });
  await pipeline.flush();
  // identify(): another visitor gets its context event and its own exposures; the first one, back, is sent again
  const other = user('u_page_other');
  pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, inExperiment: true, context: other });
  pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, inExperiment: true, context: visitor });
  await pipeline.close(3_000);
  const events = await stored();
  expect(events.filter((e) => e.kind !== 'summary').map((e) => `${e.kind}:${e.contextKeys?.user ?? e.context.key}:${e.flag ?? e.key ?? ''}:${e.variation ?? ''}`)).toEqual([
    'context:u_page_visitor::',
    'exposure:u_page_visitor:checkout-v2:1',
    'exposure:u_page_visitor:checkout-v2:0',
    'custom:u_page_visitor:purchase:',
    'context:u_page_other::',
    'exposure:u_page_other:checkout-v2:1',
    'context:u_page_visitor::',
    'exposure:u_page_visitor:checkout-v2:1',
  ]);
  expect(events.find((e) => e.kind === 'exposure')).toMatchObject({ reason: 'RULE_MATCH', inExperiment: true, revision: 7 });
  expect(events.find((e) => e.kind === 'custom')).toMatchObject({ value: 149.99, properties: { currency: 'usd' } });
  const summaries = events.filter((e) => e.kind === 'summary');
  expect(summaries.map((s) => s.flags)).toEqual([
    {
      'checkout-v2': { counters: [{ variation: 0, count: 1 }, { variation: 1, count: 3 }] },
      'ui-theme': { counters: [{ variation: 2, count: 3 }] },
      banner: { counters: [{ variation: null, count: 1 }] },
    },
    { 'checkout-v2': { counters: [{ variation: 1, count: 2 }] } },
  ]);
});

it('never sends private attributes: the option and the context’s own _meta', async () => {
  const { pipeline } = pagePipeline({ privateAttributes: ['email'] });
  const context = { kind: 'user', key: 'u_page_private', email: 'a@example.com', name: 'Ada', phone: '555', _meta: { privateAttributes: ['phone'] } };
  pipeline.recordCustom({ key: 'signup', context });
  await pipeline.close(3_000);
  const sent = (await stored()).find((e) => e.kind === 'context')!;
  expect(sent.context).toEqual({ kind: 'user', key: 'u_page_private', name: 'Ada', _meta: { redactedAttributes: ['email', 'phone'] } });
  expect(JSON.stringify(await stored())).not.toContain('a@example.com');
});

it('sends a full batch without waiting for the interval, in batches of at most batchSize', async () => {
  const sends: EventBatch[] = [];
  const answered: EventBatch[] = [];
  // the interval (a minute) is held: only a full batch can make the pipeline send
  const clock = holdTimers();
  const { pipeline } = pagePipeline({ batchSize: 10 }, suite.backend.sdkKey, 2_000, (p) => recordSends(sends, answered)(clock.wrap(p)));
  for (let i = 0; i < 25; i++) pipeline.recordCustom({ key: 'bulk', value: i, context: user('u_page_bulk') });
  // both answered: what the pipeline does next (a next batch) is handed to the transport by the time this settles
  await waitFor(() => answered.length === 2, 3_000, 'the full batches');
  await settled();
  // 26 events with the context event: two full batches go at once, 6 wait for the interval (a minute) or close
  expect(sends.map((b) => b.events.length)).toEqual([10, 10]);
  expect(requests().map((r) => r.events)).toEqual([10, 10]);
  for (let i = 25; i < 29; i++) pipeline.recordCustom({ key: 'bulk', value: i, context: user('u_page_bulk') });
  await waitFor(() => requests().length >= 3, 3_000, 'the third full batch');
  await pipeline.close(3_000);
  expect(requests().map((r) => r.events)).toEqual([10, 10, 10]);
  expect((await storedKeys()).length).toBe(29);
});

it('retries a failed batch with the same batchId and stores it once', async () => {
  suite.proxy.fault = (r) => (r.index < suite.seenBefore + 2 ? { kind: 'status', status: 503 } : { kind: 'pass' });
  const { pipeline, logger } = pagePipeline();
  for (let i = 0; i < 3; i++) pipeline.recordCustom({ key: `retried-${i}`, context: user('u_page_retry') });
  await pipeline.close(3_000);
  const ids = requests().map((r) => r.batchId);
  expect(ids).toHaveLength(3);
  expect(new Set(ids).size).toBe(1);
  expect((await storedKeys()).sort()).toEqual(['retried-0', 'retried-1', 'retried-2']);
  expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1); // one warning for the outage
  expect(logger.text()).toContain('recovered after 2 failed attempts');
});

it('keeps what a page records while the server is down and sends it once when it is back', async () => {
  await suite.proxy.down();
  const { pipeline } = pagePipeline({ flushIntervalMs: 50, batchSize: 20 });
  for (let i = 0; i < 60; i++) {
    pipeline.recordCustom({ key: 'offline', value: i, context: user('u_page_offline') });
    if (i % 20 === 19) await sleep(120);
  }
  await suite.proxy.up();
  await pipeline.flush();
  await pipeline.close(5_000);
  const values = (await stored()).filter((e) => e.kind === 'custom').map((e) => e.value as number).sort((a, b) => a - b);
  expect(values).toEqual(Array.from({ length: 60 }, (_, i) => i));
});

it('honours Retry-After on a 429, even for flush()', async () => {
  suite.proxy.fault = (r) => (r.index === suite.seenBefore ? { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } : { kind: 'pass' });
  const { pipeline } = pagePipeline();
  pipeline.recordCustom({ key: 'limited', context: user('u_page_429') });
  await pipeline.flush();
  await pipeline.flush(); // must not send before the server's time
  await waitFor(() => requests().length === 2, 5_000, 'the retry after 1 s');
  const [first, second] = requests();
  expect(second!.batchId).toBe(first!.batchId);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  await pipeline.close();
});

it('close() waits for a Retry-After that ends within its bound, and gives up at the bound on one that does not', async () => {
  suite.proxy.fault = (r) => (r.index === suite.seenBefore ? { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } : { kind: 'pass' });
  const { pipeline } = pagePipeline();
  pipeline.recordCustom({ key: 'closing', context: user('u_page_close_429') });
  await pipeline.flush();
  await pipeline.close(3_000);
  const [first, second] = requests();
  expect(second!.batchId).toBe(first!.batchId);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  expect(await storedKeys()).toEqual(['closing']);

  suite.proxy.fault = () => ({ kind: 'status', status: 429, headers: { 'Retry-After': '60' } });
  const bound = holdTimers((ms) => ms === 300);
  const late = pagePipeline({}, suite.backend.sdkKey, 2_000, bound.wrap);
  late.pipeline.recordCustom({ key: 'never', context: user('u_page_close_429') });
  const closing = late.pipeline.close(300);
  await waitFor(() => late.logger.text().includes('retrying in 60000 ms'), 5_000, 'the 429 to be answered');
  // the retry falls after the bound: close() ends when its bound fires (a close() waiting for the retry times the test out)
  expect(bound.armed).toHaveLength(1);
  bound.fire();
  await closing;
  expect(late.logger.text()).toContain('2 events could not be sent in time');
  expect(requests()).toHaveLength(3);
});

it('drops a batch after maxAttempts server errors, logs once, and sends the next batch', async () => {
  suite.proxy.fault = (r) => (r.index < suite.seenBefore + 3 ? { kind: 'status', status: 500, message: 'disk on fire' } : { kind: 'pass' });
  const { pipeline, logger } = pagePipeline({ maxAttempts: 3 });
  pipeline.recordCustom({ key: 'doomed', context: user('u_page_doomed') });
  await pipeline.flush();
  await waitFor(() => errors(logger).length === 1, 5_000, 'the batch to be given up');
  expect(errors(logger)[0]!.message).toContain('disk on fire');
  pipeline.recordCustom({ key: 'after', context: user('u_page_doomed') });
  await pipeline.close(3_000);
  expect(requests()).toHaveLength(4);
  expect(await storedKeys()).toEqual(['after']);
});

it('drops a batch the server rejects (400) without retrying it', async () => {
  suite.proxy.fault = (r) => (r.index === suite.seenBefore ? { kind: 'status', status: 400, message: 'events[0].key: is required' } : { kind: 'pass' });
  const { pipeline, logger } = pagePipeline();
  pipeline.recordCustom({ key: 'rejected', context: user('u_page_400') });
  await pipeline.flush();
  pipeline.recordCustom({ key: 'accepted', context: user('u_page_400') });
  await pipeline.close(3_000);
  expect(requests()).toHaveLength(2);
  expect(await storedKeys()).toEqual(['accepted']);
  expect(errors(logger)).toHaveLength(1);
  expect(errors(logger)[0]!.message).toContain('events[0].key: is required');
});

it('splits a batch the server answers 413 into halves until they fit, storing every event once, and sends the next batch', async () => {
  suite.proxy.fault = (r) => (r.events > 4 ? { kind: 'status', status: 413, message: 'the body is over 1 MiB' } : { kind: 'pass' });
  const { pipeline, logger } = pagePipeline();
  for (let i = 0; i < 6; i++) pipeline.recordCustom({ key: 'too-large', value: i, context: user('u_page_413') });
  await pipeline.flush();
  pipeline.recordCustom({ key: 'after', context: user('u_page_413') });
  await pipeline.close(3_000);
  // the batch of 7 is refused, its halves of 4 and 3 fit; then the next batch
  expect(requests().map((r) => [r.fault, r.events])).toEqual([
    ['status', 7],
    ['pass', 4],
    ['pass', 3],
    ['pass', 1],
  ]);
  const [parent, a, b] = requests().map((r) => r.batchId);
  expect([a, b]).toEqual([`${parent}a`, `${parent}b`]);
  const keys = await storedKeys();
  expect(keys.filter((k) => k === 'too-large')).toHaveLength(6);
  expect(keys.filter((k) => k === 'after')).toHaveLength(1);
  expect(errors(logger)).toHaveLength(0);
});

it('on a refused key, stops for good and advises checking the client key, never naming a server key', async () => {
  const { pipeline, logger } = pagePipeline({}, 'cli-not-a-real-key-0000');
  pipeline.recordCustom({ key: 'refused', context: user('u_page_401') });
  await pipeline.flush();
  pipeline.recordCustom({ key: 'refused-later', context: user('u_page_401') });
  pipeline.recordExposure({ flag: 'checkout-v2', variation: 0, inExperiment: true, context: user('u_page_401') });
  await pipeline.flush();
  await pipeline.close();
  expect(requests()).toHaveLength(1);
  expect(errors(logger)).toHaveLength(1);
  expect(errors(logger)[0]!.message).toContain('the server refused the SDK key (HTTP 401)');
  expect(errors(logger)[0]!.message).toContain('the client key of the right environment');
  expect(errors(logger)[0]!.message).not.toContain('srv-');
  expect(logger.text()).not.toContain('cli-not-a-real-key');
});

it('holds at most capacity events while the server is down, warning once per window, and keeps counting reads', async () => {
  await suite.proxy.down();
  const { pipeline, logger } = pagePipeline({ capacity: 10, flushIntervalMs: 60_000, dedupeWindowMs: 60_000 });
  for (let i = 0; i < 25; i++) pipeline.recordCustom({ key: 'overflow', value: i, context: user('u_page_capacity') });
  for (let i = 0; i < 100; i++) pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, inExperiment: true, context: user('u_page_capacity') });
  const warnings = logger.lines.filter((l) => l.level === 'warn' && l.message.includes('buffer is full'));
  expect(warnings).toHaveLength(1);
  await suite.proxy.up();
  await pipeline.close(3_000);
  // the context event and the first nine custom events; the exposure was dropped; the summary (sent on close) counts every read
  expect((await stored()).filter((e) => e.kind === 'custom').map((e) => e.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  expect((await stored()).filter((e) => e.kind === 'exposure')).toHaveLength(0);
  expect((await stored()).find((e) => e.kind === 'summary')!.flags).toEqual({ 'checkout-v2': { counters: [{ variation: 1, count: 100 }] } });
});

it('gives up on close when its timeout fires while the server does not answer, and sends nothing more', async () => {
  suite.proxy.fault = () => ({ kind: 'hang' });
  // close()'s bound is held until the test fires it: what it does then is asserted, not how long a loaded machine took
  const bound = holdTimers((ms) => ms === 300);
  // and the other timers on a clock of the test: whatever is left after close() falls due when the test says
  const rest = holdTimers((ms) => ms !== 300);
  const sends: EventBatch[] = [];
  const { pipeline, logger } = pagePipeline({}, suite.backend.sdkKey, 30_000, (p) => recordSends(sends)(rest.wrap(bound.wrap(p))));
  for (let i = 0; i < 3; i++) pipeline.recordCustom({ key: 'stuck', context: user('u_page_hang') });
  let closed = false;
  const closing = pipeline.close(300).then(() => (closed = true));
  await waitFor(() => requests().length === 1, 5_000, 'the batch to reach the server');
  // the server holds the batch: close() waits, on a timer of its bound that keeps the process alive
  expect(closed).toBe(false);
  expect(bound.armed).toEqual([{ ms: 300, keepAlive: true }]);
  bound.fire();
  await closing;
  expect(logger.text()).toContain('4 events could not be sent in time');
  suite.proxy.fault = () => ({ kind: 'pass' });
  pipeline.recordCustom({ key: 'late', context: user('u_page_hang') });
  await pipeline.flush();
  rest.fire();
  bound.fire();
  await settled();
  expect(sends).toHaveLength(1);
  expect(requests()).toHaveLength(1);
});

it('never throws on bad arguments: ignores them, logging the first once', async () => {
  const { pipeline, logger } = pagePipeline();
  const bad: unknown[] = [null, 42, {}, { flag: '', variation: 0 }, { flag: 'f', variation: 4094, inExperiment: true, context: user('u') }, { flag: 'f', variation: 0, inExperiment: true, context: { key: '' } }];
  for (const input of bad) expect(() => pipeline.recordExposure(input as never)).not.toThrow();
  for (const input of [null, { key: 'k' }, { key: 'k', value: Infinity, context: user('u') }, { key: 'k', properties: [1], context: user('u') }]) {
    expect(() => pipeline.recordCustom(input as never)).not.toThrow();
  }
  expect(() => pipeline.recordExposure({ flag: undefined as never, variation: 1.5, context: user('u') })).not.toThrow();
  const warnings = logger.lines.filter((l) => l.level === 'warn');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.message).toMatch(/^recordExposure: .+; the event was ignored \(logged once\)$/);
  await pipeline.close(3_000);
  expect(requests()).toHaveLength(0);
});
