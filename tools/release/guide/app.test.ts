// The Express routes over real HTTP on 127.0.0.1, with MockAvsbServer and
// TestData, then the same app on a real AvsbServer fed by TestData.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AvsbServer } from '@avsb/node';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { createApp } from './app.js';

let mockServer: MockAvsbServer;
let http: Server | undefined;

beforeEach(() => {
  const td = TestData.flag('checkout-v2')
    .booleanFlag()
    .variationForUser('u_1', true)
    .fallthroughVariation(false);
  mockServer = new MockAvsbServer({ flags: [td.build()] });
});

afterEach(async () => {
  if (http) await new Promise((resolve) => http!.close(resolve));
  http = undefined;
});

async function listen(server: Parameters<typeof createApp>[0]): Promise<string> {
  http = createApp(server).listen(0, '127.0.0.1');
  await once(http, 'listening');
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

it('shows the new checkout to u_1 and the old one to anyone else', async () => {
  const base = await listen(mockServer);
  const u1 = await fetch(`${base}/checkout`, { headers: { 'x-user-id': 'u_1' } });
  expect(await u1.json()).toEqual({ showNewCheckout: true, theme: 'default' });
  const anonymous = await fetch(`${base}/checkout`);
  expect(await anonymous.json()).toEqual({ showNewCheckout: false, theme: 'default' });
  expect(anonymous.headers.get('set-cookie')).toMatch(/^avsb_uid=/);
});

it('records the purchase', async () => {
  const base = await listen(mockServer);
  const res = await fetch(`${base}/purchase`, { method: 'POST', headers: { 'x-user-id': 'u_1' } });
  expect(res.status).toBe(202);
  expect(mockServer.trackedEvents).toEqual([
    {
      key: 'purchase',
      value: 149.99,
      properties: { currency: 'usd' },
      context: expect.objectContaining({ kind: 'user', key: 'u_1' }),
    },
  ]);
});

it('serves the same app from a real AvsbServer fed by TestData', async () => {
  const td = new TestData();
  td.update(td.flag('checkout-v2').variationForUser('u_1', true).fallthroughVariation(false));
  td.update(td.flag('ui-theme').variations('default', 'dark').fallthroughVariation('dark'));
  const server = new AvsbServer({ sdkKey: 'srv-rehearsal', dataSource: td.source(), events: false });
  try {
    expect((await server.onReady({ timeoutMs: 5000 })).ready).toBe(true);
    const base = await listen(server);
    const before = await fetch(`${base}/checkout`, { headers: { 'x-user-id': 'u_2' } });
    expect(await before.json()).toEqual({ showNewCheckout: false, theme: 'dark' });
    td.update(td.flag('checkout-v2').variationForAll(true));
    const after = await fetch(`${base}/checkout`, { headers: { 'x-user-id': 'u_2' } });
    expect(await after.json()).toEqual({ showNewCheckout: true, theme: 'dark' });
  } finally {
    await server.close();
  }
});
