// In Chromium, against the real A vs B server: the real @openfeature/web-sdk with AvsbWebProvider over @avsb/browser.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '@avsb/test-support';
import { type WebSuite, startWebSuite } from '../../test/support/web-suite';

let suite: WebSuite;

beforeAll(async () => {
  suite = await startWebSuite('openfeature-web');
}, 120_000);

afterAll(async () => {
  await suite?.close();
}, 30_000);

const options = () => ({ clientKey: suite.server.clientKey, baseUrl: suite.server.url });

it('resolves value, variant, reason and flag metadata for the targeting key as the context key', async () => {
  const { page, errors } = await suite.newPage();
  expect(await page.evaluate((o) => window.page.start(o, { targetingKey: 'u_1' }), options())).toBeNull();
  expect(await page.evaluate(() => window.page.status())).toBe('READY');

  const banner = await page.evaluate(() => window.page.details('boolean', 'new-banner', false));
  expect(banner).toMatchObject({ flagKey: 'new-banner', value: true, variant: '1', reason: 'TARGETING_MATCH' });
  expect(banner.errorCode).toBeUndefined();
  expect(banner.flagMetadata).toEqual({ avsbReason: 'TARGET_MATCH', inExperiment: false, revision: expect.any(Number) });
  expect(await page.evaluate(() => window.page.details('string', 'ui-theme', 'light'))).toMatchObject({ value: 'default', variant: '0', reason: 'DEFAULT' });
  expect(await page.evaluate(() => window.page.details('object', 'layout', {}))).toMatchObject({ value: { columns: 3 }, variant: '1', reason: 'DEFAULT' });
  expect(errors).toEqual([]);
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('returns the default with FLAG_NOT_FOUND for a flag the client key does not see and TYPE_MISMATCH for another type', async () => {
  const { page } = await suite.newPage();
  await page.evaluate((o) => window.page.start(o, { targetingKey: 'u_1' }), options());

  const missing = await page.evaluate(() => window.page.details('boolean', 'pricing-v3', false));
  expect(missing).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', flagMetadata: { avsbReason: 'ERROR', errorKind: 'FLAG_NOT_FOUND' } });
  expect(missing.variant).toBeUndefined();
  expect(await page.evaluate(() => window.page.details('number', 'ui-theme', 7))).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  // A vs B's JSON reads take any value; OpenFeature's object reads want an object
  expect(await page.evaluate(() => window.page.details('object', 'new-banner', { on: false }))).toMatchObject({ value: { on: false }, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('re-evaluates for another user on setContext (identify), reported as PROVIDER_CONTEXT_CHANGED, not as a configuration change', async () => {
  const { page, errors } = await suite.newPage();
  await page.evaluate((o) => window.page.start(o, { targetingKey: 'u_1' }), options());
  expect(await page.evaluate(() => window.page.details('string', 'ui-theme', 'light'))).toMatchObject({ value: 'default' });

  await page.evaluate(() => window.page.setContext({ targetingKey: 'u_2', email: 'ada@avsb.dev' }));
  const theme = await page.evaluate(() => window.page.details('string', 'ui-theme', 'light'));
  expect(theme).toMatchObject({ value: 'dark', variant: '1', reason: 'TARGETING_MATCH', flagMetadata: { avsbReason: 'RULE_MATCH', ruleIndex: 0, ruleId: 'staff' } });
  expect(await page.evaluate(() => window.page.details('boolean', 'new-banner', true))).toMatchObject({ value: false, reason: 'DEFAULT' });
  const types = (await page.evaluate(() => window.page.events)).map((e) => e.type);
  expect(types).toContain('PROVIDER_CONTEXT_CHANGED');
  expect(types).not.toContain('PROVIDER_CONFIGURATION_CHANGED');

  // a context A vs B cannot use: reads fail with its error code instead of serving the previous user's values
  await page.evaluate(() => window.page.setContext({ plan: 'pro' }));
  expect(await page.evaluate(() => window.page.details('string', 'ui-theme', 'light'))).toMatchObject({ value: 'light', reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
  expect(await page.evaluate(() => window.page.status())).toBe('ERROR');
  await page.evaluate(() => window.page.setContext({ targetingKey: 'u_1' }));
  expect(await page.evaluate(() => window.page.status())).toBe('READY');
  expect(await page.evaluate(() => window.page.details('boolean', 'new-banner', false))).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  expect(errors.filter((e) => !e.includes('context change handler'))).toEqual([]);
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('emits PROVIDER_CONFIGURATION_CHANGED with the key of a flag toggled through the admin API', async () => {
  const { page } = await suite.newPage();
  await page.evaluate((o) => window.page.start(o, { targetingKey: 'toggle-user' }), options());
  expect(await page.evaluate(() => window.page.details('object', 'layout', {}))).toMatchObject({ value: { columns: 3 } });

  await suite.server.patchFlag('layout', { on: false });
  await page.waitForFunction(() => window.page.events.some((e) => e.type === 'PROVIDER_CONFIGURATION_CHANGED'), undefined, { timeout: 15_000 });
  const changes = (await page.evaluate(() => window.page.events)).filter((e) => e.type === 'PROVIDER_CONFIGURATION_CHANGED');
  // the metadata say where the datafile came from (the client's change reason) and its revision
  expect(changes).toEqual([{ type: 'PROVIDER_CONFIGURATION_CHANGED', flagsChanged: ['layout'], metadata: { source: 'stream', revision: expect.any(Number) } }]);
  expect(await page.evaluate(() => window.page.details('object', 'layout', {}))).toMatchObject({ value: { columns: 2 }, variant: '0', reason: 'DISABLED' });
  await suite.server.patchFlag('layout', { on: true });
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('sends tracked events through the client, stored by the server once OpenFeature.close() closed it', async () => {
  const { page } = await suite.newPage();
  await page.evaluate((o) => window.page.start({ ...o, flushIntervalMs: 600_000 }, { targetingKey: 'web-tracker' }), options());
  await page.evaluate(() => window.page.track('purchase', { value: 149.99, currency: 'usd' }));
  await page.evaluate(() => window.page.close());
  const stored = await waitFor(
    async () => {
      const mine = (await suite.server.events()).filter((e) => e.contextKeys?.user === 'web-tracker' && e.kind === 'custom');
      return mine.length > 0 ? mine : null;
    },
    15_000,
    'the tracked event in the server',
  );
  expect(stored).toEqual([expect.objectContaining({ key: 'purchase', value: 149.99, properties: { currency: 'usd' } })]);
  await page.context().close();
}, 45_000);

it('fails initialize without a targeting key (PROVIDER_ERROR), and starts the client when a context with one is set', async () => {
  const { page } = await suite.newPage();
  const failed = await page.evaluate((o) => window.page.start(o, {}), options());
  expect(failed).toMatch(/targetingKey/);
  expect(await page.evaluate(() => window.page.status())).toBe('ERROR');
  expect(await page.evaluate(() => window.page.details('boolean', 'new-banner', false))).toMatchObject({ value: false, errorCode: 'TARGETING_KEY_MISSING' });

  await page.evaluate(() => window.page.setContext({ targetingKey: 'u_1' }));
  expect(await page.evaluate(() => window.page.status())).toBe('READY');
  expect(await page.evaluate(() => window.page.details('boolean', 'new-banner', false))).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('uses a client the page created: bootstrap values served as CACHED while no datafile came, the client’s context kept for an empty OpenFeature context', async () => {
  const { page } = await suite.newPage();
  // nothing listens on port 9: no datafile ever comes, so initialize gives up after readyTimeoutMs
  const failed = await page.evaluate(() =>
    window.page.startWithClient(
      { clientKey: 'cli-unreachable', baseUrl: 'http://127.0.0.1:9', context: { kind: 'user', key: 'u_9' }, bootstrap: { 'ui-theme': 'dark' }, cache: false, logLevel: 'none' },
      { readyTimeoutMs: 200 },
      {},
    ),
  );
  expect(failed).not.toBeNull();
  expect(await page.evaluate(() => window.page.status())).toBe('ERROR');
  const theme = await page.evaluate(() => window.page.details('string', 'ui-theme', 'light'));
  expect(theme).toMatchObject({ value: 'dark', reason: 'CACHED', flagMetadata: { avsbReason: 'BOOTSTRAP' } });
  expect(theme.variant).toBeUndefined();
  expect(await page.evaluate(() => window.page.details('object', 'ui-theme', {}))).toMatchObject({ value: {}, errorCode: 'TYPE_MISMATCH' });
  expect(await page.evaluate(() => window.page.details('boolean', 'new-banner', false))).toMatchObject({ value: false, errorCode: 'PROVIDER_NOT_READY' });
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('emits PROVIDER_READY when the flags come after initialize gave up waiting', async () => {
  const { page } = await suite.newPage();
  // 0 ms: the engine cannot have compiled yet, so initialize surely gives up
  const failed = await page.evaluate((o) => window.page.start(o, { targetingKey: 'u_1' }, { readyTimeoutMs: 0 }), options());
  expect(failed).not.toBeNull();
  await page.waitForFunction(() => window.page.events.some((e) => e.type === 'PROVIDER_READY'), undefined, { timeout: 15_000 });
  expect((await page.evaluate(() => window.page.events)).map((e) => e.type)).toEqual(['PROVIDER_ERROR', 'PROVIDER_READY']);
  expect(await page.evaluate(() => window.page.status())).toBe('READY');
  expect(await page.evaluate(() => window.page.details('boolean', 'new-banner', false))).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('is PROVIDER_FATAL when the server refuses the client key', async () => {
  const { page } = await suite.newPage();
  const failed = await page.evaluate((o) => window.page.start({ ...o, clientKey: 'cli-not-a-key-of-this-server', logLevel: 'none' }, { targetingKey: 'u_1' }), options());
  expect(failed).not.toBeNull();
  expect(failed).not.toContain('cli-not-a-key');
  expect(await page.evaluate(() => window.page.status())).toBe('FATAL');
  expect(await page.evaluate(() => window.page.details('boolean', 'new-banner', false))).toMatchObject({ value: false, errorCode: 'PROVIDER_FATAL' });
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('returns to uninitialised on shutdown: the client is closed, and the same provider set again creates a new one', async () => {
  const { page } = await suite.newPage();
  await page.evaluate((o) => window.page.start(o, { targetingKey: 'u_1' }), options());
  expect(await page.evaluate(() => window.page.restart({ targetingKey: 'u_1' }))).toEqual({ closedClient: true, before: true, after: true });
  expect(await page.evaluate(() => window.page.status())).toBe('READY');
  expect(await page.evaluate(() => window.page.details('boolean', 'new-banner', false))).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);

it('refuses at construction a first argument that is no client options, and provider options among the client’s, naming what to pass', async () => {
  const { page, errors } = await suite.newPage();
  const key = 'cli-NotARealKeyButShapedLikeOne0123456789';
  // plain JavaScript: nothing, the key on its own, the provider's options where the client's go
  const messages = await page.evaluate(
    async ([o, key]) => [
      await window.page.start(undefined as never, { targetingKey: 'u_1' }),
      await window.page.start(key as never, { targetingKey: 'u_1' }),
      await window.page.start({ ...o, readyTimeoutMs: 1000 } as never, { targetingKey: 'u_1' }),
      await window.page.start({ ...o, readyTimeoutMs: 1000, closeClient: false } as never, { targetingKey: 'u_1' }),
    ],
    [options(), key] as const,
  );
  expect(messages[0]).toBe(
    "new AvsbWebProvider: pass the options of createClient, such as { clientKey: 'cli-…', baseUrl: 'https://flags.example.com' }, or a client of @avsb/browser, not undefined",
  );
  expect(messages[1]).toMatch(/, not a cli-… key$/);
  expect(messages[2]).toBe('new AvsbWebProvider: readyTimeoutMs is an option of the provider, not of the client: pass it second, new AvsbWebProvider({ clientKey, … }, { readyTimeoutMs })');
  expect(messages[3]).toBe(
    'new AvsbWebProvider: readyTimeoutMs and closeClient are options of the provider, not of the client: pass them second, new AvsbWebProvider({ clientKey, … }, { readyTimeoutMs, closeClient })',
  );
  expect(messages.join('\n')).not.toContain(key);
  // the provider's own options of the wrong type (closeClient 'false' closed the page's client)
  expect(await page.evaluate((o) => window.page.start(o, { targetingKey: 'u_1' }, { readyTimeoutMs: '2000', closeClient: 'false' } as never), options())).toBe(
    'new AvsbWebProvider: readyTimeoutMs must be a number of milliseconds (0 or more) such as 5000, not "2000" (Number(…) reads one from the environment\'s text); ' +
      'closeClient must be true or false, not "false"',
  );
  expect(errors).toEqual([]);
  // the options where they go work
  expect(await page.evaluate((o) => window.page.start(o, { targetingKey: 'u_1' }, { readyTimeoutMs: 10_000, closeClient: true }), options())).toBeNull();
  await page.evaluate(() => window.page.close());
  await page.context().close();
}, 45_000);
