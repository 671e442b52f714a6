import { afterEach, expect, it } from 'vitest';
import { EventPipeline } from './event-pipeline';
import { createPlatform } from './global-platform';
import type { TransportResult } from './platform';

const pipelines: EventPipeline[] = [];
afterEach(async () => {
  for (const p of pipelines.splice(0)) await p.close(10);
});

/** A pipeline whose transport counts sends and answers `answer`. */
function pipeline(answer: TransportResult, options: ConstructorParameters<typeof EventPipeline>[1]) {
  const sent = { count: 0 };
  const platform = createPlatform({
    transport: {
      send: async () => {
        sent.count++;
        return answer;
      },
    },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const p = new EventPipeline(platform, options);
  pipelines.push(p);
  return { p, sent };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('does not flush at once when the flush interval is above what a timer honours', async () => {
  const { p, sent } = pipeline({ status: 202 }, { flushIntervalMs: 2 ** 32 });
  p.recordCustom({ key: 'k', context: { key: 'u_1' } });
  await sleep(300);
  // an unclamped 2^32 ms timer fires after 1 ms in Node: a flush loop
  expect(sent.count).toBe(0);
});

it('waits out a huge Retry-After even when maxRetryAfterMs allows it, instead of retrying in a loop', async () => {
  const { p, sent } = pipeline({ status: 429, retryAfterMs: 99_999_999_000 }, { maxRetryAfterMs: 1e15 });
  p.recordCustom({ key: 'k', context: { key: 'u_1' } });
  await p.flush();
  await sleep(500);
  expect(sent.count).toBe(1);
});

it('waits out a huge backoff delay instead of retrying in a loop', async () => {
  const { p, sent } = pipeline({ status: 503 }, { retryInitialDelayMs: 1e12, retryMaxDelayMs: 1e13 });
  p.recordCustom({ key: 'k', context: { key: 'u_1' } });
  await p.flush();
  await sleep(500);
  expect(sent.count).toBe(1);
});
