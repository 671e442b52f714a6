// OpenFeature provider requirements 2.4 (initialization) and 2.5 (shutdown):
// initialize waits for the first datafile and reports not-ready, refused or
// closed servers; shutting the provider down closes (or only flushes) the
// server with its events delivered. A real AvsbServer, the real SDK, and for
// delivery the real A vs B server (`@avsb/server`) on 127.0.0.1.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { AvsbServer } from '@avsb/node';
import { type SandboxServer, startSandboxServer } from '@avsb/server';
import { MockAvsbServer, TestData } from '@avsb/testing';
import { AvsbProvider } from './index';
import { deferredSource } from '../test/support/deferred-source';
import { domain, readyClient } from '../test/support/open-feature';
import { storedEvents } from '../test/support/real-server';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let real: SandboxServer;
beforeAll(async () => {
  real = await startSandboxServer();
});
afterAll(async () => {
  await real?.close();
});

it('initialize waits for the first datafile; OpenFeature serves PROVIDER_NOT_READY until then (2.4.1)', async () => {
  const td = new TestData().update(TestData.flag('checkout-v2').booleanFlag().variationForAll(true));
  const source = deferredSource(td);
  const server = new AvsbServer({ sdkKey: undefined, offline: true, dataSource: source.factory, logger: quiet });
  const name = domain();
  const client = OpenFeature.getClient(name);
  let settled = false;
  const ready = OpenFeature.setProviderAndWait(name, new AvsbProvider(server)).then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(settled).toBe(false);
  expect(client.providerStatus).toBe('NOT_READY');
  expect(await client.getBooleanDetails('checkout-v2', false, { targetingKey: 'u_1' })).toMatchObject({ value: false, errorCode: 'PROVIDER_NOT_READY' });
  source.deliver();
  await ready;
  expect(client.providerStatus).toBe('READY');
  expect(await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u_1' })).toBe(true);
});

it('rejects initialize after the ready timeout; reads then resolve PROVIDER_NOT_READY from the provider (2.4.2)', async () => {
  const source = deferredSource(new TestData());
  const server = new AvsbServer({ sdkKey: undefined, offline: true, dataSource: source.factory, logger: quiet });
  const name = domain();
  const client = OpenFeature.getClient(name);
  await expect(OpenFeature.setProviderAndWait(name, new AvsbProvider(server, { readyTimeoutMs: 1 }))).rejects.toMatchObject({ code: 'GENERAL' });
  expect(client.providerStatus).toBe('ERROR');
  expect(await client.getBooleanDetails('checkout-v2', true, { targetingKey: 'u_1' })).toMatchObject({
    value: true,
    reason: 'ERROR',
    errorCode: 'PROVIDER_NOT_READY',
    flagMetadata: { errorKind: 'CLIENT_NOT_READY' },
  });
});

it('rejects initialize with PROVIDER_FATAL for a refused SDK key or a closed server (2.4.2.1)', async () => {
  const refused = new AvsbServer({ sdkKey: 'srv-not-a-key-of-this-server', baseUrl: real.url, logger: quiet, events: false });
  const name = domain();
  const errors: unknown[] = [];
  OpenFeature.getClient(name).addHandler(ProviderEvents.Error, (details) => errors.push(details?.message));
  await expect(OpenFeature.setProviderAndWait(name, new AvsbProvider(refused))).rejects.toMatchObject({ code: 'PROVIDER_FATAL' });
  expect(OpenFeature.getClient(name).providerStatus).toBe('FATAL');
  await expect.poll(() => errors).toEqual([expect.stringMatching(/refused the SDK key/)]);
  expect(String(errors[0])).not.toContain('srv-not-a-key-of-this-server');

  const closed = new MockAvsbServer();
  await closed.close();
  const other = domain();
  await expect(OpenFeature.setProviderAndWait(other, new AvsbProvider(closed))).rejects.toMatchObject({ code: 'PROVIDER_FATAL' });
  expect(OpenFeature.getClient(other).providerStatus).toBe('FATAL');
});

it('OpenFeature.close() closes the server and delivers its events to the A vs B server (2.5.1)', async () => {
  const server = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logger: quiet, events: { flushIntervalMs: 3_600_000 } });
  const { client } = await readyClient(server);
  expect(await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u_1' })).toBe(true);
  client.track('purchase', { targetingKey: 'u_1' }, { value: 149.99, currency: 'usd' });
  // nothing is sent before shutdown: the flush interval is an hour
  expect((await storedEvents(real)).filter((e) => e.kind === 'custom')).toEqual([]);
  await OpenFeature.close();
  expect(server.closed).toBe(true);
  const events = await storedEvents(real);
  expect(events.find((e) => e.kind === 'custom')).toMatchObject({ key: 'purchase', value: 149.99, properties: { currency: 'usd' }, contextKeys: { user: 'u_1' } });
  expect(events.find((e) => e.kind === 'summary')?.flags).toMatchObject({ 'checkout-v2': expect.anything() });
});

it('with closeServer: false only flushes, and the provider can be initialized again (2.5.1, 2.5.2)', async () => {
  const server = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logger: quiet, events: { flushIntervalMs: 3_600_000 } });
  const provider = new AvsbProvider(server, { closeServer: false });
  const name = domain();
  await OpenFeature.setProviderAndWait(name, provider);
  OpenFeature.getClient(name).track('signup', { targetingKey: 'u_42' });
  await OpenFeature.clearProviders();
  expect(server.closed).toBe(false);
  expect((await storedEvents(real)).filter((e) => e.kind === 'custom' && e.key === 'signup')).toHaveLength(1);

  // set again, it is initialized again and serves (and the application closes its server itself)
  await OpenFeature.setProviderAndWait(name, provider);
  expect(await OpenFeature.getClient(name).getBooleanValue('checkout-v2', false, { targetingKey: 'u_1' })).toBe(true);
  await OpenFeature.clearProviders();
  await server.close();
});

it('listens for updates again after it is initialized again (2.5.2)', async () => {
  const td = new TestData().update(TestData.flag('checkout-v2').booleanFlag().variationForAll(true));
  const provider = new AvsbProvider(new MockAvsbServer({ testData: td }), { closeServer: false });
  await OpenFeature.setProviderAndWait(domain(), provider);
  await OpenFeature.clearProviders();
  const name = domain();
  await OpenFeature.setProviderAndWait(name, provider);
  let changes = 0;
  OpenFeature.getClient(name).addHandler(ProviderEvents.ConfigurationChanged, () => changes++);
  td.update(TestData.flag('checkout-v2').booleanFlag().variationForAll(false));
  await expect.poll(() => changes).toBe(1);
});

it('refuses at construction a first argument that is not a server, naming what to pass and never quoting a key', () => {
  const key = 'srv-NotARealKeyButShapedLikeOne0123456789';
  const attempts: unknown[] = [undefined, null, key, { sdkKey: key }, { onReady() {} }];
  for (const given of attempts) {
    // a plain-JavaScript mistake: the server's options, or its key, where the server goes
    const make = () => new AvsbProvider(given as never);
    expect(make).toThrow(TypeError);
    expect(make).toThrow(/new AvsbProvider: pass the A vs B server, not .*new AvsbProvider\(new AvsbServer\(\{ sdkKey/);
    expect(() => make()).not.toThrow(new RegExp(key));
  }
  expect(() => new AvsbProvider({ sdkKey: key } as never)).toThrow("not the server's options");
  expect(() => new AvsbProvider(key as never)).toThrow('not a srv-… key');
  expect(() => new AvsbProvider(new MockAvsbServer())).not.toThrow();
});

it('refuses provider options of the wrong type at construction, naming each', () => {
  // from the environment's text: readyTimeoutMs '2000' was handed to onReady as is, closeServer 'false' closed the server
  expect(() => new AvsbProvider(new MockAvsbServer(), { readyTimeoutMs: '2000', closeServer: 'false' } as never)).toThrow(
    new TypeError(
      'new AvsbProvider: readyTimeoutMs must be a number of milliseconds (0 or more) such as 5000, not "2000" (Number(…) reads one from the environment\'s text); ' +
        'closeServer must be true or false, not "false"',
    ),
  );
  expect(() => new AvsbProvider(new MockAvsbServer(), { readyTimeoutMs: -1 })).toThrow(/^new AvsbProvider: readyTimeoutMs must be a number of milliseconds/);
  expect(() => new AvsbProvider(new MockAvsbServer(), { readyTimeoutMs: 0, closeServer: false })).not.toThrow();
});
