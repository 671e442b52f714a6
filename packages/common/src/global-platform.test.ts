import { expect, it } from 'vitest';
import { MAX_TIMER_MS, globalPlatform, jitterSource, pagePlatform, randomId, silentLogger, unrefTimer } from './index';
import type { FetchLike } from './index';

it('schedules background timers that do not keep the process alive, unless asked to', async () => {
  const platform = globalPlatform({ logger: silentLogger });
  const background = platform.setTimeout(() => {}, 60_000) as { hasRef(): boolean };
  const kept = platform.setTimeout(() => {}, 60_000, true) as { hasRef(): boolean };
  expect(background.hasRef()).toBe(false);
  expect(kept.hasRef()).toBe(true);
  platform.clearTimeout(background);
  platform.clearTimeout(kept);
  let fired = 0;
  await new Promise<void>((resolve) => platform.setTimeout(() => resolve(void fired++), 1, true));
  expect(fired).toBe(1);
});

it('clamps a delay above 2^31−1 ms instead of letting the runtime fire it at once', async () => {
  const platform = globalPlatform({ logger: silentLogger });
  let fired = false;
  const handle = platform.setTimeout(() => void (fired = true), MAX_TIMER_MS * 4);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(fired).toBe(false);
  platform.clearTimeout(handle);
});

it('gives a clock, random numbers in [0, 1), UUIDs and abort controllers', () => {
  const platform = globalPlatform({ logger: silentLogger });
  expect(Number.isInteger(platform.now()) && platform.now() > 1_600_000_000_000).toBe(true);
  for (let i = 0; i < 100; i++) {
    const r = platform.random!();
    expect(r >= 0 && r < 1).toBe(true);
  }
  expect(platform.randomId()).toMatch(/^[0-9a-f-]{36}$/);
  expect(randomId()).not.toBe(randomId());
  const controller = platform.newAbortController();
  expect(controller.signal.aborted).toBe(false);
  controller.abort();
  expect(controller.signal.aborted).toBe(true);
  expect(platform.logger).toBe(silentLogger);
});

it('calls the fetch it was given, and looks up the global one only when a request is made', async () => {
  const urls: string[] = [];
  const fetch: FetchLike = async (url) => {
    urls.push(url);
    return { status: 204, ok: true, headers: { get: () => null }, text: async () => '', body: null };
  };
  const platform = globalPlatform({ fetch, logger: silentLogger });
  expect((await platform.fetch('http://127.0.0.1:1/x', { method: 'GET' })).status).toBe(204);
  expect(urls).toEqual(['http://127.0.0.1:1/x']);
});

it('uses the platform random source for jitter when it has one', () => {
  expect(jitterSource({ random: () => 0.25 })()).toBe(0.25);
  const fallback = jitterSource({});
  expect(fallback() >= 0 && fallback() < 1).toBe(true);
});

it('unrefs only handles that can be unrefed', () => {
  expect(() => unrefTimer(42)).not.toThrow();
  expect(() => unrefTimer(null)).not.toThrow();
});

it('gives a page the standard globals without unref: a page platform’s timers are the runtime’s own, clamped alike', async () => {
  const platform = pagePlatform(silentLogger);
  // in Node a timer that was not unref'ed keeps its ref (a page's timers have no unref to call)
  const timer = platform.setTimeout(() => {}, 60_000) as { hasRef(): boolean };
  expect(timer.hasRef()).toBe(true);
  platform.clearTimeout(timer);
  let fired = false;
  const far = platform.setTimeout(() => void (fired = true), MAX_TIMER_MS * 4);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(fired).toBe(false);
  platform.clearTimeout(far);
  expect(platform.logger).toBe(silentLogger);
  expect(Object.keys(platform).sort()).toEqual(Object.keys(globalPlatform({ logger: silentLogger })).sort());
});
