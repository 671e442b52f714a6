// OpenFeature provider requirements 2.7.1–2.7.2 (tracking): client.track()
// becomes an A vs B custom event for the context; delivery to the real A vs B
// server is in spec-2-4-2-5-lifecycle.test.ts (events flushed at shutdown).
import { expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { readyClient } from '../test/support/open-feature';

function server() {
  return new MockAvsbServer({ flags: [TestData.flag('checkout-v2').booleanFlag().fallthroughVariation(true)] });
}

it('records track() as a custom event: value as its value, the other details as properties (2.7.1, 2.7.2)', async () => {
  const mock = server();
  const { client } = await readyClient(mock);
  client.track('purchase', { targetingKey: 'u_1', plan: 'pro' }, { value: 149.99, currency: 'usd', at: new Date('2026-05-01T12:00:00Z'), items: [{ sku: 'a' }] });
  expect(mock.trackedEvents).toEqual([
    {
      key: 'purchase',
      value: 149.99,
      properties: { currency: 'usd', at: '2026-05-01T12:00:00.000Z', items: [{ sku: 'a' }] },
      context: { kind: 'user', key: 'u_1', plan: 'pro' },
    },
  ]);
  expect(mock.metrics().liveContexts).toBe(0);
});

it('tracks without details, for the client context, and for other kinds', async () => {
  const mock = server();
  const { client } = await readyClient(mock);
  client.setContext({ targetingKey: 'u_2' });
  client.track('signup');
  client.track('seat-added', { kind: 'org', targetingKey: 'acme' }, { value: 3 });
  expect(mock.trackedEvents).toMatchObject([
    { key: 'signup', context: { kind: 'user', key: 'u_2' } },
    { key: 'seat-added', value: 3, context: { kind: 'org', key: 'acme' } },
  ]);
  expect(mock.trackedEvents[0]?.properties).toBeUndefined();
  expect(mock.trackedEvents[0]?.value).toBeUndefined();
});

it('drops an event whose context cannot be an A vs B context, never throwing into the application', async () => {
  const mock = server();
  const { client } = await readyClient(mock);
  expect(() => client.track('purchase', { plan: 'pro' }, { value: 1 })).not.toThrow();
  expect(() => client.track('purchase', { kind: 'bad kind', targetingKey: 'u_1' })).not.toThrow();
  expect(mock.trackedEvents).toEqual([]);
});
