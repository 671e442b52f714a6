import { afterEach, expect, it } from 'vitest';
import { AvsbServer } from '@avsb/node';
import { MockAvsbServer, TestData, TestDataError } from './index';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

function nodeServer(td: TestData): AvsbServer {
  // the real AvsbServer, with TestData where streaming would go and no events sent
  const server = new AvsbServer({ sdkKey: 'srv-test', dataSource: td.source(), events: false, logLevel: 'none' });
  opened.push(server);
  return server;
}

it('pushes td.update(...) to a real AvsbServer at once, with the changed keys', async () => {
  const td = new TestData();
  td.update(td.flag('checkout-v2').booleanFlag().variationForUser('u_1', true).fallthroughVariation(false));
  const server = nodeServer(td);
  expect(server.ready).toBe(true);
  expect(await server.onReady({ timeoutMs: 100 })).toEqual({ ready: true, revision: 2 });
  const changes: string[][] = [];
  server.on('update', (keys) => changes.push(keys));
  const visitor = server.forUser({ kind: 'user', key: 'visitor' });
  expect(visitor.getBoolFlag('checkout-v2', true)).toBe(false);

  td.update(td.flag('checkout-v2').fallthroughVariation(true));
  expect(visitor.getBoolFlag('checkout-v2', false)).toBe(true);
  expect(server.revision).toBe(3);
  td.update(td.flag('ui-theme').variations('default', 'dark').fallthroughVariation('dark'));
  expect(visitor.getStringFlag('ui-theme', 'x')).toBe('dark');
  expect(changes).toEqual([['checkout-v2'], ['ui-theme']]);
});

it('edits a published flag through td.flag(key), which starts from a copy of it', () => {
  const td = new TestData({ flags: [TestData.flag('f').variations('a', 'b', 'c').variationForUser('u_1', 'c').fallthroughVariation('a')] });
  const mock = new MockAvsbServer({ testData: td });
  const edited = td.flag('f').fallthroughVariation('b');
  expect(mock.forUser({ key: 'u_2' }).getStringFlag('f', '?')).toBe('a');
  td.update(edited);
  expect(mock.forUser({ key: 'u_2' }).getStringFlag('f', '?')).toBe('b');
  expect(mock.forUser({ key: 'u_1' }).getStringFlag('f', '?')).toBe('c');
  // a builder published and then changed does not change what is served
  edited.fallthroughVariation('c');
  expect(mock.forUser({ key: 'u_2' }).getStringFlag('f', '?')).toBe('b');
});

it('updates every attached client until it is closed', async () => {
  const td = new TestData({ flags: [TestData.flag('f').variationForAll(false)] });
  const a = new MockAvsbServer({ testData: td });
  const b = nodeServer(td);
  td.update(td.flag('f').variationForAll(true));
  expect(a.forUser({ key: 'u' }).getBoolFlag('f', false)).toBe(true);
  expect(b.forUser({ key: 'u' }).getBoolFlag('f', false)).toBe(true);
  await a.close();
  td.update(td.flag('f').variationForAll(false));
  expect(a.forUser({ key: 'u' }).getBoolFlag('f', true)).toBe(true);
  expect(a.revision).toBe(2);
  expect(b.forUser({ key: 'u' }).getBoolFlag('f', true)).toBe(false);
  expect(b.revision).toBe(3);
});

it('removes flags, and re-evaluates flags whose segment changed', () => {
  const td = new TestData({
    flags: [TestData.flag('ui-theme').variations('default', 'dark').fallthroughVariation('default').ifInSegment('beta').thenReturn('dark')],
    segments: [{ key: 'beta', included: ['u_7'] }],
  });
  const mock = new MockAvsbServer({ testData: td });
  const changes: string[][] = [];
  mock.on('update', (keys) => changes.push(keys));
  expect(mock.forUser({ key: 'u_8' }).getStringFlag('ui-theme', '?')).toBe('default');
  td.updateSegment({ key: 'beta', included: ['u_7', 'u_8'] });
  expect(mock.forUser({ key: 'u_8' }).getStringFlag('ui-theme', '?')).toBe('dark');
  td.removeSegment('beta');
  expect(mock.forUser({ key: 'u_7' }).getStringFlag('ui-theme', '?')).toBe('default');
  td.removeFlag('ui-theme');
  expect(mock.forUser({ key: 'u_7' }).getStringFlagDetails('ui-theme', '?')).toEqual({
    value: '?',
    variationIndex: null,
    reason: { kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' },
    inExperiment: false,
    errorMessage: 'flag "ui-theme" is not in the datafile (revision 4, 0 flags), nor any key close to it',
  });
  expect(changes).toEqual([['ui-theme'], ['ui-theme'], ['ui-theme']]);
});

it('refuses an update the engine rejects, keeping the previous datafile', () => {
  const td = new TestData({ flags: [TestData.flag('a')] });
  const mock = new MockAvsbServer({ testData: td });
  const cycle = (key: string, other: string) => ({
    key,
    rules: [{ clauses: [{ op: 'segmentMatch', values: [other] }] }],
  });
  td.updateSegment(cycle('s1', 's2'));
  expect(() => td.updateSegment(cycle('s2', 's1'))).toThrow(TestDataError);
  expect(td.revision).toBe(2);
  expect(td.datafile().segments?.map((s) => s.key)).toEqual(['s1']);
  expect(mock.revision).toBe(2);
  expect(() => td.update({ key: 'bad' } as never)).toThrow(/flag "bad": the rules engine refused it/);
});

it('gives its datafile to AvsbServer as an initial datafile for offline use', () => {
  const td = new TestData({ flags: [TestData.flag('checkout-v2').variationForUser('u_1', true).fallthroughVariation(false)] });
  const server = new AvsbServer({ sdkKey: undefined, offline: true, initialDatafile: td.datafile(), logLevel: 'none' });
  opened.push(server);
  expect(server.forUser({ key: 'u_1' }).getBoolFlag('checkout-v2', false)).toBe(true);
  expect(td.datafile()).toEqual({ schemaVersion: 1, revision: 1, flags: [expect.objectContaining({ key: 'checkout-v2' })], segments: [] });
});
