// @avsb/hono on Cloudflare Workers over AvsbEdge, in workerd (miniflare):
// the middleware reads flags per request, anonymous visitors get the cookie,
// and tracked events reach the real A vs B server through waitUntil.
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { waitFor } from '@avsb/test-support';
import { startWorkerd } from './support/runtime-scenario';

let real: SandboxServer;
let mf: Miniflare;

beforeAll(async () => {
  real = await startSandboxServer();
  mf = await startWorkerd('hono-worker.ts', { AVSB_SDK_KEY: real.serverKey, AVSB_BASE_URL: real.url });
});

afterAll(async () => {
  await mf?.dispose();
  await real?.close();
});

it('reads flags per request through c.get(\'avsb\'), anonymous visitors included', async () => {
  const u1 = await mf.dispatchFetch('http://worker.test/checkout', { headers: { 'x-user-id': 'u_1' } });
  expect(await u1.json()).toEqual({ showNewCheckout: true, theme: 'default' });
  const u7 = await mf.dispatchFetch('http://worker.test/checkout', { headers: { 'x-user-id': 'u_7' } });
  expect(await u7.json()).toMatchObject({ theme: 'dark' });
  const anonymous = await mf.dispatchFetch('http://worker.test/checkout');
  expect(anonymous.headers.get('set-cookie')).toMatch(/^avsb_uid=[0-9a-f-]{36}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax$/);
  await anonymous.arrayBuffer();
  expect(await (await mf.dispatchFetch('http://worker.test/metrics')).json()).toMatchObject({ liveContexts: 0, engineFaults: 0 });
});

it('delivers tracked events to the server through waitUntil', async () => {
  const res = await mf.dispatchFetch('http://worker.test/purchase', { method: 'POST', headers: { 'x-user-id': 'u_hono_edge' } });
  expect(res.status).toBe(202);
  const events = await waitFor(async () => {
    const stored = await real.admin<Array<Record<string, any>>>('/events?limit=1000');
    return stored.some((e) => e.kind === 'custom' && e.contextKeys?.user === 'u_hono_edge') ? stored : null;
  }, 20_000, 'the purchase event stored by the server');
  expect(events.find((e) => e.kind === 'custom' && e.contextKeys?.user === 'u_hono_edge')).toMatchObject({ key: 'purchase', value: 149.99, properties: { currency: 'usd' } });
});
