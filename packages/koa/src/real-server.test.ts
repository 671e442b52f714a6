// The middleware over a real AvsbServer connected to the real A vs B server
// (`@avsb/server` on 127.0.0.1, seeded with the guide's `shop` project):
// flags read per request, and the events tracked delivered at shutdown.
import Koa from 'koa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AvsbServer } from '@avsb/node';
import type { RealServer } from '@avsb/test-support/real-server';
import { call, waitFor } from '@avsb/test-support';
import { startRealServer } from '@avsb/test-support/real-server';
import { serve, shopApp } from '../test/support/app';

let real: RealServer;
beforeAll(async () => {
  real = await startRealServer();
});
afterAll(async () => {
  await real?.close();
});

it('evaluates flags from the real A vs B server and flushes tracked events at shutdown', async () => {
  const server = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logLevel: 'warn' });
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true });
  const listening = await serve(
    shopApp(Koa, server, { contextFrom: (ctx) => (ctx.get('x-user-id') ? { kind: 'user', key: ctx.get('x-user-id'), plan: 'free' } : null) }),
  );
  expect((await call(`${listening.url}/checkout`, { headers: { 'x-user-id': 'u_1' } })).body).toMatchObject({ showNewCheckout: true, theme: 'default' });
  expect((await call(`${listening.url}/checkout`, { headers: { 'x-user-id': 'u_7' } })).body).toMatchObject({ theme: 'dark' });
  expect((await call(`${listening.url}/purchase`, { method: 'POST', headers: { 'x-user-id': 'u_1' } })).status).toBe(202);
  // the README's shutdown: stop taking requests, then close the server (which flushes)
  await listening.close();
  await server.close();
  const events = await waitFor(async () => {
    const stored = await real.events();
    return stored.some((e) => e.kind === 'custom') ? stored : null;
  });
  expect(events.find((e) => e.kind === 'custom')).toMatchObject({ key: 'purchase', value: 149.99, contextKeys: { user: 'u_1' } });
  expect(events.find((e) => e.kind === 'summary')?.flags).toMatchObject({ 'checkout-v2': expect.anything(), 'ui-theme': expect.anything() });
  expect(server.metrics().liveContexts).toBe(0);
});
