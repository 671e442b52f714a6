// AvsbEdge in Node against the real A vs B server: when the datafile is
// fetched (counted through an injected fetch that forwards to the server), how
// failures are spaced out, and what the constructor refuses. Faults are
// injected only where the network itself must fail.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSandboxServer } from '@avsb/server';
import type { SandboxServer } from '@avsb/server';
import { MemoryLogger, waitFor } from '@avsb/test-support';
import type { FetchLike, ResponseLike } from '@avsb/core';
import { AvsbEdge } from './index';
import type { AvsbEdgeOptions, WaitUntilContext } from './index';

const wasm = new WebAssembly.Module(readFileSync(fileURLToPath(new URL('../../engine/dist/avsb-engine.wasm', import.meta.url))));

let real: SandboxServer;
beforeAll(async () => {
  real = await startSandboxServer();
});
afterAll(async () => {
  await real?.close();
});

const clients: AvsbEdge[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** Datafile requests made, with their If-None-Match and status. */
interface Seen {
  conditional: boolean;
  status: number | 'failed';
}

function counting(fault?: (url: string) => Promise<ResponseLike> | undefined): { fetch: FetchLike; datafile: Seen[] } {
  const datafile: Seen[] = [];
  const fetch: FetchLike = async (url, init) => {
    const isDatafile = url.endsWith('/sdk/v1/datafile');
    const seen: Seen = { conditional: init.headers?.['If-None-Match'] !== undefined, status: 'failed' };
    if (isDatafile) datafile.push(seen);
    const response = (isDatafile ? fault?.(url) : undefined) ?? (globalThis.fetch(url, init as RequestInit) as Promise<ResponseLike>);
    const r = await response;
    seen.status = r.status;
    return r;
  };
  return { fetch, datafile };
}

function edge(options: Partial<AvsbEdgeOptions>): AvsbEdge {
  const client = new AvsbEdge({ sdkKey: real.serverKey, baseUrl: real.url, wasm, logger: new MemoryLogger(), logLevel: 'debug', ...options });
  clients.push(client);
  return client;
}

function waitUntilCollector(): WaitUntilContext & { promises: Promise<unknown>[] } {
  const promises: Promise<unknown>[] = [];
  return { promises, waitUntil: (p) => void promises.push(p) };
}

it('does nothing at construction: no request until the first onReady', async () => {
  const net = counting();
  const avsb = edge({ fetch: net.fetch });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(net.datafile).toEqual([]);
  expect(avsb.ready).toBe(false);
  expect(avsb.metrics()).toMatchObject({ revision: null, liveContexts: 0, events: null });
});

it('loads the datafile on the first request and does not ask again while it is fresh', async () => {
  const net = counting();
  const avsb = edge({ fetch: net.fetch, pollIntervalMs: 3_600_000 });
  expect(await avsb.onReady()).toMatchObject({ ready: true });
  for (let i = 0; i < 5; i++) expect(await avsb.onReady({ ctx: waitUntilCollector() })).toMatchObject({ ready: true });
  expect(net.datafile).toEqual([{ conditional: false, status: 200 }]);
  const client = avsb.forUser({ kind: 'user', key: 'u_1', plan: 'free' });
  expect(client.getBoolFlag('checkout-v2', false)).toBe(true);
  client.close();
});

it('checks a stale datafile with a conditional request, and a change reaches the next read', async () => {
  const net = counting();
  const avsb = edge({ fetch: net.fetch, pollIntervalMs: 0 });
  const updates: string[][] = [];
  avsb.on('update', (keys) => void updates.push([...keys])); // before the first request: attached when the client is set up
  await avsb.onReady();
  await avsb.onReady(); // unchanged: 304
  expect(net.datafile).toEqual([{ conditional: false, status: 200 }, { conditional: true, status: 304 }]);
  const before = avsb.revision;
  await real.patchFlag('ui-theme', { on: false });
  try {
    // with a ctx the refresh runs through waitUntil; awaiting what it was given is what the runtime does
    const ctx = waitUntilCollector();
    expect(await avsb.onReady({ ctx })).toMatchObject({ ready: true });
    expect(ctx.promises).toHaveLength(1);
    await Promise.all(ctx.promises);
    expect(net.datafile.at(-1)).toEqual({ conditional: true, status: 200 });
    expect(avsb.revision).toBeGreaterThan(before ?? 0);
    const client = avsb.forUser({ kind: 'user', key: 'u_7' });
    expect(client.getStringFlagDetails('ui-theme', 'default').reason.kind).toBe('OFF');
    expect(updates).toHaveLength(2);
    expect(updates[0]).toContain('checkout-v2');
    expect(updates[1]).toEqual(['ui-theme']);
    client.close();
  } finally {
    await real.patchFlag('ui-theme', { on: true });
  }
});

it('warns when ctx.waitUntil throws, even a value whose String() throws, and answers from the refresh it then awaits', async () => {
  const logger = new MemoryLogger();
  const avsb = edge({ logger });
  const ctx: WaitUntilContext = {
    waitUntil: () => {
      throw Object.create(null);
    },
  };
  expect(await avsb.onReady({ ctx })).toMatchObject({ ready: true });
  expect(logger.at('warn')).toEqual(['[avsb] onReady: ctx.waitUntil failed (unknown error); the refresh may be cut short']);
});

it('answers not ready when the service fails, and waits for its Retry-After before asking again', async () => {
  const net = counting(() => Promise.resolve(new Response('busy', { status: 503, headers: { 'retry-after': '3600' } }) as ResponseLike));
  const avsb = edge({ fetch: net.fetch });
  const first = await avsb.onReady({ timeoutMs: 10_000 });
  expect(first).toMatchObject({ ready: false, error: { kind: 'timeout', message: expect.stringContaining('HTTP 503') } });
  for (let i = 0; i < 10; i++) expect(await avsb.onReady()).toMatchObject({ ready: false });
  expect(net.datafile).toHaveLength(1);
  const client = avsb.forUser({ kind: 'user', key: 'u_1' });
  expect(client.getBoolFlagDetails('checkout-v2', false)).toMatchObject({ value: false, reason: { kind: 'ERROR', errorKind: 'CLIENT_NOT_READY' } });
  client.close();
});

it('abandons a refresh that never settles (its request was cut off) and starts another', async () => {
  let hang = true;
  const net = counting(() => (hang ? new Promise<ResponseLike>(() => {}) : undefined));
  const avsb = edge({ fetch: net.fetch, requestTimeoutMs: 50 });
  expect(await avsb.onReady({ timeoutMs: 10 })).toMatchObject({ ready: false });
  hang = false;
  // once the request time limit (plus a second) has passed, the next request asks again instead of joining it
  await waitFor(async () => (await avsb.onReady({ timeoutMs: 200 })).ready, 15_000, 'a second datafile request');
  expect(net.datafile.map((s) => s.status)).toEqual(['failed', 200]);
});

it('stops asking after the service refuses the key', async () => {
  const net = counting();
  const avsb = edge({ fetch: net.fetch, sdkKey: 'srv-not-a-key', pollIntervalMs: 0 });
  expect(await avsb.onReady()).toMatchObject({ ready: false, error: { kind: 'unauthorized' } });
  expect(await avsb.onReady()).toMatchObject({ ready: false, error: { kind: 'unauthorized' } });
  expect(net.datafile).toEqual([{ conditional: false, status: 401 }]);
});

it('serves defaults with CLIENT_CLOSED once closed', async () => {
  const avsb = edge({ pollIntervalMs: 3_600_000 });
  await avsb.onReady();
  await avsb.close();
  const client = avsb.forUser({ kind: 'user', key: 'u_1' });
  expect(client.getBoolFlagDetails('checkout-v2', false)).toMatchObject({ value: false, reason: { kind: 'ERROR', errorKind: 'CLIENT_CLOSED' } });
  expect(await avsb.onReady()).toMatchObject({ ready: false, error: { kind: 'closed' } });
});

it('refuses a missing or client-side key and an engine given as bytes, without echoing the key', () => {
  const base = { baseUrl: real.url, wasm };
  expect(() => new AvsbEdge({ ...base, sdkKey: undefined })).toThrow(/sdkKey is missing/);
  expect(() => new AvsbEdge({ ...base, sdkKey: 'cli-secret123' })).toThrow(/client-side key/);
  expect(() => new AvsbEdge({ ...base, sdkKey: 'cli-secret123' })).not.toThrow(/secret123/);
  // the servers' wording (@avsb/common's checkSdkKey), with the edge's own prefix and help
  expect(() => new AvsbEdge({ ...base, sdkKey: ' cli-secret123 ' })).toThrow(
    /^AvsbEdge: that is a client-side key \(cli-…\), which only sees client-side flags and must not be used by a server\. Pass the Server SDK key .*env\.AVSB_SDK_KEY/,
  );
  expect(() => new AvsbEdge({ ...base, sdkKey: 'adm-secret123' })).toThrow(/^AvsbEdge: that is an admin API token \(adm-…\), not an SDK key\. Pass the Server SDK key/);
  expect(() => new AvsbEdge({ ...base, sdkKey: 42 as never })).toThrow(TypeError);
  expect(() => new AvsbEdge({ ...base, sdkKey: 42 as never })).toThrow(/^AvsbEdge: sdkKey must be a string, not number\. Pass the Server SDK key/);
  const bytes = readFileSync(fileURLToPath(new URL('../../engine/dist/avsb-engine.wasm', import.meta.url)));
  expect(() => new AvsbEdge({ ...base, sdkKey: 'srv-x', wasm: bytes as unknown as WebAssembly.Module })).toThrow(/precompiled WebAssembly.Module/);
  expect(() => new AvsbEdge({ ...base, sdkKey: 'srv-x', baseUrl: 'ftp://x' })).toThrow(/http\(s\) URL/);
  expect(() => new AvsbEdge({ ...base, sdkKey: 'srv-x', baseUrl: 'https://flags.example.com/?key=srv-secret123' })).toThrow(
    new TypeError('AvsbEdge: baseUrl has a user name, password, query or fragment: give the http(s) URL of the service, such as https://flags.example.com'),
  );
});

// a Worker's vars are text: `pollIntervalMs: env.AVSB_POLL_MS` was the string "60000" (the default 30 s instead),
// `logLevel: env.LOG_LEVEL` of "WARN" logged at info, each without a word
it('refuses an option value of the wrong type or outside its values, naming the option and what it takes', () => {
  const base = { baseUrl: real.url, wasm, sdkKey: 'srv-x' };
  expect(() => new AvsbEdge({ ...base, pollIntervalMs: '60000' as never })).toThrow(
    new TypeError('AvsbEdge: pollIntervalMs must be a number of milliseconds (0 or more) such as 5000, not "60000" (Number(…) reads one from the environment\'s text)'),
  );
  expect(() => new AvsbEdge({ ...base, logLevel: 'WARN' as never, offline: 'yes' as never })).toThrow(
    new TypeError(`AvsbEdge: offline must be true or false, not "yes"; logLevel must be 'debug', 'info', 'warn', 'error' or 'none', not "WARN"`),
  );
  expect(() => new AvsbEdge({ ...base, logger: console.log as never })).toThrow(/^AvsbEdge: logger must be an object with debug, info, warn and error methods/);
  expect(() => new AvsbEdge({ ...base, pollIntervalMs: 0, startupTimeoutMs: 1, requestTimeoutMs: 1, closeTimeoutMs: 0, logLevel: 'none', offline: false, allAttributesPrivate: true })).not.toThrow();
});

it('runs offline from an initial datafile, with no request at all', async () => {
  const net = counting();
  const avsb = edge({
    sdkKey: undefined,
    offline: true,
    fetch: net.fetch,
    initialDatafile: { schemaVersion: 1, revision: 3, flags: [{ key: 'checkout-v2', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 1 } }] },
  });
  expect(await avsb.onReady()).toEqual({ ready: true, revision: 3 });
  const client = avsb.forUser({ key: 'u_1' });
  expect(client.getBoolFlag('checkout-v2', false)).toBe(true);
  client.track('purchase');
  client.close();
  await avsb.flush();
  expect(net.datafile).toEqual([]);
  expect(avsb.metrics()).toMatchObject({ revision: 3, liveContexts: 0, events: null });
});
