// The middleware over a real AvsbServer connected to the real A vs B server
// (`@avsb/server` on 127.0.0.1, seeded with the guide's `shop` project), and
// the same app over MockAvsbServer.
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AvsbServer } from '@avsb/node';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { avsbMiddleware } from './index';
import type { AvsbMiddlewareServer } from './index';
import { call, listen, waitFor } from '@avsb/test-support';
import type { RealServer } from '@avsb/test-support/real-server';
import { startRealServer } from '@avsb/test-support/real-server';

let real: RealServer;
beforeAll(async () => {
  real = await startRealServer();
});
afterAll(async () => {
  await real?.close();
});

/** The guide's app: a checkout view and a tracked purchase, users named by a header. */
function shopApp(server: AvsbMiddlewareServer) {
  const app = express();
  app.use(express.json());
  app.use(
    avsbMiddleware(server, {
      contextFrom: (req) => {
        const user = req.headers['x-user-id'];
        return typeof user === 'string' ? { kind: 'user', key: user, plan: String(req.headers['x-plan'] ?? 'free') } : null;
      },
    }),
  );
  app.get('/checkout', (req, res) => {
    res.json({ showNewCheckout: req.avsb.getBoolFlag('checkout-v2', false), theme: req.avsb.getStringFlag('ui-theme', 'default') });
  });
  app.post('/purchase', (req, res) => {
    req.avsb.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
    res.status(202).json({ tracked: true });
  });
  return app;
}

async function checkout(url: string, user?: string, plan?: string) {
  const headers: Record<string, string> = {};
  if (user !== undefined) headers['x-user-id'] = user;
  if (plan !== undefined) headers['x-plan'] = plan;
  return (await call(`${url}/checkout`, { headers })).body;
}

it('evaluates flags from the real A vs B server and delivers tracked events to it', async () => {
  const server = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logLevel: 'warn' });
  expect(await server.onReady({ timeoutMs: 5000 })).toMatchObject({ ready: true });
  const listening = await listen(shopApp(server));
  try {
    expect(await checkout(listening.url, 'u_1')).toEqual({ showNewCheckout: true, theme: 'default' });
    expect(await checkout(listening.url, 'u_2', 'pro')).toEqual({ showNewCheckout: true, theme: 'default' });
    expect(await checkout(listening.url, 'u_7')).toMatchObject({ theme: 'dark' });
    const anonymous = await checkout(listening.url);
    expect(typeof anonymous.showNewCheckout).toBe('boolean');
    expect((await call(`${listening.url}/purchase`, { method: 'POST', headers: { 'x-user-id': 'u_1' } })).status).toBe(202);
    await server.flush();
    const events = await waitFor(async () => {
      const stored = await real.events();
      return stored.some((e) => e.kind === 'custom') ? stored : null;
    });
    expect(events.find((e) => e.kind === 'custom')).toMatchObject({
      key: 'purchase',
      value: 149.99,
      properties: { currency: 'usd' },
      contextKeys: { user: 'u_1' },
    });
    // exposures for the reads in checkout-v2's experiment (free plans); every read is counted in the summary
    expect(new Set(events.filter((e) => e.kind === 'exposure').map((e) => `${e.flag}:${e.inExperiment}`))).toEqual(new Set(['checkout-v2:true']));
    expect(events.find((e) => e.kind === 'summary')?.flags).toMatchObject({ 'checkout-v2': expect.anything(), 'ui-theme': expect.anything() });
    expect(server.metrics().liveContexts).toBe(0);
  } finally {
    await listening.close();
    await server.close();
  }
});

it('serves the same app from MockAvsbServer and TestData', async () => {
  const mock = new MockAvsbServer({
    flags: [
      TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).ifMatch('plan', 'pro').thenReturn(true).fallthroughVariation(false),
      TestData.flag('ui-theme').variations('default', 'dark', 'contrast').variationForUser('u_7', 'dark').fallthroughVariation('default'),
    ],
  });
  const listening = await listen(shopApp(mock));
  try {
    expect(await checkout(listening.url, 'u_1')).toEqual({ showNewCheckout: true, theme: 'default' });
    expect(await checkout(listening.url, 'u_2', 'pro')).toEqual({ showNewCheckout: true, theme: 'default' });
    expect(await checkout(listening.url, 'u_7')).toEqual({ showNewCheckout: false, theme: 'dark' });
    await call(`${listening.url}/purchase`, { method: 'POST', headers: { 'x-user-id': 'u_1' } });
    expect(mock.trackedEvents).toEqual([
      { key: 'purchase', value: 149.99, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_1', plan: 'free' } },
    ]);
    mock.update(mock.testData.flag('checkout-v2').variationForAll(true));
    expect(await checkout(listening.url, 'u_3')).toMatchObject({ showNewCheckout: true });
  } finally {
    await listening.close();
  }
});
