// EventPipelineBase, the page's pipeline, against the real server behind the fault proxy: it retries like
// EventPipeline and, like it, splits a batch the server finds too large (only the split before sending is left out).
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FaultProxy } from '../test/support/fault-proxy';
import type { Backend } from '../test/support/harness';
import { FAST, recordingLogger, startStack, user } from '../test/support/harness';
import { EventPipelineBase } from './event-pipeline-base';
import { fetchTransport } from './fetch-transport';
import { createPlatform } from './global-platform';

let stack: Awaited<ReturnType<typeof startStack>>;
let backend: Backend;
let proxy: FaultProxy;
let before = 0;
let seen = 0;

beforeAll(async () => {
  stack = await startStack();
  ({ backend, proxy } = stack);
});
afterAll(() => stack.close());
beforeEach(async () => {
  await proxy.up();
  proxy.fault = () => ({ kind: 'pass' });
  before = (await backend.events()).length;
  seen = proxy.eventRequests.length;
});

function basePipeline(sdkKey = backend.sdkKey) {
  const logger = recordingLogger();
  const transport = fetchTransport({ baseUrl: proxy.url, sdkKey, timeoutMs: 2_000 });
  return { pipeline: new EventPipelineBase(createPlatform({ transport, logger }), FAST), logger };
}
const requests = () => proxy.eventRequests.slice(seen);
async function storedKeys(): Promise<string[]> {
  return (await backend.events()).slice(before).filter((e) => e.kind === 'custom').map((e) => e.key as string);
}

it('retries a failed batch with the same batchId and stores it once', async () => {
  proxy.fault = (r) => (r.index < seen + 2 ? { kind: 'status', status: 503 } : { kind: 'pass' });
  const { pipeline } = basePipeline();
  for (let i = 0; i < 3; i++) pipeline.recordCustom({ key: `retried-${i}`, context: user('u_base_retry') });
  await pipeline.close(3_000);
  const ids = requests().map((r) => r.batchId);
  expect(ids).toHaveLength(3);
  expect(new Set(ids).size).toBe(1);
  expect((await storedKeys()).sort()).toEqual(['retried-0', 'retried-1', 'retried-2']);
});

it('splits a batch the server answers 413 into halves until they fit, storing every event once, and sends the next batch', async () => {
  proxy.fault = (r) => (r.events > 4 ? { kind: 'status', status: 413, message: 'the body is over 1 MiB' } : { kind: 'pass' });
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
