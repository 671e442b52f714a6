import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { TestServer } from '../../test/support/harness';
import { sdk, startTestServer } from '../../test/support/harness';
import { SseClient } from '../../test/support/sse-client';

const ENV = '/projects/shop/environments/production';
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

async function post(serverKey: string, batchId: string, users: readonly string[]): Promise<void> {
  const events = users.map((user) => ({ kind: 'custom', time: 1764072000000, contextKeys: { user }, key: 'purchase' }));
  const res = await sdk(`${t.url}/sdk/v1/events`, serverKey, { method: 'POST', body: JSON.stringify({ batchId, events }) });
  expect(res.status).toBe(202);
}

function openStream(headers: Record<string, string> = {}): Promise<SseClient> {
  return SseClient.open(`${t.url}/api/v1${ENV}/events/stream`, { authorization: `Bearer ${t.server.adminToken}`, ...headers });
}

const users = (data: string): string[] => (JSON.parse(data) as { contextKeys: { user: string } }[]).map((e) => e.contextKeys.user);

it("a live stream resumed with the last id of a deleted project's environment gets every event of the project recreated under its key", async () => {
  const old = await openStream({ 'last-event-id': '0' });
  await post((await t.keys()).serverKey, 'old', ['u1', 'u2', 'u3']);
  const first = await old.next(5000);
  expect(users(first.data)).toEqual(['u1', 'u2', 'u3']);
  const lastSeen = first.id!;

  expect((await t.admin('DELETE', '/projects/shop')).status).toBe(202);
  await old.until(() => old.closed, 5000, 'the stream of the deleted environment to end');
  await vi.waitFor(async () => expect((await t.admin('GET', '/purges')).body).toMatchObject({ pending: [], running: false }), {
    timeout: 30_000,
    interval: 20,
  });

  // the purge took the newest events; the dashboard reconnects to the same URL with the id it saw last
  expect((await t.admin('POST', '/projects', { key: 'shop' })).status).toBe(201);
  const resumed = await openStream({ 'last-event-id': lastSeen });
  await resumed.until(() => resumed.comments.length > 0, 5000, 'the stream to open');
  await post((await t.keys()).serverKey, 'new', ['u4', 'u5']);
  const next = await resumed.next(5000);
  expect(users(next.data)).toEqual(['u4', 'u5']);
  expect(Number(next.id)).toBe(Number(lastSeen) + 2);
  resumed.close();

  // paging with ?after= from the same id gets them too
  const page = await t.admin('GET', `${ENV}/events?after=${lastSeen}`);
  expect(page.body.map((e: { contextKeys: { user: string } }) => e.contextKeys.user)).toEqual(['u4', 'u5']);
}, 60_000);
