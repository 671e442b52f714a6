// OpenFeature evaluation context (spec section 3; 3.1.1 the targeting key)
// as A vs B contexts: targetingKey → key, `kind` (default user), multi-kind
// contexts, nested attributes, dates; a context that cannot be an A vs B
// context → TARGETING_KEY_MISSING or INVALID_CONTEXT. Real engine, real SDK.
import { expect, it } from 'vitest';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { readyClient } from '../test/support/open-feature';

function server() {
  return new MockAvsbServer({
    flags: [
      TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false),
      TestData.flag('org-beta').booleanFlag().variationForContext('org', 'acme', true).fallthroughVariation(false),
      TestData.flag('oslo-banner').booleanFlag().ifMatch('/address/city', 'Oslo').thenReturn(true).fallthroughVariation(false),
      TestData.flag('new-signups')
        .booleanFlag()
        .ifClause({ attribute: 'createdAt', op: 'after', values: ['2026-01-01T00:00:00Z'] })
        .thenReturn(true)
        .fallthroughVariation(false),
      TestData.flag('pro-orgs').booleanFlag().ifMatchContext('org', 'tier', 'pro').andMatch('plan', 'team').thenReturn(true).fallthroughVariation(false),
    ],
  });
}

it('uses targetingKey as the context key of a user context by default (3.1.1)', async () => {
  const mock = server();
  const { client } = await readyClient(mock);
  expect(await client.getBooleanDetails('checkout-v2', false, { targetingKey: 'u_1' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  expect(mock.exposures.at(-1)?.context).toEqual({ kind: 'user', key: 'u_1' });
});

it('takes the targeting key from the client and invocation contexts the SDK merges', async () => {
  const { client } = await readyClient(server());
  client.setContext({ targetingKey: 'u_1' });
  expect(await client.getBooleanValue('checkout-v2', false)).toBe(true);
  expect(await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u_2' })).toBe(false);
});

it('accepts `key` when there is no targetingKey, and prefers targetingKey when both are given', async () => {
  const { client } = await readyClient(server());
  expect(await client.getBooleanValue('checkout-v2', false, { key: 'u_1' })).toBe(true);
  expect(await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u_2', key: 'u_1' })).toBe(false);
});

it('evaluates for the kind named by `kind`', async () => {
  const { client } = await readyClient(server());
  expect(await client.getBooleanValue('org-beta', false, { kind: 'org', targetingKey: 'acme' })).toBe(true);
  expect(await client.getBooleanValue('org-beta', false, { targetingKey: 'acme' })).toBe(false);
});

it('maps a multi-kind context, each kind with its own targetingKey', async () => {
  const mock = server();
  const { client } = await readyClient(mock);
  const context = { kind: 'multi', user: { targetingKey: 'u_9', plan: 'team' }, org: { key: 'acme', tier: 'pro' } };
  expect(await client.getBooleanDetails('pro-orgs', false, context)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  expect(await client.getBooleanValue('org-beta', false, context)).toBe(true);
  expect(mock.exposures.at(-1)?.context).toEqual({ kind: 'multi', user: { key: 'u_9', plan: 'team' }, org: { key: 'acme', tier: 'pro' } });
});

it('passes nested objects as attributes and dates as RFC 3339 text', async () => {
  const { client } = await readyClient(server());
  expect(await client.getBooleanValue('oslo-banner', false, { targetingKey: 'u_3', address: { city: 'Oslo' } })).toBe(true);
  expect(await client.getBooleanValue('oslo-banner', false, { targetingKey: 'u_3', address: { city: 'Bergen' } })).toBe(false);
  expect(await client.getBooleanValue('new-signups', false, { targetingKey: 'u_4', createdAt: new Date('2026-03-01T10:00:00Z') })).toBe(true);
  expect(await client.getBooleanValue('new-signups', false, { targetingKey: 'u_4', createdAt: new Date('2025-03-01T10:00:00Z') })).toBe(false);
});

it('keeps an attribute named __proto__ an attribute', async () => {
  const mock = server();
  const { client } = await readyClient(mock);
  const context = JSON.parse('{"targetingKey":"u_5","__proto__":{"polluted":true}}') as Record<string, never>;
  expect(await client.getBooleanDetails('checkout-v2', true, context)).toMatchObject({ value: false, reason: 'DEFAULT' });
  expect(Object.keys(mock.exposures.at(-1)?.context ?? {})).toContain('__proto__');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

it('returns TARGETING_KEY_MISSING without a targeting key, and records nothing', async () => {
  const mock = server();
  const { client } = await readyClient(mock);
  const details = await client.getBooleanDetails('checkout-v2', true, { plan: 'pro' });
  expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
  expect(details.errorMessage).toContain('targetingKey');
  expect(mock.exposures).toHaveLength(0);
});

it('returns INVALID_CONTEXT, naming the path and never a value, for a context A vs B refuses', async () => {
  const { client } = await readyClient(server());
  const badKind = await client.getBooleanDetails('checkout-v2', true, { kind: 'no spaces!', targetingKey: 'u_1' });
  expect(badKind).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'INVALID_CONTEXT' });
  expect(badKind.errorMessage).toContain('context.kind');
  const noOrgKey = await client.getBooleanDetails('checkout-v2', true, { kind: 'multi', user: { targetingKey: 'u_1' }, org: { tier: 'secret-tier' } });
  expect(noOrgKey).toMatchObject({ value: true, errorCode: 'INVALID_CONTEXT' });
  expect(noOrgKey.errorMessage).toContain('context.org.key');
  expect(noOrgKey.errorMessage).not.toContain('secret-tier');
  expect(await client.getBooleanDetails('checkout-v2', true, { targetingKey: '' })).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
});
