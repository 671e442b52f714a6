import { MAX_TIMER_MS } from '@avsb/common';
import { holdTimers } from '@avsb/test-support';
import type { HeldTimers } from '@avsb/test-support';
import { afterEach, expect, it } from 'vitest';
import { EventPipeline } from './event-pipeline';
import { createPlatform } from './global-platform';
import type { TransportResult } from './platform';
import { settled } from '../test/support/harness';

const pipelines: EventPipeline[] = [];
/** The bound of close() after each test, whose timer runs on the runtime (the others are held). */
const CLOSE_MS = 10;
afterEach(async () => {
  for (const p of pipelines.splice(0)) await p.close(CLOSE_MS);
});

/** A pipeline whose transport counts sends and answers `answer`, its timers held on the test's clock. */
function pipeline(answer: TransportResult, options: ConstructorParameters<typeof EventPipeline>[1]) {
  const sent = { count: 0 };
  const clock = holdTimers((ms) => ms !== CLOSE_MS);
  const platform = clock.wrap(createPlatform({
    transport: {
      send: async () => {
        sent.count++;
        return answer;
      },
    },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  }));
  const p = new EventPipeline(platform, options);
  pipelines.push(p);
  return { p, sent, clock };
}

// The delays asked of a runtime's timers are above what one honours (2^31−1 ms: Node fires a longer one after 1 ms). The
// platform's timers are held on the test's clock: the pipeline must ask for at most 2^31−1 ms, and send nothing until
// that falls due.


it('does not flush at once when the flush interval is above what a timer honours', async () => {
  const { p, sent, clock } = pipeline({ status: 202 }, { flushIntervalMs: 2 ** 32 });
  p.recordCustom({ key: 'k', context: { key: 'u_1' } });
  expect(clock.armed).toEqual([{ ms: MAX_TIMER_MS, keepAlive: false }]);
  clock.advance(MAX_TIMER_MS - 1);
  await settled();
  expect(sent.count).toBe(0);
  clock.advance(1);
  await settled();
  expect(sent.count).toBe(1);
});

/** The retry (the longest timer armed) is asked for at most 2^31−1 ms, and sends only once that has passed. */
async function retriedAtItsDelay(clock: HeldTimers, sent: { count: number }): Promise<void> {
  const retryMs = Math.max(...clock.armed.map((t) => t.ms));
  expect(retryMs).toBeLessThanOrEqual(MAX_TIMER_MS);
  clock.advance(retryMs - 1);
  await settled();
  expect(sent.count).toBe(1);
  clock.advance(1);
  await settled();
  expect(sent.count).toBe(2);
}

it('waits out a huge Retry-After even when maxRetryAfterMs allows it, instead of retrying in a loop', async () => {
  const { p, sent, clock } = pipeline({ status: 429, retryAfterMs: 99_999_999_000 }, { maxRetryAfterMs: 1e15 });
  p.recordCustom({ key: 'k', context: { key: 'u_1' } });
  await p.flush();
  expect(sent.count).toBe(1);
  await retriedAtItsDelay(clock, sent);
});

it('waits out a huge backoff delay instead of retrying in a loop', async () => {
  const { p, sent, clock } = pipeline({ status: 503 }, { retryInitialDelayMs: 1e12, retryMaxDelayMs: 1e13 });
  p.recordCustom({ key: 'k', context: { key: 'u_1' } });
  await p.flush();
  expect(sent.count).toBe(1);
  await retriedAtItsDelay(clock, sent);
});
