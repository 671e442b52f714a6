// The README's "Testing" section, run as written (the package imported
// from source), so the guide keeps working.
import { afterEach, expect, it } from 'vitest';
import { OpenFeature } from '@openfeature/server-sdk';
import { AvsbProvider } from './index';
import { MockAvsbServer, TestData } from '@avsb/testing';

afterEach(() => OpenFeature.clearProviders());

it('shows the new checkout to u_1 and records the purchase', async () => {
  const td = new TestData();
  td.update(td.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false));
  const mock = new MockAvsbServer({ testData: td });
  await OpenFeature.setProviderAndWait(new AvsbProvider(mock));
  const flags = OpenFeature.getClient();

  expect(await flags.getBooleanValue('checkout-v2', false, { targetingKey: 'u_1' })).toBe(true);
  expect(await flags.getBooleanValue('checkout-v2', false, { targetingKey: 'u_2' })).toBe(false);

  flags.track('purchase', { targetingKey: 'u_1' }, { value: 149.99, currency: 'usd' });
  expect(mock.trackedEvents).toEqual([
    { key: 'purchase', value: 149.99, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_1' } },
  ]);

  td.update(td.flag('checkout-v2').booleanFlag().variationForAll(true)); // emits PROVIDER_CONFIGURATION_CHANGED
  expect(await flags.getBooleanValue('checkout-v2', false, { targetingKey: 'u_2' })).toBe(true);
});
