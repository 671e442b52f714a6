// OpenFeature events (spec section 5; 5.1.1 provider events, 5.3.x handlers
// and provider status): datafile updates → PROVIDER_CONFIGURATION_CHANGED
// with the changed flag keys; a first datafile that comes after a failed
// initialize → PROVIDER_READY. Real SDK, real engine, TestData updates.
import { expect, it } from 'vitest';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import type { EventDetails } from '@openfeature/server-sdk';
import { AvsbServer } from '@avsb/node';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { AvsbProvider } from './index';
import { deferredSource } from '../test/support/deferred-source';
import { domain, readyClient } from '../test/support/open-feature';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function shop(td: TestData) {
  td.update(td.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false));
  td.update(td.flag('ui-theme').variations('light', 'dark').fallthroughVariation('light'));
  td.updateSegment({ key: 'beta', included: ['u_2'] });
  td.update(td.flag('beta-nav').booleanFlag().ifInSegment('beta').thenReturn(true).fallthroughVariation(false));
  return new MockAvsbServer({ testData: td });
}

it('emits PROVIDER_CONFIGURATION_CHANGED with the changed flag keys on each datafile update (5.1.1, 5.3.x)', async () => {
  const td = new TestData();
  const { client } = await readyClient(shop(td));
  const seen: EventDetails[] = [];
  client.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
    if (details !== undefined) seen.push(details);
  });
  td.update(td.flag('checkout-v2').booleanFlag().variationForAll(true));
  await expect.poll(() => seen.length).toBe(1);
  expect(seen[0]).toMatchObject({ flagsChanged: ['checkout-v2'], providerName: 'A vs B', metadata: { revision: td.revision } });
  expect(await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u_9' })).toBe(true);

  // a segment change lists the flags that use it; a removed flag is listed too
  td.updateSegment({ key: 'beta', included: ['u_3'] });
  await expect.poll(() => seen.length).toBe(2);
  expect(seen[1]?.flagsChanged).toEqual(['beta-nav']);
  td.removeFlag('ui-theme');
  await expect.poll(() => seen.length).toBe(3);
  expect(seen[2]?.flagsChanged).toEqual(['ui-theme']);
});

it('emits nothing for the first datafile, which initialize reports as PROVIDER_READY', async () => {
  const td = new TestData().update(TestData.flag('checkout-v2').booleanFlag().variationForAll(true));
  const source = deferredSource(td);
  const late = new AvsbServer({ sdkKey: undefined, offline: true, dataSource: source.factory, logger: quiet });
  const name = domain();
  const events: string[] = [];
  for (const type of [ProviderEvents.Ready, ProviderEvents.ConfigurationChanged, ProviderEvents.Error]) {
    OpenFeature.getClient(name).addHandler(type, () => events.push(type));
  }
  const ready = OpenFeature.setProviderAndWait(name, new AvsbProvider(late));
  source.deliver();
  await ready;
  await expect.poll(() => events).toEqual([ProviderEvents.Ready]);
  expect(await OpenFeature.getClient(name).getBooleanValue('checkout-v2', false, { targetingKey: 'u_1' })).toBe(true);
  expect(events).toEqual([ProviderEvents.Ready]);
});

it('turns PROVIDER_READY when the first datafile comes after initialize gave up (5.3.x)', async () => {
  const td = new TestData().update(TestData.flag('checkout-v2').booleanFlag().variationForAll(true));
  const source = deferredSource(td);
  const server = new AvsbServer({ sdkKey: undefined, offline: true, dataSource: source.factory, logger: quiet });
  const name = domain();
  const client = OpenFeature.getClient(name);
  const events: string[] = [];
  for (const type of [ProviderEvents.Ready, ProviderEvents.ConfigurationChanged, ProviderEvents.Error]) client.addHandler(type, () => events.push(type));
  await expect(OpenFeature.setProviderAndWait(name, new AvsbProvider(server, { readyTimeoutMs: 1 }))).rejects.toThrow(/datafile|ready|timed out/i);
  await expect.poll(() => events).toEqual([ProviderEvents.Error]);
  expect(client.providerStatus).toBe('ERROR');
  source.deliver();
  await expect.poll(() => events).toEqual([ProviderEvents.Error, ProviderEvents.Ready]);
  expect(client.providerStatus).toBe('READY');
  expect(await client.getBooleanDetails('checkout-v2', false, { targetingKey: 'u_1' })).toMatchObject({ value: true, reason: 'DEFAULT' });
});

it('stops emitting once the provider is shut down', async () => {
  const td = new TestData();
  const { provider } = await readyClient(shop(td), { closeServer: false });
  let changes = 0;
  provider.events.addHandler(ProviderEvents.ConfigurationChanged, () => changes++);
  td.update(td.flag('ui-theme').variations('light', 'dark').fallthroughVariation('dark'));
  await expect.poll(() => changes).toBe(1);
  await OpenFeature.clearProviders();
  td.update(td.flag('ui-theme').variations('light', 'dark').fallthroughVariation('light'));
  await new Promise((resolve) => setImmediate(resolve));
  expect(changes).toBe(1);
});
