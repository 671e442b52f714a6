// The shop through OpenFeature's server SDK and AvsbProvider, on 127.0.0.1,
// over MockAvsbServer and TestData: the real engine, no network.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { OpenFeature } from '@openfeature/server-sdk';
import { MockAvsbServer, TestData } from '@avsb/testing';
import type { Listening } from '@avsb/test-support';
import { call, cookiePair, listen } from '@avsb/test-support';
import { createApp, registerProvider } from './app.js';

let mock: MockAvsbServer;
let shop: Listening;

beforeEach(async () => {
  const checkout = TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).ifMatch('plan', 'pro').thenReturn(true).fallthroughVariation(false);
  const theme = TestData.flag('ui-theme').variations('default', 'dark').ifMatch('email', 'edsger@avsb.dev').thenReturn('dark').fallthroughVariation('default');
  mock = new MockAvsbServer({ flags: [checkout.build(), theme.build()] });
  shop = await listen(createApp(await registerProvider(mock)));
});

afterEach(async () => {
  await shop.close();
  await OpenFeature.close();
});

async function login(userId: string): Promise<string> {
  return cookiePair((await call(`${shop.url}/login`, { method: 'POST', body: { userId } })).setCookies, 'demo_session')!;
}

it('returns true for u_1 and the default false for anyone else (the guide’s tests)', () => {
  expect(mock.forUser({ kind: 'user', key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  expect(mock.forUser({ kind: 'user', key: 'other' }).getBoolFlag('checkout-v2', false)).toBe(false);
});

it('shows an anonymous visitor the defaults and keeps their id in a cookie', async () => {
  const first = await call(`${shop.url}/checkout`);
  expect(first.body).toEqual({ showNewCheckout: false, theme: 'default' });
  const visitor = cookiePair(first.setCookies, 'avsb_uid')!;
  expect((await call(`${shop.url}/checkout`, { headers: { cookie: visitor } })).setCookies).toEqual([]);
  expect(mock.exposures.map((e) => e.context)).toEqual(Array(4).fill({ kind: 'user', key: visitor.split('=')[1], anonymous: true }));
});

it('targets signed-in users through the request’s transaction context', async () => {
  expect((await call(`${shop.url}/checkout`, { headers: { cookie: await login('u_2') } })).body).toEqual({ showNewCheckout: true, theme: 'default' });
  expect((await call(`${shop.url}/checkout`, { headers: { cookie: await login('u_9') } })).body).toEqual({ showNewCheckout: false, theme: 'dark' });
});

it('re-reads checkout-v2 with the new user’s context at login, no longer anonymous', async () => {
  expect((await call(`${shop.url}/login`, { method: 'POST', body: { userId: 'u_1' } })).body).toEqual({ userId: 'u_1', showNewCheckout: true });
  expect(mock.exposures.map((e) => e.context)).toEqual([{ kind: 'user', key: 'u_1', anonymous: false, plan: 'free', email: 'ada@example.com' }]);
  expect((await call(`${shop.url}/login`, { method: 'POST', body: { userId: 'nobody' } })).status).toBe(401);
  expect(mock.metrics().liveContexts).toBe(0);
});

it('tracks a purchase for the signed-in user, and OpenFeature.close() flushes the events', async () => {
  const reply = await call(`${shop.url}/purchase`, { method: 'POST', body: { amount: 42.5 }, headers: { cookie: await login('u_2') } });
  expect(reply.status).toBe(202);
  expect(mock.trackedEvents).toEqual([
    { key: 'purchase', value: 42.5, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_2', anonymous: false, plan: 'pro', email: 'grace@example.com' } },
  ]);
  expect(mock.flushCount).toBe(0);
  await OpenFeature.close(); // what SIGTERM does in main.ts
  expect(mock.flushCount).toBe(1);
});
