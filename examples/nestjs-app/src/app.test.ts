// The shop on the real NestJS (platform-express), on 127.0.0.1, over MockAvsbServer and TestData: the real engine, no network.
import 'reflect-metadata';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { call, cookiePair } from '@avsb/test-support';
import { AppModule } from './app.js';

let mock: MockAvsbServer;
let app: INestApplication;
let url: string;

beforeEach(async () => {
  const checkout = TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).ifMatch('plan', 'pro').thenReturn(true).fallthroughVariation(false);
  const theme = TestData.flag('ui-theme').variations('default', 'dark').ifMatch('email', 'edsger@avsb.dev').thenReturn('dark').fallthroughVariation('default');
  mock = new MockAvsbServer({ flags: [checkout.build(), theme.build()] });
  app = await NestFactory.create(AppModule.register({ server: mock }), { logger: false });
  await app.listen(0, '127.0.0.1');
  url = await app.getUrl();
});

afterEach(async () => {
  await app.close();
});

async function login(userId: string): Promise<string> {
  return cookiePair((await call(`${url}/login`, { method: 'POST', body: { userId } })).setCookies, 'demo_session')!;
}

it('returns true for u_1 and the default false for anyone else (the guide’s tests)', () => {
  expect(mock.forUser({ kind: 'user', key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  expect(mock.forUser({ kind: 'user', key: 'other' }).getBoolFlag('checkout-v2', false)).toBe(false);
});

it('shows an anonymous visitor the defaults and keeps their id in a cookie', async () => {
  const first = await call(`${url}/checkout`);
  expect(first.body).toEqual({ showNewCheckout: false, theme: 'default' });
  const visitor = cookiePair(first.setCookies, 'avsb_uid')!;
  await call(`${url}/checkout`, { headers: { cookie: visitor } });
  expect(mock.exposures.map((e) => e.context)).toEqual(Array(4).fill({ kind: 'user', key: visitor.split('=')[1], anonymous: true }));
});

it('targets signed-in users through contextFrom', async () => {
  expect((await call(`${url}/checkout`, { headers: { cookie: await login('u_2') } })).body).toEqual({ showNewCheckout: true, theme: 'default' });
  expect((await call(`${url}/checkout`, { headers: { cookie: await login('u_9') } })).body).toEqual({ showNewCheckout: false, theme: 'dark' });
});

it('re-reads checkout-v2 with the injected server’s forUser at login and releases that client', async () => {
  expect((await call(`${url}/login`, { method: 'POST', body: { userId: 'u_1' } })).body).toEqual({ userId: 'u_1', showNewCheckout: true });
  expect((await call(`${url}/login`, { method: 'POST', body: { userId: 'nobody' } })).status).toBe(401);
  expect(mock.metrics().liveContexts).toBe(0);
});

it('tracks a purchase for the signed-in user, and app.close() flushes the events', async () => {
  const reply = await call(`${url}/purchase`, { method: 'POST', body: { amount: 42.5 }, headers: { cookie: await login('u_2') } });
  expect(reply.status).toBe(202);
  expect(mock.trackedEvents).toEqual([
    { key: 'purchase', value: 42.5, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_2', plan: 'pro', email: 'grace@example.com' } },
  ]);
  expect(mock.flushCount).toBe(0);
  await app.close(); // what SIGTERM does through enableShutdownHooks() in main.ts
  expect(mock.flushCount).toBe(1);
});
