import { afterAll, beforeAll, expect, it } from 'vitest';
import { boolFlag, datafile } from '../../harness/datafiles';
import { MockService } from '../../harness/mock-service';
import type { RunningService } from './node-service';
import { startNodeService } from './node-service';

let service: RunningService;
let mock: MockService;

beforeAll(async () => {
  service = await startNodeService();
  mock = await MockService.start();
  mock.datafile = datafile(9, [boolFlag('on-flag', true), { ...boolFlag('client-flag', false), clientSide: true }]);
});
afterAll(async () => {
  await service.close();
  await mock.close();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(service.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

it('answers GET / with its name, protocol version, SDK and capabilities', async () => {
  const { status, body } = await call('GET', '/');
  expect(status).toBe(200);
  expect(body).toMatchObject({ name: '@avsb/node test service', protocolVersion: 1, sdk: { name: '@avsb/node' } });
  expect(body.capabilities).toEqual(expect.arrayContaining(['server-side', 'streaming', 'events', 'private-attributes']));
});

it('creates a client with 201 and a Location, runs its commands, and deletes it with 204', async () => {
  const created = await call('POST', '/', { credential: 'srv-protocol-test', baseUri: mock.url, events: null });
  expect(created.status).toBe(201);
  const path = created.headers.get('location')!;
  expect(path).toBe(`/clients/${created.body.id}`);
  expect((await call('POST', path, { command: 'waitForReady', timeoutMs: 5_000 })).body).toEqual({ ready: true, revision: 9 });
  const read = await call('POST', path, {
    command: 'evaluate', flagKey: 'on-flag', context: { kind: 'user', key: 'u' }, valueType: 'bool', defaultValue: false, detail: true,
  });
  expect(read.body).toEqual({ value: true, variationIndex: 0, reason: { kind: 'FALLTHROUGH' }, inExperiment: false });
  const plain = await call('POST', path, {
    command: 'evaluate', flagKey: 'missing', context: { kind: 'user', key: 'u' }, valueType: 'string', defaultValue: 'dflt',
  });
  expect(plain.body).toEqual({ value: 'dflt' });
  const all = await call('POST', path, { command: 'evaluateAll', context: { kind: 'user', key: 'u' }, clientSideOnly: true });
  expect(all.body).toEqual({ state: { 'client-flag': false } });
  expect((await call('POST', path, { command: 'status' })).body).toEqual({ ready: true, revision: 9, lastError: null, events: null });
  expect((await call('DELETE', path)).status).toBe(204);
  expect((await call('POST', path, { command: 'status' })).status).toBe(404);
});

it('answers 400 to an unknown command or a body that is not JSON, and 404 to an unknown client', async () => {
  const { body } = await call('POST', '/', { credential: 'srv-protocol-test', baseUri: mock.url, events: null });
  const bad = await call('POST', `/clients/${body.id}`, { command: 'dance' });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toContain('dance');
  const res = await fetch(`${service.url}/clients/${body.id}`, { method: 'POST', body: '{not json' });
  expect(res.status).toBe(400);
  expect((await call('POST', '/clients/999', { command: 'status' })).status).toBe(404);
  // a config the SDK refuses (a client-side key) is the caller's mistake too
  expect((await call('POST', '/', { credential: 'cli-not-for-servers', baseUri: mock.url })).status).toBe(400);
  await call('DELETE', `/clients/${body.id}`);
});

it('treats a null option as omitted, keeping the SDK default', async () => {
  const created = await call('POST', '/', {
    credential: 'srv-protocol-test',
    baseUri: mock.url,
    dataSource: { streaming: null, initialRetryDelayMs: null, readTimeoutMs: null },
    events: null,
    startupTimeoutMs: null,
  });
  expect(created.status).toBe(201);
  const path = `/clients/${created.body.id}`;
  expect((await call('POST', path, { command: 'waitForReady', timeoutMs: null })).body).toEqual({ ready: true, revision: 9 });
  expect(mock.streams.length).toBeGreaterThanOrEqual(1); // streaming stayed on
  await call('DELETE', path);
});
