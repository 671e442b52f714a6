import { afterAll, beforeAll, expect, it } from 'vitest';
import { AvsbServer } from '../src/index';
import type { RealServer } from './support/harness';
import { MemoryLogger } from '@avsb/test-support';
import { startRealServer } from './support/harness';

let real: RealServer;
beforeAll(async () => {
  real = await startRealServer();
});
afterAll(async () => {
  await real?.close();
});

function sdk(extra: Partial<ConstructorParameters<typeof AvsbServer>[0]> = {}) {
  const logger = new MemoryLogger();
  const server = new AvsbServer({ sdkKey: real.serverKey, baseUrl: real.url, logger, ...extra });
  return { server, logger };
}

it('gets ready from the real server and reads typed flags with their reasons', async () => {
  const { server } = sdk();
  const ready = await server.onReady({ timeoutMs: 5000 });
  expect(ready).toEqual({ ready: true, revision: expect.any(Number) });
  const u1 = server.forUser({ kind: 'user', key: 'u_1', plan: 'free' });
  expect(u1.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(u1.getBoolFlagDetails('checkout-v2', false)).toEqual({
    value: true,
    variationIndex: 1,
    reason: { kind: 'TARGET_MATCH' },
    inExperiment: false,
  });
  const pro = server.forUser({ kind: 'user', key: 'u_2', plan: 'pro' });
  expect(pro.getBoolFlagDetails('checkout-v2', false).reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'pro-plan' });
  const beta = server.forUser({ kind: 'user', key: 'u_7' });
  expect(beta.getStringFlag('ui-theme', 'default')).toBe('dark');
  const admin = server.forUser({ kind: 'user', key: 'u_admin' });
  expect(admin.getNumberFlag('search-page-size', 10)).toBe(100);
  expect(u1.getNumberFlag('search-page-size', 10)).toBe(20);
  // promo-banner is off in production: the off variation, reason OFF
  expect(u1.getJsonFlagDetails('promo-banner', { show: true })).toEqual({
    value: { show: false },
    variationIndex: 0,
    reason: { kind: 'OFF' },
    inExperiment: false,
  });
  const anyone = server.forUser({ kind: 'user', key: 'visitor-42', plan: 'free' });
  const exp = anyone.getBoolFlagDetails('checkout-v2', false);
  expect(exp.reason).toEqual({ kind: 'FALLTHROUGH' });
  expect(exp.inExperiment).toBe(true);
  expect(u1.allFlags({ clientSideOnly: true })).toEqual({ 'ui-theme': 'default', 'promo-banner': { show: false } });
  await server.close();
});

it('returns the default with ERROR/WRONG_TYPE for a flag of another type', async () => {
  const { server, logger } = sdk();
  await server.onReady();
  const c = server.forUser({ key: 'u_1' });
  expect(c.getBoolFlag('ui-theme', false)).toBe(false);
  expect(c.getNumberFlagDetails('checkout-v2', 3)).toEqual({
    value: 3,
    variationIndex: null,
    reason: { kind: 'ERROR', errorKind: 'WRONG_TYPE' },
    inExperiment: false,
  });
  expect(c.getStringFlag('search-page-size', 'x')).toBe('x');
  expect(logger.at('warn').join('\n')).toMatch(/"ui-theme" served a string where a boolean was asked for/);
  await server.close();
});

it('serves defaults with CLIENT_NOT_READY until the datafile arrives', async () => {
  const { server } = sdk();
  const c = server.forUser({ kind: 'user', key: 'u_1' });
  expect(server.ready).toBe(false);
  expect(c.getBoolFlag('checkout-v2', false)).toBe(false);
  expect(c.getStringFlagDetails('ui-theme', 'light')).toEqual({
    value: 'light',
    variationIndex: null,
    reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' },
    inExperiment: false,
  });
  await server.onReady();
  expect(c.getBoolFlag('checkout-v2', false)).toBe(true);
  await server.close();
});

it('delivers pending exposures and custom events to the server on close()', async () => {
  const { server } = sdk({ events: { flushIntervalMs: 60_000 } });
  await server.onReady();
  const before = (await real.events()).length;
  const key = `closer-${Date.now()}`;
  // a free-plan user falls into checkout-v2's 50/50 experiment
  const c = server.forUser({ kind: 'user', key, plan: 'free', email: 'secret@example.com' });
  c.getBoolFlag('checkout-v2', false);
  c.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
  c.close();
  expect(server.metrics().events?.queued).toBeGreaterThan(0);
  await server.close();
  const events = (await real.events()).slice(before);
  expect(events).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'exposure', flag: 'checkout-v2', variation: expect.any(Number), inExperiment: true, contextKeys: { user: key } }),
      expect.objectContaining({ kind: 'custom', key: 'purchase', value: 149.99, properties: { currency: 'usd' } }),
      expect.objectContaining({ kind: 'context', context: expect.objectContaining({ key, plan: 'free' }) }),
    ]),
  );
  expect(server.metrics().events).toMatchObject({ queued: 0, dropped: 0 });
});

it('sends an exposure for every read with events: { exposures: "all" }, and only counts reads outside experiments by default', async () => {
  const key = `all-exposures-${Date.now()}`;
  for (const exposures of ['all', undefined] as const) {
    const { server } = sdk({ events: { flushIntervalMs: 60_000, ...(exposures ? { exposures } : {}) } });
    await server.onReady();
    const before = (await real.events()).length;
    const c = server.forUser({ kind: 'user', key: `${key}-${exposures ?? 'default'}`, plan: 'pro' }); // pro: checkout-v2's rule, no experiment
    c.getBoolFlag('checkout-v2', false);
    c.getBoolFlag('checkout-v2', false);
    c.close();
    await server.close();
    const events = (await real.events()).slice(before);
    const exposuresSent = events.filter((e: any) => e.kind === 'exposure');
    if (exposures === 'all') {
      expect(exposuresSent).toEqual([expect.objectContaining({ flag: 'checkout-v2', variation: 1, reason: 'RULE_MATCH', inExperiment: false })]);
    } else {
      expect(exposuresSent).toEqual([]);
      expect(events.filter((e: any) => e.kind === 'context')).toEqual([]);
    }
    expect(events.find((e: any) => e.kind === 'summary')?.flags).toEqual({ 'checkout-v2': { counters: [{ variation: 1, count: 2 }] } });
  }
});

it('counts a read served the default for a wrong type in the summary with no variation, and sends no exposure for it', async () => {
  const { server, logger } = sdk({ events: { flushIntervalMs: 60_000 } });
  await server.onReady();
  const before = (await real.events()).length;
  const c = server.forUser({ kind: 'user', key: `wrong-type-${Date.now()}`, plan: 'pro' }); // pro: checkout-v2's rule, no experiment
  expect(c.getNumberFlag('checkout-v2', 7)).toBe(7);
  expect(c.getNumberFlag('checkout-v2', 7)).toBe(7);
  expect(c.getBoolFlag('checkout-v2', false)).toBe(true);
  c.close();
  await server.close();
  const events = (await real.events()).slice(before);
  expect(events.filter((e: any) => e.kind !== 'summary')).toEqual([]);
  expect(events.find((e: any) => e.kind === 'summary')?.flags).toEqual({
    'checkout-v2': { counters: [{ variation: 1, count: 1 }, { variation: null, count: 2 }] },
  });
  expect(logger.at('warn').filter((m) => m.includes('"checkout-v2"'))).toHaveLength(1);
});

it('keeps private attributes in the process', async () => {
  const { server } = sdk({ privateAttributes: ['email'], events: { flushIntervalMs: 60_000 } });
  await server.onReady();
  const before = (await real.events()).length;
  const key = `private-${Date.now()}`;
  server.forUser({ kind: 'user', key, email: 'secret@example.com', plan: 'free' }).getBoolFlag('checkout-v2', false);
  await server.close();
  const contexts = (await real.events()).slice(before).filter((e: any) => e.kind === 'context');
  expect(contexts).toHaveLength(1);
  expect(JSON.stringify(contexts)).not.toContain('secret@example.com');
});

it('says so when the key is refused (401), without retrying in a loop', async () => {
  const { server, logger } = sdk({ sdkKey: 'srv-thisKeyDoesNotExist0000000000000000000' });
  const result = await server.onReady({ timeoutMs: 10_000 });
  expect(result.ready).toBe(false);
  if (result.ready) return;
  // ended by the refusal, not by the wait's 10 s (which would be a 'timeout')
  expect(result.error.kind).toBe('unauthorized');
  expect(result.error.message).toMatch(/refused the SDK key \(HTTP 401\).*AVSB_SDK_KEY/);
  expect(server.lastError).toMatchObject({ kind: 'unauthorized', status: 401 });
  expect(logger.text).not.toContain('thisKeyDoesNotExist');
  expect(server.forUser({ key: 'u_1' }).getBoolFlagDetails('checkout-v2', false).reason).toEqual({
    kind: 'ERROR',
    errorKind: 'CLIENT_NOT_READY',
  });
  await server.close();
});
