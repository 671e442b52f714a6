// EventPipelineBase, the page's pipeline, against the real server behind the fault proxy: it retries like
// EventPipeline and, like it, splits a batch the server finds too large (only the split before sending is left out).
import { expect, it } from 'vitest';
import { FAST, recordingLogger, useFaultStack, user } from '../test/support/harness';
import { EventPipelineBase } from './event-pipeline-base';
import { fetchTransport } from './fetch-transport';
import { createPlatform } from './global-platform';

const suite = useFaultStack();

function basePipeline(sdkKey = suite.backend.sdkKey) {
  const logger = recordingLogger();
  const transport = fetchTransport({ baseUrl: suite.proxy.url, sdkKey, timeoutMs: 2_000 });
  return { pipeline: new EventPipelineBase(createPlatform({ transport, logger }), FAST), logger };
}
const requests = () => suite.proxy.eventRequests.slice(suite.seenBefore);
async function storedKeys(): Promise<string[]> {
  return (await suite.backend.events()).slice(suite.storedBefore).filter((e) => e.kind === 'custom').map((e) => e.key as string);
}

it('retries a failed batch with the same batchId and stores it once', async () => {
  suite.proxy.fault = (r) => (r.index < suite.seenBefore + 2 ? { kind: 'status', status: 503 } : { kind: 'pass' });
  const { pipeline } = basePipeline();
  for (let i = 0; i < 3; i++) pipeline.recordCustom({ key: `retried-${i}`, context: user('u_base_retry') });
  await pipeline.close(3_000);
  const ids = requests().map((r) => r.batchId);
  expect(ids).toHaveLength(3);
  expect(new Set(ids).size).toBe(1);
  expect((await storedKeys()).sort()).toEqual(['retried-0', 'retried-1', 'retried-2']);
});

it('splits a batch the server answers 413 into halves until they fit, storing every event once, and sends the next batch', async () => {
  suite.proxy.fault = (r) => (r.events > 4 ? { kind: 'status', status: 413, message: 'the body is over 1 MiB' } : { kind: 'pass' });
  const { pipeline, logger } = basePipeline();
  for (let i = 0; i < 6; i++) pipeline.recordCustom({ key: 'too-large', value: i, context: user('u_base_413') });
  await pipeline.flush();
  pipeline.recordCustom({ key: 'after', context: user('u_base_413') });
  await pipeline.close(3_000);
  // the batch of 7 is refused, its halves of 4 and 3 fit; then the next batch
  expect(requests().map((r) => [r.fault, r.events])).toEqual([
    ['status', 7],
    ['pass', 4],
    ['pass', 3],
    ['pass', 1],
  ]);
  const stored = await storedKeys();
  expect(stored.filter((k) => k === 'too-large')).toHaveLength(6);
  expect(stored.filter((k) => k === 'after')).toHaveLength(1);
  expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(0);
});

it('on a refused key, stops and advises checking the client key, never a server key (a page must not hold one)', async () => {
  const { pipeline, logger } = basePipeline('cli-not-a-real-key-0000');
  pipeline.recordCustom({ key: 'refused', context: user('u_base_401') });
  await pipeline.flush();
  pipeline.recordCustom({ key: 'refused-later', context: user('u_base_401') });
  await pipeline.close();
  expect(requests()).toHaveLength(1);
  const errors = logger.lines.filter((l) => l.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]!.message).toContain('the server refused the SDK key (HTTP 401)');
  expect(errors[0]!.message).toContain('the client key of the right environment');
  expect(errors[0]!.message).not.toContain('srv-');
  expect(logger.text()).not.toContain('cli-not-a-real-key');
});
