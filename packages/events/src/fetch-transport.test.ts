import { globalPlatform, silentLogger } from '@avsb/common';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fetchTransport, parseRetryAfter } from './fetch-transport';
import type { FaultProxy } from '../test/support/fault-proxy';
import type { Backend } from '../test/support/harness';
import { startStack } from '../test/support/harness';
import type { EventBatch } from './wire';

let stack: Awaited<ReturnType<typeof startStack>>;
let backend: Backend;
let proxy: FaultProxy;

beforeAll(async () => {
  stack = await startStack();
  ({ backend, proxy } = stack);
});
afterAll(() => stack.close());
beforeEach(() => {
  proxy.fault = () => ({ kind: 'pass' });
});

let n = 0;
function batch(): EventBatch {
  return {
    batchId: `transport-test-${++n}`,
    sdk: { name: 'test', version: '1' },
    events: [{ kind: 'custom', time: Date.now(), contextKeys: { user: 'u_t' }, key: 'transport' }],
  };
}

it('posts the batch to /sdk/v1/events with the key, and reads 202', async () => {
  const transport = fetchTransport({ baseUrl: `${proxy.url}//`, sdkKey: backend.sdkKey, userAgent: 'AvsbNode/0.1.0' });
  const b = batch();
  await expect(transport.send(b)).resolves.toEqual({ status: 202 });
  await expect(transport.send(b)).resolves.toEqual({ status: 202 }); // the same id again: stored once
  const seen = proxy.eventRequests.filter((r) => r.batchId === b.batchId);
  expect(seen).toHaveLength(2);
  expect(seen[0]).toMatchObject({ authorization: backend.sdkKey, userAgent: 'AvsbNode/0.1.0' });
  expect(seen[0]!.contentType).toMatch(/^application\/json/);
  const stored = (await backend.events()).filter((e) => e.key === 'transport');
  expect(stored).toHaveLength(1);
});

it('returns the server error message of a 4xx without the key', async () => {
  const key = 'srv-wrong-key-that-must-not-leak';
  const result = await fetchTransport({ baseUrl: proxy.url, sdkKey: key }).send(batch());
  expect(result.status).toBe(401);
  expect(result.message).toMatch(/^unauthorized: /);
  expect(JSON.stringify(result)).not.toContain(key);
});

it('reads Retry-After', async () => {
  proxy.fault = () => ({ kind: 'status', status: 429, headers: { 'Retry-After': '7' } });
  const result = await fetchTransport({ baseUrl: proxy.url, sdkKey: backend.sdkKey }).send(batch());
  expect(result).toMatchObject({ status: 429, retryAfterMs: 7_000 });
  expect(parseRetryAfter('2.5', 0)).toBe(2_500);
  expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000)).toBe(6_000);
  expect(parseRetryAfter('soon', 0)).toBeUndefined();
  expect(parseRetryAfter(null, 0)).toBeUndefined();
});

it('rejects on timeout and on network errors, never with the key in the error', async () => {
  const key = 'srv-secret-key-for-errors';
  proxy.fault = () => ({ kind: 'hang' });
  const platform = globalPlatform({ logger: silentLogger });
  const armed: number[] = [];
  const timed = { ...platform, setTimeout: (fn: () => void, ms: number, keepAlive?: boolean) => (armed.push(ms), platform.setTimeout(fn, ms, keepAlive)) };
  const slow = fetchTransport({ baseUrl: proxy.url, sdkKey: key, timeoutMs: 100, platform: timed });
  // the proxy never answers: only the transport's own timer, armed for what was asked, can end the request
  const timeout = await slow.send(batch()).catch((e: Error) => e);
  expect(String(timeout)).toContain('timed out after 100 ms');
  expect(armed).toEqual([100]);
  proxy.fault = () => ({ kind: 'reset' });
  const reset = await fetchTransport({ baseUrl: proxy.url, sdkKey: key }).send(batch()).catch((e: Error) => e);
  const refused = await fetchTransport({ baseUrl: 'http://127.0.0.1:9', sdkKey: key }).send(batch()).catch((e: Error) => e);
  for (const error of [timeout, reset, refused]) {
    expect(error).toBeInstanceOf(Error);
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(key);
  }
  expect(String(refused)).toMatch(/the events request failed/);
});

it('aborts requests in flight on close()', async () => {
  proxy.fault = () => ({ kind: 'hang' });
  const transport = fetchTransport({ baseUrl: proxy.url, sdkKey: backend.sdkKey, timeoutMs: 30_000 });
  const pending = transport.send(batch()).catch((e: Error) => e);
  await new Promise((resolve) => setTimeout(resolve, 50));
  transport.close?.();
  expect(await pending).toBeInstanceOf(Error);
});

it('refuses to build without a base URL or key, without echoing the key', () => {
  expect(() => fetchTransport({ baseUrl: '', sdkKey: 'srv-x' })).toThrow(/baseUrl is required/);
  expect(() => fetchTransport({ baseUrl: 'http://x', sdkKey: '' })).toThrow(/sdkKey is required/);
});
