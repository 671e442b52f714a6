import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { globalPlatform, silentLogger } from '@avsb/common';
import { MAX_BATCH_BYTES, MAX_EVENTS_PER_BATCH } from '@avsb/protocol';
import { expect, it } from 'vitest';
import { EventPipeline } from './event-pipeline';
import type { EventBatch } from './wire';
import { MAX_BATCH_BYTES as PIPELINE_MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from './index';

// The protocol's event-batch fixtures: the server's tests check it accepts
// `valid.json` (and refuses the others); here the pipeline must produce it.
const fixturesDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@avsb/protocol/package.json')), 'fixtures', 'event-batches');
const fixture = JSON.parse(readFileSync(path.join(fixturesDir, 'valid.json'), 'utf8')) as { batch: EventBatch };

it('sends the protocol fixture batch for the same recordings', async () => {
  const sent: EventBatch[] = [];
  const time = (fixture.batch.events[0] as { time: number }).time;
  const platform = {
    ...globalPlatform({ logger: silentLogger }),
    now: () => time,
    randomId: () => fixture.batch.batchId,
    transport: { send: async (batch: EventBatch) => (sent.push(batch), { status: 202 }) },
  };
  const pipeline = new EventPipeline(platform, { sdk: fixture.batch.sdk, flushIntervalMs: 60_000 });
  const context = { kind: 'user', key: 'u_1', plan: 'pro' };
  pipeline.recordExposure({ flag: 'checkout-v2', variation: 1, reason: 'RULE_MATCH', inExperiment: true, context, revision: 42 });
  pipeline.recordCustom({ key: 'purchase', value: 149.99, properties: { currency: 'usd' }, context });
  await pipeline.close(2_000);
  expect(sent).toHaveLength(1);
  expect(JSON.parse(JSON.stringify(sent[0]))).toEqual(fixture.batch);
});

it('takes its limits from the protocol', () => {
  expect(PIPELINE_MAX_BATCH_BYTES).toBe(MAX_BATCH_BYTES);
  expect(MAX_BATCH_EVENTS).toBe(MAX_EVENTS_PER_BATCH);
});
