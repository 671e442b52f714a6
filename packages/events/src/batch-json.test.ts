import { globalPlatform, silentLogger } from '@avsb/common';
import { expect, it } from 'vitest';
import { batchBody, keptBatchBody } from './batch-body';
import { EventPipeline } from './event-pipeline';
import type { EventBatch } from './wire';

// A server pipeline writes its batches' bodies event by event (exposures
// from their members) before sending them; the transport's batchBody returns
// that text, which must be, byte for byte, what `JSON.stringify` makes of the batch.

async function sentBatches(record: (pipeline: EventPipeline, tick: () => void) => void): Promise<EventBatch[]> {
  const sent: EventBatch[] = [];
  let time = 1_733_450_000_000;
  const platform = {
    ...globalPlatform({ logger: silentLogger }),
    now: () => time,
    transport: { send: async (batch: EventBatch) => (sent.push(batch), { status: 202 }) },
  };
  const pipeline = new EventPipeline(platform, { flushIntervalMs: 60_000, exposures: 'all' });
  record(pipeline, () => void (time += 1_000_003));
  await pipeline.close(2_000);
  return sent;
}

it('writes exposures as JSON.stringify does: escapes, null variations, without reason or revision, multi-contexts, other events between', async () => {
  const sent = await sentBatches((pipeline, tick) => {
    const user = { kind: 'user', key: 'u "1"\\' };
    const multi = { kind: 'multi', user: { key: 'u\u2028é😀' }, org: { key: 'o/1' } };
    const flags = ['checkout-v2', 'flag "quoted" \\ back', 'emoji 😀 and \u0007 bell', 'lone \ud800 surrogate', 'é'.repeat(256)];
    flags.forEach((flag, i) => {
      pipeline.recordExposure({ flag, variation: i, reason: 'RULE_MATCH', inExperiment: true, context: user, revision: 42 });
      pipeline.recordExposure({ flag, variation: null, inExperiment: false, context: multi });
      pipeline.recordExposure({ flag, variation: 4093, reason: `reason ${flag}`, inExperiment: i % 2 === 0, context: multi, revision: 0 });
      pipeline.recordCustom({ key: 'purchase', value: 1.5, properties: { note: flag }, context: user });
      if (i % 2 === 1) tick();
    });
  });
  expect(sent).toHaveLength(1);
  const batch = sent[0]!;
  expect(batch.events.filter((e) => e.kind === 'exposure')).toHaveLength(15);
  expect(keptBatchBody(batch)).toBeDefined(); // written by the pipeline's delivery before the transport saw the batch
  expect(batchBody(batch)).toBe(JSON.stringify(batch));
  const exposure = JSON.parse(batchBody(batch)).events.find((e: { variation?: unknown }) => e.variation === null);
  expect(Object.keys(exposure)).toEqual(['kind', 'time', 'contextKeys', 'flag', 'variation', 'inExperiment']);
  expect(exposure.contextKeys).toEqual({ user: 'u\u2028é😀', org: 'o/1' });
});

it('gives each exposure the time it was recorded at, however often the clock moves', async () => {
  const sent = await sentBatches((pipeline, tick) => {
    for (let i = 0; i < 6; i++) {
      pipeline.recordExposure({ flag: `f${i}`, variation: 0, inExperiment: true, context: { key: 'u1' } });
      if (i % 2 === 0) tick();
    }
  });
  const times = JSON.parse(batchBody(sent[0]!)).events.filter((e: { kind: string }) => e.kind === 'exposure').map((e: { time: number }) => e.time);
  const start = 1_733_450_000_000;
  expect(times).toEqual([0, 1, 1, 2, 2, 3].map((n) => start + n * 1_000_003));
});
