import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { MemoryLogger, waitFor } from '@avsb/test-support';
import { recordingFetch } from '../test/support/recording-fetch';
import { AvsbServer } from './index';

/** Names that mean something to a plain object, each one a flag key here. */
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const;
const CLOSED = { kind: 'ERROR', errorKind: 'CLIENT_CLOSED' } as const;

// sent as text: `__proto__` arrives as an own member, as from the service
const DATAFILE = JSON.stringify({
  schemaVersion: 1,
  revision: 5,
  flags: [
    ...KEYS.map((key) => ({ key, on: true, clientSide: true, variations: [false, true], fallthrough: { variation: 1 } })),
    {
      key: 'checkout-v2',
      on: true,
      variations: [false, true],
      fallthrough: { rollout: { kind: 'experiment', variations: [{ variation: 0, weight: 0 }, { variation: 1, weight: 100000 }] } },
    },
  ],
});

/** The service on 127.0.0.1 as far as these tests need it: the datafile, and every event batch it receives. */
interface Service {
  readonly url: string;
  readonly batches: { batchId: string; events: any[] }[];
  /** Every request, datafile polls included. */
  readonly requests: string[];
  readonly events: () => any[];
  close(): Promise<void>;
}

const running: (Service | AvsbServer)[] = [];
afterEach(async () => {
  for (const item of running.splice(0)) await item.close();
});

async function service(): Promise<Service> {
  const batches: Service['batches'] = [];
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      if (req.method === 'GET' && req.url?.startsWith('/sdk/v1/datafile')) {
        res.writeHead(200, { 'content-type': 'application/json', etag: '"r5"' }).end(DATAFILE);
      } else if (req.method === 'POST' && req.url === '/sdk/v1/events') {
        batches.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const s: Service = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    batches,
    requests,
    events: () => batches.flatMap((b) => b.events),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  running.push(s);
  return s;
}

/** An SDK of the service at `url`; `did` notes each request as the SDK makes it (its own fetch, recording). */
async function sdk(url: string, did: string[] = []): Promise<{ server: AvsbServer; logger: MemoryLogger }> {
  const logger = new MemoryLogger();
  const server = new AvsbServer({
    fetch: recordingFetch(did),
    sdkKey: 'srv-lifecycle-test-0000',
    baseUrl: url,
    streaming: false,
    pollIntervalMs: 60_000,
    logger,
    events: { flushIntervalMs: 60_000 },
  });
  running.push(server);
  expect(await server.onReady({ timeoutMs: 5_000 })).toEqual({ ready: true, revision: 5 });
  return { server, logger };
}

it('serves, summarises and sends flags keyed like Object.prototype members to a real events endpoint', async () => {
  const svc = await service();
  const { server } = await sdk(svc.url);
  const scoped = server.forUser({ kind: 'user', key: 'u_proto' });
  for (const key of KEYS) {
    expect(scoped.getBoolFlag(key, false)).toBe(true);
    expect(scoped.getBoolFlagDetails(key, false)).toEqual({ value: true, variationIndex: 1, reason: { kind: 'FALLTHROUGH' }, inExperiment: false });
  }
  expect(scoped.getBoolFlag('checkout-v2', false)).toBe(true);
  scoped.track('__proto__', { value: 2 });
  const all = server.allFlags({ key: 'u_proto' }, { clientSideOnly: true });
  expect(Object.keys(all)).toEqual([...KEYS]);
  expect((all as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  expect(JSON.stringify(all)).toBe('{"__proto__":true,"constructor":true,"toString":true,"hasOwnProperty":true}');
  await server.flush();

  const events = svc.events();
  const summary = events.find((e) => e.kind === 'summary');
  expect(Object.keys(summary.flags)).toEqual([...KEYS, 'checkout-v2']);
  for (const key of KEYS) expect(summary.flags[key]).toEqual({ counters: [{ variation: 1, count: 2 }] });
  expect(events.filter((e) => e.kind === 'exposure').map((e) => e.flag)).toEqual(['checkout-v2']);
  expect(events.filter((e) => e.kind === 'custom').map((e) => [e.key, e.value])).toEqual([['__proto__', 2]]);
});

it('sends nothing after close(): track() and reads on an existing scoped client and on a new forUser() serve CLIENT_CLOSED', async () => {
  const svc = await service();
  const did: string[] = [];
  const { server, logger } = await sdk(svc.url, did);
  const old = server.forUser({ kind: 'user', key: 'u_before' });
  expect(old.getBoolFlag('checkout-v2', false)).toBe(true);
  old.track('purchase', { value: 1 });
  const closing = server.close();
  expect(server.close()).toBe(closing);
  await closing;
  await server.close();
  expect(svc.events().map((e) => e.kind).sort()).toEqual(['context', 'custom', 'exposure', 'summary']);
  const received = { batches: svc.batches.length, requests: svc.requests.length };
  const made = [...did];
  const sent = server.metrics().events!;

  const fresh = server.forUser({ kind: 'user', key: 'u_after' });
  for (const scoped of [old, fresh]) {
    expect(scoped.getBoolFlag('checkout-v2', false)).toBe(false);
    expect(scoped.getBoolFlagDetails('checkout-v2', false)).toEqual({ value: false, variationIndex: null, reason: CLOSED, inExperiment: false });
    expect(scoped.getStringFlagDetails('__proto__', 'd').reason).toEqual(CLOSED);
    expect(scoped.allFlags()).toEqual({});
    scoped.track('purchase', { value: 2 });
    scoped.close();
    scoped.close();
  }
  expect(server.allFlags({ key: 'u_after' })).toEqual({});
  // a flush sends what is queued before it resolves, and the SDK's timers (a minute here) were cleared by close(): a
  // stray send is a request the SDK makes by then, seen through its own fetch
  await server.flush();
  expect(did).toEqual(made);
  expect({ batches: svc.batches.length, requests: svc.requests.length }).toEqual(received);
  expect(server.metrics().events).toEqual(sent);
  expect(server.metrics().liveContexts).toBe(0);
  expect(server.ready).toBe(false);
  expect(server.closed).toBe(true);
  const ready = await server.onReady({ timeoutMs: 5_000 });
  expect(!ready.ready && ready.error.kind).toBe('closed');
  expect(logger.at('warn').filter((m) => m.includes('CLIENT_CLOSED'))).toHaveLength(1);
});

it('records nothing for a scoped client closed at the end of its request, while the server keeps sending for others', async () => {
  const svc = await service();
  const { server } = await sdk(svc.url);
  const request = server.forUser({ kind: 'user', key: 'u_request' });
  expect(request.getBoolFlag('checkout-v2', false)).toBe(true);
  request.close();
  expect(request.getBoolFlagDetails('checkout-v2', false).reason).toEqual(CLOSED);
  request.track('late');
  server.forUser({ kind: 'user', key: 'u_other' }).track('on-time');
  await server.flush();
  await waitFor(() => svc.batches.length > 0, 5_000, 'a batch');
  const custom = svc.events().filter((e) => e.kind === 'custom');
  expect(custom.map((e) => e.key)).toEqual(['on-time']);
  const summary = svc.events().find((e) => e.kind === 'summary');
  expect(summary.flags['checkout-v2']).toEqual({ counters: [{ variation: 1, count: 1 }] });
});
