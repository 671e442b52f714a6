import { expect, it } from 'vitest';
import type { AvsbClient } from '@avsb/core';
import { MockAvsbServer, TestData } from './index';

function shop(): MockAvsbServer {
  return new MockAvsbServer({
    flags: [
      TestData.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false).build(),
      TestData.flag('ui-theme').variations('default', 'dark').fallthroughVariation('default'),
    ],
  });
}

it('has the surface of AvsbServer and is ready as soon as it is built', async () => {
  const mock: AvsbClient = shop();
  expect(mock.ready).toBe(true);
  expect(mock.lastError).toBeNull();
  expect(await mock.onReady({ timeoutMs: 10 })).toEqual({ ready: true, revision: mock.revision });
  expect(mock.allFlags({ key: 'u_1' })).toEqual({ 'checkout-v2': true, 'ui-theme': 'default' });
  await mock.flush();
  await mock.close();
});

it('records tracked events for assertions', () => {
  const mock = shop();
  const scoped = mock.forUser({ kind: 'user', key: 'u_1', plan: 'pro' });
  scoped.track('purchase', { value: 149.99, properties: { currency: 'usd' } });
  scoped.track('signup');
  expect(mock.trackedEvents).toEqual([
    { key: 'purchase', value: 149.99, properties: { currency: 'usd' }, context: { kind: 'user', key: 'u_1', plan: 'pro' } },
    { key: 'signup', value: undefined, properties: undefined, context: { kind: 'user', key: 'u_1', plan: 'pro' } },
  ]);
});

it('records every flag read as an exposure with the value served', () => {
  const mock = shop();
  const u1 = mock.forUser({ kind: 'user', key: 'u_1' });
  u1.getBoolFlag('checkout-v2', false);
  u1.getBoolFlag('checkout-v2', false);
  u1.getStringFlag('ui-theme', 'default');
  u1.getNumberFlag('missing', 3);
  expect(mock.exposures).toEqual([
    { flag: 'checkout-v2', value: true, variation: 1, reason: 'TARGET_MATCH', inExperiment: false, context: { kind: 'user', key: 'u_1' }, revision: 3 },
    { flag: 'checkout-v2', value: true, variation: 1, reason: 'TARGET_MATCH', inExperiment: false, context: { kind: 'user', key: 'u_1' }, revision: 3 },
    { flag: 'ui-theme', value: 'default', variation: 0, reason: 'FALLTHROUGH', inExperiment: false, context: { kind: 'user', key: 'u_1' }, revision: 3 },
    { flag: 'missing', value: undefined, variation: null, reason: 'ERROR', inExperiment: false, context: { kind: 'user', key: 'u_1' }, revision: 3 },
  ]);
  expect(u1.allFlags()).toEqual({ 'checkout-v2': true, 'ui-theme': 'default' });
  expect(mock.exposures).toHaveLength(4);
});

it('forgets recordings on reset() and keeps its flags', () => {
  const mock = shop();
  const scoped = mock.forUser({ key: 'u_2' });
  scoped.getBoolFlag('checkout-v2', true);
  scoped.track('purchase');
  scoped.getBoolFlag('ui-theme', false); // wrong type: logged
  const exposures = mock.exposures;
  expect(mock.logs.map((l) => l.level)).toContain('warn');
  mock.reset();
  expect(mock.exposures).toEqual([]);
  expect(exposures).toBe(mock.exposures);
  expect(mock.trackedEvents).toEqual([]);
  expect(mock.logs).toEqual([]);
  expect(scoped.getBoolFlag('checkout-v2', true)).toBe(false);
});

it('logs SDK warnings into mock.logs and to a logger given', () => {
  const lines: string[] = [];
  const mock = new MockAvsbServer({
    flags: [TestData.flag('ui-theme').variations('default', 'dark')],
    logger: { debug() {}, info() {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) },
  });
  expect(mock.forUser({ key: 'u' }).getBoolFlagDetails('ui-theme', false).reason).toEqual({ kind: 'ERROR', errorKind: 'WRONG_TYPE' });
  expect(mock.forUser({ kind: 'user', key: '' }).getBoolFlagDetails('ui-theme', false).reason).toEqual({
    kind: 'ERROR',
    errorKind: 'CONTEXT_INVALID',
  });
  expect(lines).toEqual([expect.stringContaining('flag "ui-theme" served a string where a boolean was asked for'), expect.stringContaining('invalid context')]);
  expect(mock.logs.filter((l) => l.level === 'warn' || l.level === 'error').map((l) => l.message)).toEqual(lines);
  expect(mock.logs[0]).toEqual({ level: 'debug', message: 'loaded datafile revision 2 (TestData); changed: ui-theme' });
});

it('logs a misspelled flag key once, naming the nearest key, and explains it in the details, as AvsbServer does', () => {
  const mock = shop();
  const scoped = mock.forUser({ key: 'u_1' });
  expect(scoped.getBoolFlag('checkout_v2', false)).toBe(false);
  expect(scoped.getBoolFlagDetails('checkout_v2', false).errorMessage).toMatch(/^flag "checkout_v2" is not in the datafile .*; did you mean "checkout-v2"\?$/);
  expect(mock.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringMatching(/^flag "checkout_v2" is not in the datafile .*did you mean "checkout-v2"\?; returning the default/)]);
});

it('counts flushes, and once closed serves defaults with CLIENT_CLOSED and records nothing, as AvsbServer does', async () => {
  const mock = shop();
  const before = mock.forUser({ key: 'u_1' });
  expect(before.getBoolFlag('checkout-v2', false)).toBe(true);
  await mock.flush();
  expect(mock.flushCount).toBe(1);
  expect(mock.closed).toBe(false);
  mock.reset();
  await mock.close();
  await mock.close();
  expect(mock.closed).toBe(true);
  expect(mock.ready).toBe(false);
  expect(mock.flushCount).toBe(1);
  const result = await mock.onReady();
  expect(!result.ready && result.error.kind).toBe('closed');
  const closed = { kind: 'ERROR', errorKind: 'CLIENT_CLOSED' };
  for (const scoped of [before, mock.forUser({ key: 'u_1' })]) {
    expect(scoped.getBoolFlag('checkout-v2', false)).toBe(false);
    expect(scoped.getStringFlagDetails('ui-theme', 'light')).toEqual({ value: 'light', variationIndex: null, reason: closed, inExperiment: false });
    expect(scoped.allFlags()).toEqual({});
    scoped.track('late');
  }
  expect(mock.allFlags({ key: 'u_1' })).toEqual({});
  await mock.flush();
  expect(mock.flushCount).toBe(1);
  expect(mock.trackedEvents).toEqual([]);
  expect(mock.exposures).toEqual([]);
  expect(mock.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringContaining('after close()')]);
  expect(mock.metrics().liveContexts).toBe(1); // `before` until it is closed; the new one never registered
  before.close();
  expect(mock.metrics().liveContexts).toBe(0);
});

it('changes flags live with mock.update and tells update listeners', () => {
  const mock = shop();
  const heard: string[][] = [];
  mock.on('update', (keys) => heard.push(keys));
  mock.update(mock.testData.flag('checkout-v2').variationForAll(true));
  expect(mock.forUser({ key: 'u_2' }).getBoolFlag('checkout-v2', false)).toBe(true);
  expect(heard).toEqual([['checkout-v2']]);
  const listener = (keys: string[]) => heard.push(keys);
  mock.on('update', listener).off('update', listener);
  mock.update(TestData.flag('new-flag'));
  expect(heard).toEqual([['checkout-v2'], ['new-flag']]);
});

it('reports live contexts, released when scoped clients close', () => {
  const mock = shop();
  const scoped = mock.forUser({ key: 'u_1' });
  scoped.getBoolFlag('checkout-v2', false);
  expect(mock.metrics()).toMatchObject({ liveContexts: 1, engineFaults: 0, events: null, revision: 3 });
  scoped.close();
  expect(mock.metrics().liveContexts).toBe(0);
});

it('serves an empty datafile when given no flags', () => {
  const mock = new MockAvsbServer();
  expect(mock.ready).toBe(true);
  expect(mock.forUser({ key: 'u' }).getBoolFlagDetails('x', true).reason).toEqual({ kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' });
});
