// The ring that holds a server pipeline's exposures and context events until their batch is written (event-ring.ts):
// its slots in order and bounded, and the pipeline recording more than the ring holds without yielding, through the
// real fetch transport to the real server: every event arrives once, in order, in batches of at most batchSize.
import { expect, it } from 'vitest';
import { validateContext } from '@avsb/common';
import { batchBody } from './batch-body';
import { EventPipeline } from './event-pipeline';
import { EventRing, ringSlots } from './event-ring';
import { ExposureTails } from './exposure-tails';
import { createPlatform } from './global-platform';
import type { EventBatch } from './wire';
import type { StoredEvent } from '../test/support/harness';
import { FAST, pipelineTo, recordingLogger, useBackend } from '../test/support/harness';

const suite = useBackend();
const stored = (): Promise<StoredEvent[]> => suite.stored();

/** Slots the default pipeline has (batchSize 500, capacity 10,000). */
const SLOTS = ringSlots(500, 10_000);

it('takes and frees slots in order around the ring, lets go of what freed slots held, and never grows', () => {
  let fullCalls = 0;
  const ring = new EventRing(3, () => fullCalls++);
  const tail = new ExposureTails().get('f', 0, true, 'RULE_MATCH', 1);
  const keys = { user: 'u' };
  const taken = [ring.context(1, { key: 'u' }), ring.exposure(2, ['user'], keys, tail), ring.exposure(3, ['user'], keys, tail)];
  expect([taken, ring.full, ring.live]).toEqual([[0, 1, 2], true, 3]);
  ring.releaseThrough(1); // a batch of the first two was written
  expect([ring.live, ring.subjects, ring.tails]).toEqual([1, [null, null, ['user']], [null, null, tail]]);
  expect([ring.exposure(4, ['user'], keys, tail), ring.context(5, { key: 'v' })]).toEqual([0, 1]); // around the end
  expect([ring.full, ring.times[0], ring.times[1]]).toEqual([true, 4, 5]);
  ring.releaseThrough(0); // slots 2 and 0, in that order
  expect([ring.live, ring.keys]).toEqual([1, [null, null, null]]);
  ring.releaseThrough(0); // not taken any more: nothing happens
  ring.releaseThrough(2);
  expect(ring.live).toBe(1);
  ring.clear();
  expect([ring.live, ring.full, ring.subjects, ring.times.length, ring.subjects.length]).toEqual([0, false, [null, null, null], 3, 3]);
  expect(ring.exposure(6, ['user'], keys, tail)).toBe(2); // slots go on in order after a clear
  // full: the next event has the ring's events written first (the pipeline writes its batches), then goes on
  expect([ring.context(7, {}), ring.context(8, {}), fullCalls]).toEqual([0, 1, 0]);
  expect([ring.context(9, { key: 'w' }), fullCalls, ring.live, ring.times[2]]).toEqual([2, 1, 1, 9]);
  expect(ring.subjects).toEqual([null, null, { key: 'w' }]);
});

it('has a few batches of slots, and never more than the events the pipeline may hold', () => {
  expect([ringSlots(500, 10_000), ringSlots(5_000, 100_000), ringSlots(500, 100), ringSlots(1, 1)]).toEqual([2_048, 20_000, 100, 1]);
});

// thousands of events through the real server (or hundreds of generated runs): seconds on a loaded machine
it('sends every event of more new users than the ring holds, recorded without yielding, once and in order', { timeout: 30_000 }, async () => {
  const users = SLOTS + 500; // a context event and an exposure each: the ring fills twice, and the outbox is written at once
  const { pipeline } = pipelineTo(suite.backend.server.url, suite.backend.sdkKey, { privateAttributes: ['email'] });
  for (let i = 0; i < users; i++) {
    const context = { kind: 'user', key: `u_ring_${i}`, email: 'ring@secret.example', n: i };
    pipeline.recordExposure({ flag: 'checkout-v2', variation: i % 3, reason: 'RULE_MATCH', inExperiment: true, context, revision: 4 });
  }
  // every batch delivered however long a loaded server takes (close() alone would drop what its bound cuts off)
  await pipeline.flush();
  await pipeline.close();
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 0, invalid: 0, failedBatches: 0, sent: 2 * users + 1 });
  const events = (await stored()).filter((e) => e.kind !== 'summary');
  // one comparison of every event's fields, not 2 × users toMatchObject() calls (seconds under load)
  const fields = (e: (typeof events)[number]) =>
    e.kind === 'context'
      ? [e.kind, e.context.kind, e.context.key, e.context.n, e.context._meta?.redactedAttributes]
      : [e.kind, e.contextKeys?.user, e.flag, e.variation, e.reason, e.revision];
  const expected = Array.from({ length: users }, (_, i) => [
    ['context', 'user', `u_ring_${i}`, i, ['email']],
    ['exposure', `u_ring_${i}`, 'checkout-v2', i % 3, 'RULE_MATCH', 4],
  ]).flat();
  expect(events.map(fields)).toEqual(expected);
  expect(JSON.stringify(events)).not.toContain('secret.example');
});

it('writes batches early when the ring is full: at most batchSize events each, the bytes JSON.stringify gives, an unwritable context left out and counted', async () => {
  const batches: EventBatch[] = [];
  const transport = { send: async (batch: EventBatch) => (batches.push(batch), { status: 202 }) };
  const pipeline = new EventPipeline(createPlatform({ transport, logger: recordingLogger() }), { ...FAST, batchSize: 300 });
  const users = SLOTS + 100;
  const broken = 1_000; // its context throws when its batch is written: that one event is dropped, nothing else
  const last = SLOTS / 2 - 1; // the last user whose two events fit in the ring before it is full
  let lastContext: Record<string, unknown> = {};
  for (let i = 0; i < users; i++) {
    const context: Record<string, unknown> = { kind: 'user', key: `u_early_${i}`, plan: i % 2 === 0 ? 'pro' : 'free' };
    const identity = validateContext(context);
    if (i === broken) Object.defineProperty(context, 'bad', { enumerable: true, get: () => { throw new Error('no'); } });
    pipeline.recordExposure({ flag: 'ui-theme', variation: 1, inExperiment: true, context, identity: identity.valid ? identity : undefined });
    if (i === last) lastContext = context;
    // the next user's context event found the ring full: the batches before it were written, a change now does not reach them
    if (i === last + 1) lastContext.plan = 'changed after its batch was written';
  }
  expect(batches).toHaveLength(0); // written early, sent when the pipeline's delivery runs
  await pipeline.close();
  expect(pipeline.diagnostics()).toMatchObject({ dropped: 1, invalid: 0, sent: 2 * users });
  expect(batches.every((b) => b.events.length <= 300)).toBe(true);
  for (const batch of batches) expect(batchBody(batch)).toBe(JSON.stringify({ batchId: batch.batchId, sdk: batch.sdk, events: batch.events }));
  const events = batches.flatMap((b) => b.events).filter((e) => e.kind !== 'summary');
  const keys = events.map((e) => (e.kind === 'context' ? `c:${e.context.key as string}` : `e:${(e as { contextKeys: Record<string, string> }).contextKeys.user!}`));
  const expected = Array.from({ length: users }, (_, i) => (i === broken ? [`e:u_early_${i}`] : [`c:u_early_${i}`, `e:u_early_${i}`])).flat();
  expect(keys).toEqual(expected);
  const changed = events.find((e) => e.kind === 'context' && e.context.key === `u_early_${last}`);
  expect(changed).toMatchObject({ context: { plan: 'free' } });
});
