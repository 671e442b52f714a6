// OpenFeature provider requirements 2.1.1 (metadata) and 2.2.1–2.2.10 (flag
// value resolution: value, variant, reason, error code and message, flag
// metadata), driven through the real @openfeature/server-sdk over the real
// engine (MockAvsbServer, or an offline AvsbServer for a datafile TestData
// refuses).
import { expect, it } from 'vitest';
import { AvsbServer } from '@avsb/node';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { AvsbProvider } from './index';
import { readyClient } from '../test/support/open-feature';

const user = { targetingKey: 'u_1', plan: 'pro' };

function shop() {
  return new MockAvsbServer({
    flags: [
      TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false),
      TestData.flag('ui-theme').variations('light', 'dark').ifMatch('plan', 'pro').thenReturn('dark').fallthroughVariation('light'),
      TestData.flag('max-items').variations(10, 50).fallthroughVariation(50),
      TestData.flag('banner').variations({ text: 'hi' }, ['a', 'b']).fallthroughVariation({ text: 'hi' }),
      TestData.flag('paused').booleanFlag().on(false).offVariation(false),
      TestData.flag('paused-no-off').booleanFlag().on(false).offVariation(null),
      TestData.flag('pricing-test').booleanFlag().fallthroughRollout([{ value: true, weight: 100 }], { kind: 'experiment' }),
      {
        key: 'needs-checkout',
        on: true,
        variations: ['old', 'new'],
        offVariation: 0,
        prerequisites: [{ key: 'paused', variation: 1 }],
        fallthrough: { variation: 1 },
      },
    ],
  });
}

it('names itself in its metadata and runs on servers (2.1.1)', () => {
  const provider = new AvsbProvider(shop());
  expect(provider.metadata.name).toBe('A vs B');
  expect(provider.runsOn).toBe('server');
});

it('resolves each type with its value, the variation index as variant and a reason (2.2.1–2.2.5)', async () => {
  const { client } = await readyClient(shop());
  expect(await client.getBooleanDetails('checkout-v2', false, user)).toMatchObject({ value: true, variant: '1', reason: 'TARGETING_MATCH' });
  expect(await client.getStringDetails('ui-theme', 'x', user)).toMatchObject({ value: 'dark', variant: '1', reason: 'TARGETING_MATCH' });
  expect(await client.getNumberDetails('max-items', 0, user)).toMatchObject({ value: 50, variant: '1', reason: 'DEFAULT' });
  expect(await client.getObjectDetails('banner', {}, user)).toMatchObject({ value: { text: 'hi' }, variant: '0', reason: 'DEFAULT' });
  expect(await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u_2' })).toBe(false);
});

it('maps A vs B reasons: OFF and PREREQUISITE_FAILED to DISABLED, an experiment to SPLIT (2.2.5)', async () => {
  const { client } = await readyClient(shop());
  expect(await client.getBooleanDetails('paused', true, user)).toMatchObject({ value: false, variant: '0', reason: 'DISABLED' });
  const noOff = await client.getBooleanDetails('paused-no-off', true, user);
  expect(noOff).toMatchObject({ value: true, reason: 'DISABLED' });
  expect(noOff.variant).toBeUndefined();
  expect(await client.getStringDetails('needs-checkout', 'x', user)).toMatchObject({
    value: 'old',
    reason: 'DISABLED',
    flagMetadata: { avsbReason: 'PREREQUISITE_FAILED', prerequisiteKey: 'paused', prerequisiteIndex: 0 },
  });
  expect(await client.getBooleanDetails('pricing-test', false, user)).toMatchObject({
    value: true,
    reason: 'SPLIT',
    flagMetadata: { avsbReason: 'FALLTHROUGH', inExperiment: true },
  });
});

it('sets no error code on success and fills the flag metadata with primitives only (2.2.6, 2.2.9, 2.2.10)', async () => {
  const server = shop();
  const { client } = await readyClient(server);
  const details = await client.getStringDetails('ui-theme', 'x', user);
  expect(details.errorCode).toBeUndefined();
  expect(details.errorMessage).toBeUndefined();
  expect(details.flagMetadata).toEqual({ avsbReason: 'RULE_MATCH', ruleIndex: 0, ruleId: expect.any(String), inExperiment: false, revision: server.revision });
  for (const value of Object.values(details.flagMetadata)) expect(['string', 'number', 'boolean']).toContain(typeof value);
});

it('returns the default with FLAG_NOT_FOUND and a message naming the nearest key (2.2.7)', async () => {
  const { client } = await readyClient(shop());
  const details = await client.getBooleanDetails('chekout-v2', false, user);
  expect(details).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', flagMetadata: { errorKind: 'FLAG_NOT_FOUND' } });
  expect(details.errorMessage).toContain('did you mean "checkout-v2"?');
  expect(details.variant).toBeUndefined();
});

it('returns the default with TYPE_MISMATCH for a variation of another type, objects included (2.2.7, 2.2.8)', async () => {
  const { client } = await readyClient(shop());
  expect(await client.getBooleanDetails('ui-theme', true, user)).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  expect(await client.getNumberDetails('checkout-v2', 7, user)).toMatchObject({ value: 7, errorCode: 'TYPE_MISMATCH' });
  const object = await client.getObjectDetails('checkout-v2', { fallback: true }, user);
  expect(object).toMatchObject({ value: { fallback: true }, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  expect(object.errorMessage).toContain('serves a boolean');
});

it('returns the default with PARSE_ERROR for a malformed flag (2.2.7)', async () => {
  // TestData refuses a datafile with problems; an SDK loads it and serves MALFORMED_FLAG for the bad flag
  const initialDatafile = {
    schemaVersion: 1,
    revision: 1,
    flags: [{ key: 'broken', on: true, variations: [true, false], fallthrough: { variation: 9 } }],
  };
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile, logger: { debug() {}, info() {}, warn() {}, error() {} } });
  const { client } = await readyClient(server);
  expect(await client.getBooleanDetails('broken', false, user)).toMatchObject({
    value: false,
    reason: 'ERROR',
    errorCode: 'PARSE_ERROR',
    flagMetadata: { errorKind: 'MALFORMED_FLAG' },
  });
});

it('returns PROVIDER_FATAL once the server was closed behind the provider (2.2.7)', async () => {
  const server = shop();
  const { client } = await readyClient(server);
  await server.close();
  expect(await client.getBooleanDetails('checkout-v2', false, user)).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PROVIDER_FATAL' });
});

it('records every read as the server does: one evaluation each, and no context left registered', async () => {
  const server = shop();
  const { client } = await readyClient(server);
  await client.getBooleanValue('pricing-test', false, user);
  await client.getStringValue('ui-theme', 'x', user);
  expect(server.exposures.map((e) => [e.flag, e.context])).toEqual([
    ['pricing-test', { kind: 'user', key: 'u_1', plan: 'pro' }],
    ['ui-theme', { kind: 'user', key: 'u_1', plan: 'pro' }],
  ]);
  expect(server.metrics().liveContexts).toBe(0);
});
