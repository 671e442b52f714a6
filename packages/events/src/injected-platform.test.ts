import { globalPlatform, silentLogger } from '@avsb/common';
import type { Platform, TimerHandle } from '@avsb/common';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EventPipeline } from './event-pipeline';
import { fetchTransport } from './fetch-transport';
import type { FaultProxy } from '../test/support/fault-proxy';
import type { Backend } from '../test/support/harness';
import { waitFor } from '@avsb/test-support';
import { startStack } from '../test/support/harness';

// The transport and the delivery take timers, clock, random and abort from
// the platform they are given, never from globals: a platform that records
// what it is asked shows it, against a real server behind the fault proxy.

let services: { backend: Backend; proxy: FaultProxy; close(): Promise<void> };
beforeAll(async () => void (services = await startStack()));
afterAll(() => services.close());

const CLOCK = Date.UTC(2001, 0, 1); // far from the real clock: only the injected one gives the right answers

interface Recorded {
  timers: { ms: number; keepAlive: boolean | undefined }[];
  controllers: number;
  clockReads: number;
  randomReads: number;
}

function recordingPlatform(random = 0.5): { platform: Platform; seen: Recorded } {
  const real = globalPlatform({ logger: silentLogger });
  const seen: Recorded = { timers: [], controllers: 0, clockReads: 0, randomReads: 0 };
  const platform: Platform = {
    ...real,
    newAbortController: () => {
      seen.controllers++;
      return real.newAbortController();
    },
    setTimeout: (fn, ms, keepAlive): TimerHandle => {
      seen.timers.push({ ms, keepAlive });
      return real.setTimeout(fn, ms, keepAlive);
    },
    now: () => {
      seen.clockReads++;
      return CLOCK;
    },
    random: () => {
      seen.randomReads++;
      return random;
    },
  };
  return { platform, seen };
}

it('times requests out and reads Retry-After dates with the platform, not the globals', async () => {
  const { platform, seen } = recordingPlatform();
  const { proxy, backend } = services;
  const transport = fetchTransport({ baseUrl: proxy.url, sdkKey: backend.sdkKey, platform, timeoutMs: 7_000 });
  // an HTTP date 30 s after the injected clock: 30 s by that clock, long past by the real one
  proxy.fault = () => ({ kind: 'status', status: 429, headers: { 'Retry-After': new Date(CLOCK + 30_000).toUTCString() } });
  const result = await transport.send({ batchId: 'platform-1', sdk: { name: 'test', version: '1' }, events: [] });
  proxy.fault = () => ({ kind: 'pass' });
  expect(result).toMatchObject({ status: 429, retryAfterMs: 30_000 });
  expect(seen.controllers).toBe(1);
  expect(seen.timers).toEqual([{ ms: 7_000, keepAlive: undefined }]);
  expect(seen.clockReads).toBeGreaterThan(0);
});

it('schedules retries from the platform random source, as background timers, and close() on a kept timer', async () => {
  const { platform, seen } = recordingPlatform(0.999_999);
  const { proxy, backend } = services;
  const transport = fetchTransport({ baseUrl: proxy.url, sdkKey: backend.sdkKey, platform });
  const pipeline = new EventPipeline({ ...platform, transport }, { flushIntervalMs: 3_600_000, retryInitialDelayMs: 1_000, retryMaxDelayMs: 1_000 });
  // the dedupe cache's two hash seeds, drawn once as the pipeline is made
  expect(seen.randomReads).toBe(2);
  proxy.fault = () => ({ kind: 'status', status: 500 });
  pipeline.recordCustom({ key: 'injected', context: { key: 'u_platform' } });
  await pipeline.flush();
  proxy.fault = () => ({ kind: 'pass' });
  expect(seen.randomReads).toBe(3);
  // the flush interval, the request timeout and the retry: none keeps the process alive
  const retry = seen.timers.find((t) => t.ms > 500 && t.ms <= 1_000);
  expect(retry).toEqual({ ms: expect.any(Number), keepAlive: false });
  expect(seen.timers.filter((t) => t.keepAlive === true)).toEqual([]);
  await pipeline.close(5_000);
  expect(seen.timers.filter((t) => t.keepAlive === true)).toContainEqual({ ms: 5_000, keepAlive: true });
  await waitFor(async () => (await backend.events()).some((e) => e.key === 'injected'), 5_000, 'the retried batch');
  const stored = (await backend.events()).find((e) => e.key === 'injected')!;
  expect(stored.time).toBe(CLOCK);
});
