// The shop tested with MockAvsbServer and TestData: no network, the real engine.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { createApp } from './app.js';
import type { Client } from '../test/support/http.js';
import { cookieOf, serve } from '../test/support/http.js';

let mock: MockAvsbServer;
let shop: Client;

beforeEach(async () => {
  const checkout = TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).ifMatch('plan', 'pro').thenReturn(true).fallthroughVariation(false);
  const theme = TestData.flag('ui-theme').variations('default', 'dark', 'contrast').variationForUser('u_7', 'dark').fallthroughVariation('default');
  mock = new MockAvsbServer({ flags: [checkout.build(), theme.build()] });
  shop = await serve(createApp(mock));
});

afterEach(async () => {
  await shop.close();
});

async function login(userId: string): Promise<string> {
  return cookieOf(await shop.call('/login', { method: 'POST', body: { userId } }), 'demo_session');
}

// The two tests of the guide, as written there.
it('returns true for u_1', () => {
  const scoped = mock.forUser({ kind: 'user', key: 'u_1' });
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
});

it('returns the default false for anyone else', () => {
  const scoped = mock.forUser({ kind: 'user', key: 'other' });
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(false);
});

it('shows an anonymous visitor the old checkout and the default theme', async () => {
  const reply = await shop.call('/checkout');
  expect(reply.body).toEqual({ showNewCheckout: false, theme: 'default' });
  expect(mock.exposures.map((e) => e.context)).toEqual([
    { kind: 'user', key: expect.any(String), anonymous: true },
    { kind: 'user', key: expect.any(String), anonymous: true },
  ]);
  expect(cookieOf(reply, 'avsb_uid')).toMatch(/^avsb_uid=/);
});

it('targets signed-in users by id and plan', async () => {
  expect((await shop.call('/checkout', { cookie: await login('u_1') })).body).toEqual({ showNewCheckout: true, theme: 'default' });
  expect((await shop.call('/checkout', { cookie: await login('u_2') })).body).toEqual({ showNewCheckout: true, theme: 'default' });
  expect((await shop.call('/checkout', { cookie: await login('u_7') })).body).toEqual({ showNewCheckout: false, theme: 'dark' });
});

it('identifies the user at login with server.forUser and re-reads checkout-v2', async () => {
  const reply = await shop.call('/login', { method: 'POST', body: { userId: 'u_1' } });
  expect(reply.body).toEqual({ userId: 'u_1', showNewCheckout: true });
  expect(mock.exposures).toEqual([
    expect.objectContaining({ flag: 'checkout-v2', value: true, reason: 'TARGET_MATCH', context: expect.objectContaining({ key: 'u_1', plan: 'free' }) }),
  ]);
  expect((await shop.call('/login', { method: 'POST', body: { userId: 'nobody' } })).status).toBe(401);
  expect(mock.metrics().liveContexts).toBe(0);
});

it('tracks a purchase with its value and currency for the signed-in user', async () => {
  const cookie = await login('u_2');
  expect((await shop.call('/purchase', { method: 'POST', body: { amount: 149.99 }, cookie })).status).toBe(202);
  expect(mock.trackedEvents).toEqual([
    {
      key: 'purchase',
      value: 149.99,
      properties: { currency: 'usd' },
      context: { kind: 'user', key: 'u_2', plan: 'pro', email: 'grace@example.com' },
    },
  ]);
});

it('counts an anonymous visitor once: the same id on every request', async () => {
  const first = await shop.call('/checkout');
  const visitor = cookieOf(first, 'avsb_uid');
  await shop.call('/checkout', { cookie: visitor });
  await shop.call('/purchase', { method: 'POST', cookie: visitor });
  const keys = new Set([...mock.exposures.map((e) => e.context.key), ...mock.trackedEvents.map((e) => e.context.key)]);
  expect(keys).toEqual(new Set([visitor.split('=')[1]]));
});

it('picks up a flag change while running', async () => {
  mock.update(mock.testData.flag('checkout-v2').variationForAll(true));
  expect((await shop.call('/checkout')).body.showNewCheckout).toBe(true);
});
