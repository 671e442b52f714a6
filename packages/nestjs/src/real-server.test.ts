// AvsbModule.forRoot({ sdkKey }) creating a real AvsbServer connected to the
// real A vs B server (`@avsb/server` on 127.0.0.1, seeded with the guide's
// `shop` project): flags read per request, and the events tracked delivered
// by Nest's shutdown (app.close()).
import 'reflect-metadata';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RealServer } from '@avsb/test-support/real-server';
import { call, waitFor } from '@avsb/test-support';
import { startRealServer } from '@avsb/test-support/real-server';
import { AVSB_SERVER, AvsbModule } from './index';
import { startShop } from '../test/support/shop';

let real: RealServer;
beforeAll(async () => {
  real = await startRealServer();
});
afterAll(async () => {
  await real?.close();
});

it('evaluates flags from the real A vs B server and flushes tracked events when the app closes', async () => {
  const { app, url } = await startShop(
    AvsbModule.forRoot({
      sdkKey: real.serverKey,
      baseUrl: real.url,
      logLevel: 'warn',
      contextFrom: (req: { user?: { id: string; plan: string } }) => (req.user ? { kind: 'user', key: req.user.id, plan: req.user.plan } : null),
    }),
  );
  // forRoot waited for the first datafile before the app started
  expect((await call(`${url}/checkout`, { headers: { 'x-user-id': 'u_1' } })).body).toMatchObject({ showNewCheckout: true, theme: 'default' });
  expect((await call(`${url}/checkout`, { headers: { 'x-user-id': 'u_7' } })).body).toMatchObject({ theme: 'dark' });
  expect((await call(`${url}/purchase`, { method: 'POST', headers: { 'x-user-id': 'u_1' } })).status).toBe(202);
  const server = app.get(AVSB_SERVER);
  await app.close();
  const events = await waitFor(async () => {
    const stored = await real.events();
    return stored.some((e) => e.kind === 'custom') ? stored : null;
  });
  expect(events.find((e) => e.kind === 'custom')).toMatchObject({ key: 'purchase', value: 149.99, contextKeys: { user: 'u_1' } });
  expect(events.find((e) => e.kind === 'summary')?.flags).toMatchObject({ 'checkout-v2': expect.anything(), 'ui-theme': expect.anything() });
  expect(await server.onReady()).toMatchObject({ ready: false, error: { kind: 'closed' } });
});
